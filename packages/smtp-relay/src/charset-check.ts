/**
 * Text that was not decoded in the charset it is written in must not become an SMS. postal-mime decodes a
 * charset it does not know (`unknown-8bit`, `win-1251`, a typo) and 8-bit bytes labelled `us-ascii` as
 * windows-1252, which turns Cyrillic into "Ïðèâåò" without a trace; bytes that are not UTF-8 in a mail that
 * names no charset become U+FFFD. Both are caught here, for the mail's own (single-part) text; parts of a
 * multipart mail come from mail programs that label them.
 */
const UNDECODABLE = "\uFFFD";

/** The charset parameter of a Content-Type header value, if any. */
function charsetOf(contentType: string): string | undefined {
  return /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1];
}

function knownCharset(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** Why `text` (decoded from a mail whose top-level Content-Type is `contentType`) is garbage, or undefined. */
export function undecodedText(text: string, contentType: string | undefined): string | undefined {
  const charset = /^\s*text\//i.test(contentType ?? "") ? charsetOf(contentType ?? "") : undefined;
  if (charset !== undefined && !knownCharset(charset)) {
    return `The text's charset "${charset}" is unknown; declare a real one, e.g. charset=windows-1251`;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (charset !== undefined && /^(?:us-)?ascii$/i.test(charset) && /[^\u0000-\u007f]/.test(text)) {
    return `The text has 8-bit characters but declares charset "${charset}"; declare its real charset, e.g. charset=windows-1251`;
  }
  if (text.includes(UNDECODABLE)) {
    return "The text is not in the charset the message declares (none means UTF-8); declare it, e.g. Content-Type: text/plain; charset=windows-1251";
  }
  return undefined;
}
