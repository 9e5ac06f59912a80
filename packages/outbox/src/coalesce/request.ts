/**
 * One send request for a batch of passengers: one text → a `phones` list; several texts → `list` lines
 * ("phones:mes", core's formatList). Always `err=1`, so a bad number does not fail the others and SMSC names it
 * in the answer's `errors`.
 */
import { formatList, type SendRequest, type SendResult, segments } from "@smsc-kit/core";
import { normalizeRecipient } from "../recipients.js";
import type { Passenger } from "./grouping.js";

export function batchRequest(batch: readonly Passenger[], id: string): SendRequest {
  const [first] = batch;
  if (first === undefined) throw new Error("a batch request needs at least one row");
  const common = { ...first.options, id, err: 1 };
  const oneText = batch.every((passenger) => passenger.mes === first.mes);
  // The fields passed core's validateRequest at enqueue; SendRequest's option types are not carried by them.
  if (oneText)
    return { ...common, phones: batch.flatMap((p) => p.phones).join(","), mes: first.mes } as SendRequest;
  return {
    ...common,
    list: formatList(batch.map((p) => ({ phones: p.phones.join(","), mes: p.mes }))),
  } as SendRequest;
}

/** What one row of an answered batch came to. */
export type RowVerdict =
  | { kind: "sent"; cnt: number; cost: number | null }
  /** Every recipient of the row is in the answer's `errors`: the first one's status. */
  | { kind: "refused"; phone: string; status: number };

/**
 * Splits a whole amount over rows in proportion to their weights, in units of `step`, so the shares add up to
 * the total exactly (largest remainder). All-zero weights share nothing.
 */
export function shareOut(total: number, weights: readonly number[], step: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const units = Math.round(total / step);
  const exact = weights.map((w) => (units * w) / sum);
  const floors = exact.map(Math.floor);
  let left = units - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((value, i) => ({ i, rest: value - floors[i]! })).sort((a, b) => b.rest - a.rest);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i]! += 1;
    left -= 1;
  }
  return floors.map((count) => Number((count * step).toFixed(6)));
}

/**
 * Each row's verdict from SMSC's answer. SMSC reports per recipient only the refused ones (`errors`, with
 * their statuses); `cnt` and `cost` come for the whole request. So a row's share is by parts: core's `segments`
 * of its text (with the request's translit and maxsms) times its recipients SMSC accepted; SMSC's `cnt` and
 * `cost` are split in proportion to those parts, so the rows' figures add up to the request's.
 */
export function attribute(batch: readonly Passenger[], result: SendResult): RowVerdict[] {
  const refused = new Map<string, number>();
  for (const item of result.errors ?? []) refused.set(normalizeRecipient(item.phone), item.status);
  const parts = batch.map((passenger) => {
    const accepted = passenger.phones.filter((phone) => !refused.has(phone)).length;
    const { translit, maxsms } = passenger.options as {
      translit?: string | number;
      maxsms?: string | number;
    };
    return accepted * segments(passenger.mes, { translit, maxsms }).parts;
  });
  const counted = parts.reduce((a, b) => a + b, 0);
  const cnts = counted === result.cnt ? parts : shareOut(result.cnt, parts, 1);
  const costs = result.cost === undefined ? null : shareOut(result.cost, parts, 0.0001);
  return batch.map((passenger, i) => {
    const firstRefused = passenger.phones.find((phone) => refused.has(phone));
    if (firstRefused !== undefined && passenger.phones.every((phone) => refused.has(phone)))
      return { kind: "refused", phone: firstRefused, status: refused.get(firstRefused)! };
    return { kind: "sent", cnt: cnts[i]!, cost: costs === null ? null : costs[i]! };
  });
}
