import { parsePhones, recipientKey } from "@smsc-kit/core";

/**
 * Recipients as the outbox stores them, so a callback's or a poll's phone matches the row it belongs to
 * whatever punctuation the caller used at enqueue ("+7 (999) 123-45-67" and "79991234567" are one phone):
 * core's recipientKey, the same key the simulator files messages under.
 */
export const normalizeRecipient: (value: string) => string = recipientKey;

/** Group sends (G<n>) expand on SMSC's side, so any phone may legitimately report back for them. */
export function acceptsRecipient(recipients: readonly string[], phone: string): boolean {
  return recipients.includes(phone) || recipients.some((r) => parsePhones(r)[0]?.kind === "group");
}

/** The recipients of a `phones` value, normalised and de-duplicated, in order. */
export function recipientsOf(phones: string | readonly string[]): string[] {
  const out: string[] = [];
  for (const r of parsePhones(phones)) {
    const v = normalizeRecipient(r.input);
    if (v.length > 0 && !out.includes(v)) out.push(v);
  }
  return out;
}

/**
 * The recipients get_status can look a message up by, in order: phones and e-mail addresses (the
 * catalog's `phone` field of get_status). A group or a Telegram id names no single SMSC message.
 */
export function lookupRecipients(recipients: readonly string[]): string[] {
  return recipients.filter((r) => {
    const kind = parsePhones(r)[0]?.kind;
    return kind === "phone" || kind === "email";
  });
}

/**
 * The key of SMSC's status-per-message rule: a message is one id sent to one phone (get_status takes
 * both), so each recipient of a multi-recipient send has its own budget.
 */
export function statusLimitKey(smscId: string, phone: string): string {
  return `${smscId}\u0000${phone}`;
}
