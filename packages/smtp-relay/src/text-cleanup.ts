/**
 * Mail clients append signatures and quote the message they answer. Neither belongs in
 * an SMS that is paid per part, so both can be cut off (each configurable).
 */

/** The RFC 3676 signature separator is "-- " on a line of its own; many clients drop the space. */
const SIGNATURE_SEPARATOR = /^-- ?$/;

/** Attribution lines that introduce a quoted reply, in the languages our senders use. */
const ATTRIBUTION_LINE = /(wrote|написал|написала|написал\(а\)|пишет):\s*$/i;

/** Outlook-style quoted original, which has no ">" markers. */
const ORIGINAL_MESSAGE_MARKER = /^-{2,}\s*(Original Message|Исходное сообщение)\s*-{2,}\s*$/i;

export function stripSignature(text: string): string {
  const lines = text.split("\n");
  const at = lines.findIndex((line) => SIGNATURE_SEPARATOR.test(line));
  return at === -1 ? text : lines.slice(0, at).join("\n");
}

export function stripQuotedReplies(text: string): string {
  const lines = text.split("\n");
  const outlookAt = lines.findIndex((line) => ORIGINAL_MESSAGE_MARKER.test(line.trim()));
  const candidate = outlookAt === -1 ? lines : lines.slice(0, outlookAt);
  const isQuote = (line: string | undefined) => line?.trimStart().startsWith(">") === true;
  const kept = candidate.filter((line, index) => {
    if (isQuote(line)) return false;
    // An attribution line only counts as one when a quote follows it.
    if (!ATTRIBUTION_LINE.test(line)) return true;
    let next = index + 1;
    while (next < candidate.length && candidate[next]!.trim() === "") next++;
    return !isQuote(candidate[next]);
  });
  return kept.join("\n");
}

/**
 * Line endings to "\n", no trailing spaces, at most one blank line in a row, trimmed.
 * Control characters other than newline and tab go: an SMS cannot show them and SMSC's
 * SOAP interface cannot carry most of them.
 */
export function normalizeWhitespace(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
      .split("\n")
      .map((line) => line.replace(/[ \t\u00a0]+$/u, ""))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}
