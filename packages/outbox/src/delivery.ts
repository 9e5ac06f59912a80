import {
  type SendRequest,
  type SendResult,
  SmscApiError,
  SmscTransportError,
  type StatusResult,
} from "@smsc-kit/core";
import type { DeliveryContext } from "./delivery-context.js";
import { readStoredRequest } from "./message.js";
import { errorClassOf, isNotFoundStatus } from "./protocol.js";
import { lookupRecipients, statusLimitKey } from "./recipients.js";
import {
  deadIfExhausted,
  defer,
  deferIfWaiting,
  describe,
  finishDead,
  finishRetry,
  leaseLost,
  rowEvent,
} from "./row-outcomes.js";
import { onSendFailure } from "./send-failure.js";
import { wireId } from "./smsc-id.js";
import type { ClaimedRow, RowError } from "./store/store.js";

type Reconciled = "sent" | "absent" | "undecided" | "unreconcilable";

/** Takes one claimed row through reconcile-before-retry, send and the catalog's verdict. Never throws for SMSC errors. */
export async function deliver(row: ClaimedRow, context: DeliveryContext): Promise<void> {
  const now = context.now();
  const hold = context.gate.holdUntil(now);
  if (hold !== null) return defer(row, context, hold, context.gate.pauseReason ? "paused" : "ip_blocked");
  const waiting = deferIfWaiting(row, context, now);
  if (waiting) return waiting;
  const request = readStoredRequest(row.request);

  if (row.reconcile) {
    const verdict = await reconcile(row, context);
    if (verdict === "sent") return;
    if (verdict === "unreconcilable") {
      const error: RowError = {
        code: null,
        errorClass: "unknown",
        message: "outcome unknown and the message has no recipient get_status could look up; not resent",
      };
      return finishDead(row, context, error, false, null);
    }
    if (verdict === "undecided") {
      const runAt = context.now() + context.reconcileDelayMs;
      const error: RowError = {
        code: null,
        errorClass: "unknown",
        message: "outcome still unknown: get_status could not decide",
      };
      return finishRetry(row, context, runAt, error, true, false, null);
    }
  }
  const exhausted = deadIfExhausted(row, context);
  if (exhausted) return exhausted;

  // Asked last, once the row is sure to be sent: admitting counts the message against its phones.
  const admitAt = context.now();
  const floodFree = (await context.flood.admit([row], admitAt)).get(row.rowId) ?? admitAt;
  if (floodFree > admitAt) return defer(row, context, floodFree, "flood");

  // Slots bound this worker's concurrent sends; requests bound everything open to SMSC under this login, across
  // every process on the store.
  const slots = context.sendSlots; // a restart replaces the semaphore; release the one acquired
  await slots.acquire();
  const permit = await context.requests.acquire().catch((err: unknown) => {
    slots.release();
    throw err;
  });
  let result: SendResult;
  let attemptedAt: number | null = null;
  try {
    // A graceful stop gives back rows that had not started their request yet.
    if (context.isStopping()) return defer(row, context, context.now(), "stopping");
    // The login may have been paused or blocked (here or by another process) while this row waited for a slot.
    const held = context.gate.holdUntil(context.now());
    if (held !== null) return defer(row, context, held, context.gate.pauseReason ? "paused" : "ip_blocked");
    // Before the request leaves, the row is marked as one SMSC may have seen (under the id it travels with): if
    // this process dies from here on, the next claim reconciles it instead of sending again (store/sql/statements/
    // claim.ts). If the store fails here, no request has left: the row's lease runs out and it is sent later.
    const marked = await context.store.markSending(context.owner, [row.rowId]);
    if (marked.length === 0) return leaseLost(row, context);
    // The fields passed core's validateRequest at enqueue; core's result type does not carry that, hence the type.
    // The id SMSC knows the row by: its own, or the id of the batch that last carried it (./coalesce/).
    const send = { ...request.send, id: wireId(row) } as SendRequest;
    attemptedAt = context.now();
    result = await context.client.send(send);
  } catch (err) {
    if (attemptedAt === null) throw err; // the store failed before any request: the row's lease runs out, unsent
    const reached = err instanceof SmscTransportError && err.outcome === "not_sent" ? null : attemptedAt;
    return onSendFailure([row], context, err, reached);
  } finally {
    permit.release();
    slots.release();
  }
  const at = context.now();
  const done = await context.sent.complete({
    rowId: row.rowId,
    at,
    cnt: result.cnt,
    cost: result.cost ?? null,
    countAttempt: true,
    attemptedAt,
  });
  if (!done) return leaseLost(row, context);
  context.events.emit("sent", { ...rowEvent(done, at), cnt: done.cnt, cost: done.cost, reconciled: false });
}

