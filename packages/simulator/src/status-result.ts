import type { SimMessage } from "./messages.js";
import { formatSmscDate, SMSC_METHODS, statusName } from "./protocol.js";
import { money } from "./request-fields.js";

/** A result's wire fields: texts; a repeated field as a list of texts or of records. */
export type ResultFields = Record<
  string,
  string | readonly string[] | readonly Record<string, string>[] | undefined
>;

/** The `all` level from which each status result field is present (catalog results.*.allLevel). */
const ALL_LEVEL = new Map<string, number>(
  (SMSC_METHODS.status?.resultFields ?? []).map((field) => [field.name, field.allLevel ?? 0]),
);

/**
 * The `statusresult` of a message: every field the simulator knows, kept when the catalog says it is
 * present at the requested `all` level (status, dates and err always; the message details from all=1;
 * operator and region from all=2; docs/protocol.md §1.4). Fields the WSDL type lacks (type) are dropped when the envelope is
 * written.
 */
export function statusResult(message: SimMessage, all: number): ResultFields {
  const known: ResultFields = {
    status: String(message.status),
    last_date: formatSmscDate(new Date(message.lastChangeAt)),
    last_timestamp: String(Math.floor(message.lastChangeAt / 1000)),
    err: String(message.err),
    send_date: formatSmscDate(new Date(message.sendAt)),
    send_timestamp: String(Math.floor(message.sendAt / 1000)),
    phone: message.phone,
    cost: money(message.cost),
    sender_id: message.sender,
    status_name: statusName(message.status),
    message: message.mes,
    sms_cnt: String(message.parts),
    type: String(message.type),
    operator: message.operator,
    region: message.region,
  };
  const result: ResultFields = {};
  for (const [name, value] of Object.entries(known)) {
    // A field the catalog does not describe (type) follows the message details (all=1), as SMSC's page lists it.
    if ((ALL_LEVEL.get(name) ?? 1) <= all) result[name] = value;
  }
  return result;
}
