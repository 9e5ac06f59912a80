/**
 * Recipient lists as SMSC reads them (`phones`): separated by "," or ";", each a phone number
 * (international, "+" optional), a contact group `G<n>`, an e-mail address or a Telegram `#ID`. The
 * separators and patterns are the catalog's (FIELDS.phones.format).
 */
import { FIELDS } from "./generated/index.js";

export type RecipientKind = "phone" | "group" | "email" | "telegram";

export type Recipient =
  | { kind: RecipientKind; input: string; value: string }
  | { kind: "invalid"; input: string; value: string };

interface ListFormat {
  separators: readonly string[];
  items: readonly { name: string; pattern: string }[];
}

const format = FIELDS.phones.format as unknown as ListFormat;
const SPLIT = new RegExp(`[${format.separators.map((s) => `\\${s}`).join("")}]`);
const MATCHERS = format.items.map((item) => ({
  kind: item.name as RecipientKind,
  pattern: new RegExp(`^(?:${item.pattern})$`, "u"),
}));

/** A phone's canonical form: digits with the leading "+" kept (spaces, dashes, brackets dropped). */
function normalise(kind: RecipientKind, text: string): string {
  if (kind !== "phone") return text;
  return (text.startsWith("+") ? "+" : "") + text.replace(/\D/g, "");
}

export function parsePhones(phones: string | readonly string[]): Recipient[] {
  const parts = typeof phones === "string" ? phones.split(SPLIT) : phones.flatMap((p) => p.split(SPLIT));
  const recipients: Recipient[] = [];
  for (const part of parts) {
    const input = part.trim();
    if (input === "") continue;
    const match = MATCHERS.find((matcher) => matcher.pattern.test(input));
    recipients.push(
      match === undefined
        ? { kind: "invalid", input, value: input }
        : { kind: match.kind, input, value: normalise(match.kind, input) },
    );
  }
  return recipients;
}

/**
 * The key that identifies one recipient whatever punctuation it was written with, so a status answer or
 * a callback for "79991234567" matches a message sent to "+7 (999) 123-45-67": a phone's digits (no
 * "+"), an e-mail address in lower case, anything else (a group, a Telegram id, text that is no
 * recipient) trimmed.
 */
export function recipientKey(recipient: string): string {
  const [parsed] = parsePhones(recipient);
  if (parsed === undefined) return recipient.trim();
  if (parsed.kind === "phone") return parsed.value.replace(/\D/g, "");
  if (parsed.kind === "email") return parsed.value.toLowerCase();
  return parsed.value;
}
