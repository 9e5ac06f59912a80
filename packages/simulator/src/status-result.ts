import type { SimMessage } from "./messages.js";
import { formatSmscDate, statusName } from "./protocol.js";
import { money } from "./request-fields.js";

export type ResultFields = Record<string, string | readonly Record<string, string>[] | undefined>;

/**
 * The `statusresult` of a message: status, dates and err always; with `all=1` the message details;
 * with `all=2` also operator and region (docs/protocol.md §1.4). Fields the WSDL
 * type lacks (sms_cnt, type) are dropped when the envelope is written.
 */
export function statusResult(message: SimMessage, all: number): ResultFields {
  const result: ResultFields = {
    status: String(message.status),
    last_date: formatSmscDate(new Date(message.lastChangeAt)),
    last_timestamp: String(Math.floor(message.lastChangeAt / 1000)),
    err: String(message.err),
  };
  if (all >= 1) {
    Object.assign(result, {
      send_date: formatSmscDate(new Date(message.sendAt)),
      send_timestamp: String(Math.floor(message.sendAt / 1000)),
      phone: message.phone,
      cost: money(message.cost),
      sender_id: message.sender,
      status_name: statusName(message.status),
      message: message.mes,
      sms_cnt: String(message.parts),
      type: String(message.type),
    });
  }
  if (all >= 2) Object.assign(result, { operator: message.operator, region: message.region });
  return result;
}
