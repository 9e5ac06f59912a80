import type { Account } from "./accounts.js";
import { ERRORS } from "./error-codes.js";
import { type PhoneOutcome, type PhoneRule, resolvePhoneOutcome } from "./phone-rules.js";
import {
  isPossiblePhone,
  type ListEntry,
  type MessageKind,
  parseListOption,
  parsePhones,
  SmscValidationError,
  segments,
} from "./protocol.js";
import { RequestError } from "./request-error.js";
import type { Fields } from "./request-fields.js";

/** One recipient of a send or cost request, priced. */
export interface PlannedRecipient {
  phone: string;
  mes: string;
  sender: string;
  tz: string | undefined;
  parts: number;
  price: number;
  outcome: PhoneOutcome;
}

/** The lines of `list`, or the request's own phones and text as one line; a bad `list` is refused. */
export function messageEntries(fields: Fields): ListEntry[] {
  const list = fields["list"];
  if (list === undefined) return [{ phones: fields["phones"] ?? "", mes: fields["mes"] ?? "" }];
  try {
    return parseListOption(list, { nl: fields["nl"] });
  } catch (error) {
    if (error instanceof SmscValidationError) throw new RequestError(error.smscError);
    throw error;
  }
}

/** A recipient SMSC would not send to, with the request error it would have answered for it alone. */
export interface RefusedRecipient {
  phone: string;
  mes: string;
  sender: string;
  error: number;
}

/**
 * Recipients in SMSC's canonical form, and those that cannot be a recipient (as written): no recipient
 * format, or a phone no numbering plan has. None at all is refused with error 7.
 */
function recipientsOf(phones: string): { valid: string[]; invalid: string[] } {
  const recipients = parsePhones(phones);
  if (recipients.length === 0) throw new RequestError(ERRORS.badPhone);
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const recipient of recipients) {
    // A phone no numbering plan allows (`+7 12`) is as bad as one in no format: core's rule, error 7.
    const impossible = recipient.kind === "phone" && !isPossiblePhone(recipient.input);
    if (recipient.kind === "invalid" || impossible) invalid.push(recipient.input);
    else valid.push(recipient.value);
  }
  return { valid, invalid };
}

/**
 * Recipients, parts and price of a send or cost request: one function for both, so a price quote and
 * the charge of the same request always agree. `cnt` = parts × recipients (core's `segments`).
 *
 * With `err=1` a recipient SMSC refuses (bad format, or a phone rule's `sendError`) no longer fails the
 * request: it lands in `refused` and the others go ahead (docs/protocol.md §2.2, "err"). Only when no
 * recipient is left does the request fail, with the first refused recipient's error.
 */
export function planRecipients(
  fields: Fields,
  kind: MessageKind,
  account: Account,
  rules: readonly PhoneRule[],
): { plan: PlannedRecipient[]; refused: RefusedRecipient[]; cnt: number; cost: number } {
  const partial = fields["err"] === "1";
  const plan: PlannedRecipient[] = [];
  const refused: RefusedRecipient[] = [];
  for (const entry of messageEntries(fields)) {
    const parts = kind.ignoresMes
      ? 1
      : segments(entry.mes, { translit: fields["translit"], maxsms: fields["maxsms"] }).parts;
    const sender = entry.sender ?? fields["sender"] ?? "";
    const refuse = (phone: string, error: number): void => {
      if (!partial) throw new RequestError(error);
      refused.push({ phone, mes: entry.mes, sender, error });
    };
    const { valid, invalid } = recipientsOf(entry.phones);
    for (const phone of invalid) refuse(phone, ERRORS.badPhone);
    for (const phone of valid) {
      const outcome = resolvePhoneOutcome(rules, phone);
      if (outcome.sendError !== undefined) {
        refuse(phone, outcome.sendError);
        continue;
      }
      plan.push({
        phone,
        mes: entry.mes,
        sender,
        tz: entry.tz ?? fields["tz"],
        parts,
        price: parts * account.priceFor(kind.name),
        outcome,
      });
    }
  }
  const [firstRefused] = refused;
  if (plan.length === 0 && firstRefused !== undefined) throw new RequestError(firstRefused.error);
  return {
    plan,
    refused,
    cnt: plan.reduce((sum, r) => sum + r.parts, 0),
    cost: plan.reduce((sum, r) => sum + r.price, 0),
  };
}
