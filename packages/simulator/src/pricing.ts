import type { Account } from "./accounts.js";
import { ERRORS } from "./error-codes.js";
import { type PhoneOutcome, type PhoneRule, resolvePhoneOutcome } from "./phone-rules.js";
import {
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

/** Recipients in SMSC's canonical form; one that matches no recipient format (or none at all) is refused. */
function recipientsOf(phones: string): string[] {
  const recipients = parsePhones(phones);
  if (recipients.length === 0 || recipients.some((recipient) => recipient.kind === "invalid")) {
    throw new RequestError(ERRORS.badPhone);
  }
  return recipients.map((recipient) => recipient.value);
}

/**
 * Recipients, parts and price of a send or cost request: one function for both, so a price quote and
 * the charge of the same request always agree. `cnt` = parts × recipients (core's `segments`).
 */
export function planRecipients(
  fields: Fields,
  kind: MessageKind,
  account: Account,
  rules: readonly PhoneRule[],
): { plan: PlannedRecipient[]; cnt: number; cost: number } {
  const plan: PlannedRecipient[] = [];
  for (const entry of messageEntries(fields)) {
    const parts = kind.ignoresMes
      ? 1
      : segments(entry.mes, { translit: fields["translit"], maxsms: fields["maxsms"] }).parts;
    for (const phone of recipientsOf(entry.phones)) {
      const outcome = resolvePhoneOutcome(rules, phone);
      if (outcome.sendError !== undefined) throw new RequestError(outcome.sendError);
      plan.push({
        phone,
        mes: entry.mes,
        sender: entry.sender ?? fields["sender"] ?? "",
        tz: entry.tz ?? fields["tz"],
        parts,
        price: parts * account.priceFor(kind.name),
        outcome,
      });
    }
  }
  return {
    plan,
    cnt: plan.reduce((sum, r) => sum + r.parts, 0),
    cost: plan.reduce((sum, r) => sum + r.price, 0),
  };
}
