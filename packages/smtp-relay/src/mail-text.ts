import { convert } from "html-to-text";
import type { Email } from "postal-mime";
import { undecodedText } from "./charset-check.js";
import { SMS_FORMATTERS, SMS_SELECTORS } from "./html-formatters.js";
import { reply, type SmtpReplyError } from "./smtp-error.js";
import { normalizeWhitespace, stripQuotedReplies, stripSignature } from "./text-cleanup.js";

/** How an e-mail body becomes SMS text. */
export interface BodyPolicy {
  /** Put the subject in front of the text ("prepend") or drop it ("ignore"). Default "ignore". */
  subject: "ignore" | "prepend";
  /** Cut everything from the "-- " signature separator on. Default true. */
  stripSignature: boolean;
  /** Drop ">" quoted lines and their attribution line. Default true. */
  stripQuotedReplies: boolean;
  /** Attachments are dropped ("ignore") or make the whole mail refused ("refuse"). Default "ignore". */
  attachments: "ignore" | "refuse";
  /**
   * Largest HTML part converted to text (characters). Conversion is synchronous work on
   * the event loop, so an HTML-only mail above this is refused rather than stalling every
   * other session. Default 100 000.
   */
  maxHtmlChars: number;
}

export const DEFAULT_BODY_POLICY: BodyPolicy = {
  subject: "ignore",
  stripSignature: true,
  stripQuotedReplies: true,
  attachments: "ignore",
  maxHtmlChars: 100_000,
};

export type SmsTextResult = { ok: true; text: string } | { ok: false; error: SmtpReplyError };

// html-to-text walks the DOM recursively: without a depth bound, a few thousand nested
// tags overflow the stack. Real mail is nowhere near this deep.
const HTML_MAX_DEPTH = 128;

function htmlToPlain(html: string, policy: BodyPolicy): SmsTextResult {
  if (html.length > policy.maxHtmlChars) {
    return {
      ok: false,
      error: reply.contentRefused(
        `The HTML part is too large to convert (${html.length} characters, the limit is ${policy.maxHtmlChars}); send text/plain`,
      ),
    };
  }
  try {
    const text = convert(html, {
      wordwrap: false,
      limits: { maxDepth: HTML_MAX_DEPTH, ellipsis: "" },
      // A link is often the point of an alert SMS: its target follows the text ("open https://…"),
      // without brackets that cost characters, once when the text is the URL (html-formatters.ts).
      formatters: SMS_FORMATTERS,
      selectors: SMS_SELECTORS,
    });
    return { ok: true, text };
  } catch (error) {
    return {
      ok: false,
      error: reply.contentRefused(
        `The HTML part could not be converted to text: ${(error as Error).message}`,
      ),
    };
  }
}

/**
 * Picks the SMS text out of a parsed mail: text/plain wins, HTML-only mail is converted.
 * postal-mime has already decoded the transfer encoding and the charset (KOI8-R,
 * windows-1251, UTF-8, ...), so everything here works on JavaScript strings.
 */
export function extractSmsText(email: Email, policy: BodyPolicy): SmsTextResult {
  if (policy.attachments === "refuse" && email.attachments.length > 0) {
    return {
      ok: false,
      error: reply.contentRefused(
        `Attachments are not accepted by this relay (${email.attachments.length} found); send plain text`,
      ),
    };
  }
  let plain = email.text ?? "";
  if (!plain.trim() && email.html) {
    const converted = htmlToPlain(email.html, policy);
    if (!converted.ok) return converted;
    plain = converted.text;
  }
  let body = normalizeWhitespace(plain);
  if (policy.stripQuotedReplies) body = stripQuotedReplies(body);
  if (policy.stripSignature) body = stripSignature(body);
  body = normalizeWhitespace(body);

  const subject = normalizeWhitespace(email.subject ?? "");
  const text = policy.subject === "prepend" && subject ? (body ? `${subject}\n${body}` : subject) : body;
  if (!text) {
    return { ok: false, error: reply.contentRefused("The message has no text to send as SMS") };
  }
  // An SMS of "���" or "Ïðèâåò" would be sent and paid for (charset-check.ts).
  const undecoded = undecodedText(
    text,
    email.headers?.find((header) => header.key === "content-type")?.value,
  );
  if (undecoded !== undefined) return { ok: false, error: reply.contentRefused(undecoded) };
  return { ok: true, text };
}
