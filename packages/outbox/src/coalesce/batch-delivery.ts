/**
 * Many rows through one send request, each still exactly once. Every row passes its own checks first (pause,
 * quiet hours, duplicate window, attempts, flood spacing) and a row that must wait is deferred alone; the rest
 * take ONE slot of the login's budget, get the request's SMSC id stored on each of them (one statement, before
 * the request leaves), and share one request. The answer is split per row: SMSC's `errors` name the refused
 * recipients, the rest are sent; a failure of the whole request is the same verdict for every row, and an
 * unknown outcome leaves each row to be reconciled on its own (get_status with the batch id and its phone).
 */
import { type SendResult, SmscTransportError, statusInfo } from "@smsc-kit/core";
import type { DeliveryContext } from "../delivery-context.js";
import { normalizeRecipient } from "../recipients.js";
import {
  type DeferReason,
  deadIfExhausted,
  defer,
  deferIfWaiting,
  finishDead,
  leaseLost,
  rowEvent,
} from "../row-outcomes.js";
import { onSendFailure } from "../send-failure.js";
import { generateSmscId, wireId } from "../smsc-id.js";
import type { RowError } from "../store/store.js";
import type { Passenger } from "./grouping.js";
import { attribute, batchRequest } from "./request.js";

/** The per-row checks of ../delivery.ts before a send: the rows that may go now (the others are deferred). */
async function readyToSend(batch: readonly Passenger[], context: DeliveryContext): Promise<Passenger[]> {
  const now = context.now();
  const hold = context.gate.holdUntil(now);
  if (hold !== null) {
    await deferAll(batch, context, hold, context.gate.pauseReason ? "paused" : "ip_blocked");
    return [];
  }
  const ready: Passenger[] = [];
  const waits: Promise<void>[] = [];
  for (const passenger of batch) {
    const held = deferIfWaiting(passenger.row, context, now) ?? deadIfExhausted(passenger.row, context);
    if (held) waits.push(held);
    else ready.push(passenger);
  }
  await Promise.all(waits);
  if (ready.length === 0) return ready;
  // Asked once for the whole batch, once the rows are sure to be sent: admitting counts them against their phones.
  const admitAt = context.now();
  const verdicts = await context.flood.admit(
    ready.map((p) => p.row),
    admitAt,
  );
  const admitted: Passenger[] = [];
  const floods: Promise<void>[] = [];
  for (const passenger of ready) {
    const free = verdicts.get(passenger.row.rowId) ?? admitAt;
    if (free > admitAt) floods.push(defer(passenger.row, context, free, "flood"));
    else admitted.push(passenger);
  }
  await Promise.all(floods);
  return admitted;
}

function deferAll(
  batch: readonly Passenger[],
  context: DeliveryContext,
  runAt: number,
  reason: DeferReason,
  attemptedAt: number | null = null,
  error: RowError | null = null,
): Promise<void> {
  return Promise.all(batch.map((p) => defer(p.row, context, runAt, reason, attemptedAt, error))).then(
    () => undefined,
  );
}

/** Stores the request's id on every row it carries; a row whose lease was lost stays out of the request. */
async function board(batch: readonly Passenger[], context: DeliveryContext): Promise<[Passenger[], string]> {
  const [only] = batch;
  // One row keeps the id SMSC already knows it by: nothing to write.
  if (batch.length === 1 && only !== undefined) return [batch.slice(), wireId(only.row)];
  const batchId = generateSmscId(context.idPrefix);
  const held = new Set(
    await context.store.assignBatch(
      context.owner,
      batch.map((p) => p.row.rowId),
      batchId,
      context.now(),
    ),
  );
  const carried: Passenger[] = [];
  for (const passenger of batch) {
    if (held.has(passenger.row.rowId)) carried.push({ ...passenger, row: { ...passenger.row, batchId } });
    else leaseLost(passenger.row, context);
  }
  return [carried, batchId];
}

/** Delivers passengers that share one group key and have distinct recipients (./grouping.ts). */
export async function deliverBatch(batch: readonly Passenger[], context: DeliveryContext): Promise<void> {
  const ready = await readyToSend(batch, context);
  if (ready.length === 0) return;
  const slots = context.sendSlots; // a restart replaces the semaphore; release the one acquired
  await slots.acquire();
  const permit = await context.requests.acquire().catch((err: unknown) => {
    slots.release();
    throw err;
  });
  let carried: Passenger[] = [];
  let result: SendResult;
  let attemptedAt: number | null = null;
  try {
    if (context.isStopping()) return await deferAll(ready, context, context.now(), "stopping");
    const held = context.gate.holdUntil(context.now());
    if (held !== null)
      return await deferAll(ready, context, held, context.gate.pauseReason ? "paused" : "ip_blocked");
    const [boarded, id] = await board(ready, context);
    carried = boarded;
    if (carried.length === 0) return;
    attemptedAt = context.now();
    result = await context.client.send(batchRequest(carried, id));
  } catch (err) {
    if (carried.length === 0) throw err; // the store failed before the request: the rows' leases run out
    const reached = err instanceof SmscTransportError && err.outcome === "not_sent" ? null : attemptedAt;
    return onSendFailure(
      carried.map((p) => p.row),
      context,
      err,
      reached,
    );
  } finally {
    permit.release();
    slots.release();
  }
  await onBatchAnswer(carried, context, result, attemptedAt);
}

/** The recipients SMSC accepted are sent; a row whose every recipient SMSC refused gets that status. */
async function onBatchAnswer(
  carried: readonly Passenger[],
  context: DeliveryContext,
  result: SendResult,
  attemptedAt: number,
): Promise<void> {
  const verdicts = attribute(carried, result);
  const refusedStatuses = new Map(
    (result.errors ?? []).map((item) => [normalizeRecipient(item.phone), item.status]),
  );
  const at = context.now();
  await Promise.all(
    carried.map(async ({ row }, i) => {
      const verdict = verdicts[i]!;
      if (verdict.kind === "refused") {
        const name = statusInfo(verdict.status)?.name ?? "unknown status";
        const error: RowError = {
          code: null,
          errorClass: "invalid_recipient",
          message: `SMSC refused recipient ${verdict.phone} inside the request: status ${verdict.status} (${name})`,
        };
        await finishDead(row, context, error, true, attemptedAt);
      } else {
        const done = await context.sent.complete({
          rowId: row.rowId,
          at,
          cnt: verdict.cnt,
          cost: verdict.cost,
          countAttempt: true,
          attemptedAt,
        });
        if (!done) return leaseLost(row, context);
        context.events.emit("sent", {
          ...rowEvent(done, at),
          cnt: done.cnt,
          cost: done.cost,
          reconciled: false,
        });
      }
      // The statuses SMSC gave the refused recipients, kept like any other status of theirs.
      for (const phone of row.recipients) {
        const status = refusedStatuses.get(phone);
        if (status !== undefined)
          await context
            .recordPolledStatus(row, phone, status, undefined, new Date(at), "send")
            .catch(() => {});
      }
    }),
  );
}