type Lookup = { found: true; phone: string; status: StatusResult } | { found: false; verdict: Reconciled };

/** One get_status for this row's message to `phone`, within the per-message and concurrency limits. */
async function lookUp(row: ClaimedRow, phone: string, context: DeliveryContext): Promise<Lookup> {
  if (!(await context.statusPerMessage.tryTake(statusLimitKey(wireId(row), phone), context.now())))
    return { found: false, verdict: "undecided" };
  let status: StatusResult;
  try {
    status = await context.statusRequests.run(() =>
      context.requests.run(() => context.client.status({ id: wireId(row), phone, all: 1 })),
    );
  } catch (err) {
    if (err instanceof SmscApiError) {
      const errorClass = errorClassOf("status", err.code);
      if (errorClass === "not_found") return { found: false, verdict: "absent" };
      const now = context.now();
      if (errorClass === "ip_blocked") context.gate.block(now + context.ipBlockMs, describe(err), now);
      if (errorClass === "auth") context.gate.pause("auth", describe(err), now);
    }
    return { found: false, verdict: "undecided" };
  }
  if (isNotFoundStatus(status.status)) return { found: false, verdict: "absent" };
  return { found: true, phone, status };
}

/**
 * Did SMSC accept this row's send? A send to several phones creates one message per phone under the
 * row's one id, in one step: SMSC accepts or refuses the request as a whole. So the first recipient
 * found proves the whole send was accepted, and we stop asking. One "not found" proves less: SMSC may
 * accept a send yet keep no message for a recipient it refused inside it (a number it lists under
 * `errors`), and taking that for "never arrived" would resend to everyone else. So the row counts as
 * absent only when every recipient get_status can look up said "not found". Each of those calls asks
 * about a different SMSC message (id + phone), so the per-message status rule is kept with one request
 * each; a recipient at its limit leaves the row undecided, to be asked again later.
 */
async function reconcile(row: ClaimedRow, context: DeliveryContext): Promise<Reconciled> {
  const phones = lookupRecipients(row.recipients);
  // Nothing to look the message up by: never resend blindly, let a person decide from the dead letter.
  if (phones.length === 0) return "unreconcilable";
  let lookup: Lookup | undefined;
  for (const phone of phones) {
    lookup = await lookUp(row, phone, context);
    if (lookup.found || lookup.verdict !== "absent") break;
  }
  if (lookup === undefined || !lookup.found) return lookup?.verdict ?? "unreconcilable";
  const { phone, status } = lookup;
  const at = context.now();
  const done = await context.store.finish(
    context.owner,
    row.rowId,
    // all=1 answers carry the cost SMSC charged (and the parts where the answer has them), which the lost send
    // answer would have told us.
    {
      kind: "sent",
      at,
      cnt: status.smsCnt ?? null,
      cost: status.cost ?? null,
      countAttempt: false,
      attemptedAt: null,
    },
    at,
  );
  if (!done) {
    leaseLost(row, context);
    return "sent";
  }
  context.events.emit("sent", { ...rowEvent(done, at), cnt: done.cnt, cost: done.cost, reconciled: true });
  await context
    .recordPolledStatus(done, phone, status.status, status.err, status.lastDate ?? new Date(at))
    .catch(() => {});
  return "sent";
}
