/**
 * Turns the decoded fields of one SMSC callback into a typed status callback or incoming SMS.
 *
 * SMSC posts delivery statuses and incoming SMS to the same URL (docs/protocol.md §4). The field list is
 * known only from third-party handlers, so every field is also kept raw: nothing SMSC sends is dropped.
 * Code meanings (status names, finality, delivery-error names) come from core's generated tables.
 */
import { parsePhones, recipientKey } from "@smsc-kit/core";
import { WebhookInputError } from "./errors.js";
import type { FormPair } from "./form.js";
import { deliveryErrorInfo, messageIdProblem, statusInfo } from "./status-codes.js";

/** Fields that carry the signature; they are checked, never stored. */
export const SIGNATURE_FIELDS = ["md5", "sha1", "crc32"] as const;

/** HLR lookup results that arrive alongside the status of an `hlr=1` message. */
export interface HlrInfo {
  imsi?: string;
  msc?: string;
  mcc?: string;
  mnc?: string;
  /** Country name. */
  cn?: string;
  /** Operator (network) name. */
  net?: string;
  roaming?: string;
}

export interface StatusCallback {
  readonly kind: "status";
  readonly id: string;
  readonly phone: string;
  readonly status: number;
  readonly statusName: string;
  readonly final: boolean;
  readonly err?: number;
  readonly errName?: string;
  readonly cost?: number;
  readonly senderId?: string;
  readonly smsCnt?: number;
  /** Message type as SMSC numbers it (0 SMS, 1 flash, … see core's MESSAGE_KINDS). */
  readonly type?: number;
  /** When SMSC says the status happened (`ts`, unix seconds); undefined when SMSC did not say. */
  readonly eventAt?: Date;
  /** `time` exactly as sent: its format is not documented, so it is not interpreted. */
  readonly time?: string;
  readonly hlr?: HlrInfo;
  /** Every field received except the signature fields, exactly as decoded. */
  readonly raw: Readonly<Record<string, string>>;
}

export interface IncomingSms {
  readonly kind: "incoming";
  /** SMSC's id of the incoming message, when it sends one (used to deduplicate replays). */
  readonly id?: string;
  /** The sender's phone. */
  readonly phone: string;
  readonly mes: string;
  /** The number the SMS was sent to, when SMSC says. */
  readonly to?: string;
  readonly eventAt?: Date;
  readonly raw: Readonly<Record<string, string>>;
}

export type SmscCallback = StatusCallback | IncomingSms;

const INTEGER = /^-?\d{1,10}$/;
const NON_NEGATIVE_INTEGER = /^\d{1,10}$/;
const DECIMAL = /^\d{1,12}(\.\d{1,6})?$/;
// Phones are digits for SMS but e-mail addresses for mail=1 and usernames for messengers: only bound the size
// and refuse control characters.
const MAX_PHONE_LENGTH = 254;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

const HLR_FIELDS = ["imsi", "msc", "mcc", "mnc", "cn", "net", "roaming"] as const;

/** Collapses pairs into a record; a field sent twice is refused because it makes the signature ambiguous. */
export function fieldsOf(pairs: readonly FormPair[]): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const { key, value } of pairs) {
    if (key.length === 0) continue;
    if (Object.hasOwn(fields, key)) throw new WebhookInputError(key, "must be given once");
    fields[key] = value;
  }
  return fields;
}

