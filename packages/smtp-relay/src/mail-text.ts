import { convert } from "html-to-text";
import type { Email } from "postal-mime";
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
}

export const DEFAULT_BODY_POLICY: BodyPolicy = {
  subject: "ignore",
  stripSignature: true,
  stripQuotedReplies: true,
  attachments: "ignore",
};

export type SmsTextResult = { ok: true; text: string } | { ok: false; error: SmtpReplyError };

function htmlToPlain(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
    ],
  });
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
  const plain = email.text?.trim() ? email.text : email.html ? htmlToPlain(email.html) : "";
  let body = normalizeWhitespace(plain);
  if (policy.stripQuotedReplies) body = stripQuotedReplies(body);
  if (policy.stripSignature) body = stripSignature(body);
  body = normalizeWhitespace(body);

  const subject = normalizeWhitespace(email.subject ?? "");
  const text = policy.subject === "prepend" && subject ? (body ? `${subject}\n${body}` : subject) : body;
  if (!text) {
    return { ok: false, error: reply.contentRefused("The message has no text to send as SMS") };
  }
  return { ok: true, text };
}
