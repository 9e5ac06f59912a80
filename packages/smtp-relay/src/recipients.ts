import type { PhoneOptions } from "@smsc-kit/core";
import { RelayConfigError } from "./options.js";
import { checkPhone } from "./protocol.js";
import { reply, type SmtpReplyError } from "./smtp-error.js";

export type RecipientResult = { ok: true; phone: string } | { ok: false; error: SmtpReplyError };

/**
 * `<digits>@domain` or `+<digits>@domain`, the digits optionally grouped by dashes (`8-999-000-00-30@…`):
 * the one separator people type in numbers that an address can carry unquoted and SMSC's phone format
 * allows (spec/catalog.yaml, fields.phones). Core's phone identity makes every spelling one subscriber.
 */
const PHONE_LOCAL_PART = /^\+?[0-9]+(?:-[0-9]+)*$/;

/**
 * Maps an RCPT TO address to a phone number, or says why not. Runs on every RCPT so
 * the client learns about a bad recipient on the spot, not after DATA.
 */
export function createRecipientResolver(
  domains: readonly string[],
  addressBook: Record<string, string> = {},
  phoneOptions: PhoneOptions = {},
) {
  if (domains.length === 0) {
    throw new RelayConfigError("domains", "non_empty", "at least one domain must be configured");
  }
  const domainSet = new Set(domains.map((domain) => domain.toLowerCase()));
  const book = new Map<string, string>();
  for (const [name, phone] of Object.entries(addressBook)) {
    const checked = checkPhone(phone, phoneOptions);
    if (!checked.ok) {
      throw new RelayConfigError(
        `addressBook.${name}`,
        checked.rule,
        `"${phone}" is not a valid phone number (${checked.message})`,
      );
    }
    book.set(name.toLowerCase(), checked.phone);
  }

  return function resolveRecipient(address: string): RecipientResult {
    const at = address.lastIndexOf("@");
    if (at <= 0) {
      return { ok: false, error: reply.badMailbox(`Recipient <${address}> has no domain`) };
    }
    const local = address.slice(0, at);
    const domain = address.slice(at + 1).toLowerCase();
    if (!domainSet.has(domain)) return { ok: false, error: reply.relayDenied(domain) };

    const fromBook = book.get(local.toLowerCase());
    if (fromBook) return { ok: true, phone: fromBook };
    if (!PHONE_LOCAL_PART.test(local)) {
      return {
        ok: false,
        error: reply.badMailbox(
          `Recipient <${address}> is not a phone number (rule local_part_format: digits, optionally grouped by dashes, with an optional leading +, or an address book name)`,
        ),
      };
    }
    const checked = checkPhone(local, phoneOptions);
    if (!checked.ok) {
      return {
        ok: false,
        error: reply.badMailbox(`Recipient <${address}> is not a valid phone number (${checked.message})`),
      };
    }
    return { ok: true, phone: checked.phone };
  };
}

export type RecipientResolver = ReturnType<typeof createRecipientResolver>;