/** Validates and types one callback's fields; throws WebhookInputError naming the first bad field. */
export function parseCallback(fields: Readonly<Record<string, string>>): SmscCallback {
  // No prototype: a field named "__proto__" is kept as data like any other.
  const raw: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(fields)) {
    if (!(SIGNATURE_FIELDS as readonly string[]).includes(key)) raw[key] = value;
  }
  const present = (name: string): string | undefined => {
    const value = fields[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };

  // Incoming SMS carry the text and no status; a delivery status always carries `status`.
  if (present("status") === undefined && fields["mes"] !== undefined) {
    const id = present("id") ?? present("sms_id");
    if (id !== undefined) checkMessageId(id, present("id") !== undefined ? "id" : "sms_id");
    const phone = requirePhone(present("phone"));
    const to = present("to");
    const eventAt = unixTime(present("ts"), "ts");
    return {
      kind: "incoming",
      phone,
      mes: fields["mes"],
      raw,
      ...(id !== undefined ? { id } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(eventAt !== undefined ? { eventAt } : {}),
    };
  }

  const id = present("id");
  if (id === undefined) throw new WebhookInputError("id", "is required");
  checkMessageId(id, "id");
  const phone = subscriberKey(requirePhone(present("phone")));

  const statusText = present("status");
  if (statusText === undefined) throw new WebhookInputError("status", "is required");
  if (!INTEGER.test(statusText)) throw new WebhookInputError("status", "must be an integer status code");
  const status = Number(statusText);
  const info = statusInfo(status);
  if (info === undefined) throw new WebhookInputError("status", "must be a status code SMSC defines");

  const err = integer(present("err"), "err", NON_NEGATIVE_INTEGER, "must be a non-negative integer");
  const smsCnt =
    integer(present("sms_cnt"), "sms_cnt", NON_NEGATIVE_INTEGER, "must be a non-negative integer") ??
    integer(present("cnt"), "cnt", NON_NEGATIVE_INTEGER, "must be a non-negative integer");
  const type = integer(present("type"), "type", NON_NEGATIVE_INTEGER, "must be a non-negative integer");
  const costText = present("cost");
  if (costText !== undefined && !DECIMAL.test(costText)) {
    throw new WebhookInputError("cost", "must be a non-negative decimal number");
  }
  const eventAt = unixTime(present("ts"), "ts");
  const senderId = present("sender_id");
  const time = present("time");
  const errName = err === undefined ? undefined : deliveryErrorInfo(err)?.name;

  const hlr: HlrInfo = {};
  for (const name of HLR_FIELDS) {
    const value = present(name);
    if (value !== undefined) hlr[name] = value;
  }

  return {
    kind: "status",
    id,
    phone,
    status,
    statusName: info.name,
    final: info.final,
    raw,
    ...(err !== undefined ? { err } : {}),
    ...(errName !== undefined ? { errName } : {}),
    ...(costText !== undefined ? { cost: Number(costText) } : {}),
    ...(senderId !== undefined ? { senderId } : {}),
    ...(smsCnt !== undefined ? { smsCnt } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(eventAt !== undefined ? { eventAt } : {}),
    ...(time !== undefined ? { time } : {}),
    ...(Object.keys(hlr).length > 0 ? { hlr } : {}),
  };
}

function checkMessageId(id: string, field: string): void {
  const problem = messageIdProblem(id);
  if (problem !== undefined) throw new WebhookInputError(field, problem);
}

/**
 * One subscriber, one key (core's recipientKey, as the outbox matches): "+7 (999) …" and "7999…" update
 * the same message. Other recipients (a mail address) stay as SMSC sent them.
 */
function subscriberKey(phone: string): string {
  return parsePhones(phone)[0]?.kind === "phone" ? recipientKey(phone) : phone;
}

function requirePhone(phone: string | undefined): string {
  if (phone === undefined) throw new WebhookInputError("phone", "is required");
  if (phone.length > MAX_PHONE_LENGTH) {
    throw new WebhookInputError("phone", `must be at most ${MAX_PHONE_LENGTH} characters`);
  }
  if (CONTROL.test(phone)) throw new WebhookInputError("phone", "must not contain control characters");
  return phone;
}

function integer(
  value: string | undefined,
  field: string,
  pattern: RegExp,
  rule: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new WebhookInputError(field, rule);
  return Number(value);
}

function unixTime(value: string | undefined, field: string): Date | undefined {
  const seconds = integer(value, field, NON_NEGATIVE_INTEGER, "must be unix time in seconds");
  return seconds === undefined ? undefined : new Date(seconds * 1000);
}
