/**
 * Recipients as the outbox stores them, so a callback's or a poll's phone matches the row it belongs to
 * whatever punctuation the caller used at enqueue ("+7 (999) 123-45-67" and "79991234567" are one phone).
 */

export function normalizeRecipient(value: string): string {
  const v = value.trim();
  if (v.includes("@")) return v.toLowerCase();
  if (/^[+\d\s()\-.]+$/.test(v)) return v.replace(/\D/g, "");
  return v;
}

/** Group sends (G123) expand on SMSC's side, so any phone may legitimately report back for them. */
export function acceptsRecipient(recipients: readonly string[], phone: string): boolean {
  return recipients.includes(phone) || recipients.some((r) => /^g\d+$/i.test(r));
}
