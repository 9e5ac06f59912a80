/**
 * Writing a delivery's outcome on its row (retry, dead letter, defer) and telling the listeners, once the write
 * is durable. A row whose lease another worker took over is left to that worker.
 */
import { SmscApiError, SmscTransportError, SmscValidationError } from "@smsc-kit/core";
import { retryDelay } from "./backoff.js";
import type { DeliveryContext } from "./delivery-context.js";
import type { DeferredEvent, RowEvent } from "./events.js";
import { readStoredRequest } from "./message.js";
import { nextAllowedTime } from "./quiet-hours.js";
import type { ClaimedRow, RowError, StoredRow } from "./store/store.js";

export type DeferReason = DeferredEvent["reason"];

export function rowEvent(row: StoredRow, at: number): RowEvent {
  return {
    rowId: row.rowId,
    smscId: row.smscId,
    attempts: row.attempts,
    meta: row.meta,
    createdAt: row.createdAt,
    at,
  };
}

export function describe(err: unknown): RowError {
  if (err instanceof SmscApiError)
    return { code: err.code, errorClass: err.errorClass, message: err.message };
  if (err instanceof SmscTransportError)
    return { code: null, errorClass: `transport_${err.outcome}`, message: err.message };
  if (err instanceof SmscValidationError)
    return { code: err.smscError, errorClass: "invalid_request", message: err.message };
  return { code: null, errorClass: null, message: err instanceof Error ? err.message : String(err) };
}

export function delay(row: StoredRow, context: DeliveryContext): number {
  return retryDelay(row.attempts + 1, context.backoff);
}

export async function retryOrDead(
  row: ClaimedRow,
  context: DeliveryContext,
  error: RowError,
  attemptedAt: number | null,
): Promise<void> {
  if (row.attempts + 1 >= context.maxAttempts) return finishDead(row, context, error, true, attemptedAt);
  return finishRetry(row, context, context.now() + delay(row, context), error, false, true, attemptedAt);
}

export async function finishRetry(
  row: ClaimedRow,
  context: DeliveryContext,
  runAt: number,
  error: RowError,
  unknown: boolean,
  countAttempt: boolean,
  attemptedAt: number | null,
): Promise<void> {
  const at = context.now();
  const outcome = { kind: "retry", runAt, error, unknown, countAttempt, attemptedAt } as const;
  const done = await context.store.finish(context.owner, row.rowId, outcome, at);
  if (!done) return leaseLost(row, context);
  context.events.emit("retry", { ...rowEvent(done, at), runAt, error, unknown });
}

export async function finishDead(
  row: ClaimedRow,
  context: DeliveryContext,
  error: RowError,
  countAttempt: boolean,
  attemptedAt: number | null,
): Promise<void> {
  const at = context.now();
  const done = await context.store.finish(
    context.owner,
    row.rowId,
    { kind: "dead", at, error, countAttempt, attemptedAt },
    at,
  );
  if (!done) return leaseLost(row, context);
  context.events.emit("dead", { ...rowEvent(done, at), error });
}

export async function defer(
  row: ClaimedRow,
  context: DeliveryContext,
  runAt: number,
  reason: DeferReason,
  attemptedAt: number | null = null,
  error: RowError | null = null,
): Promise<void> {
  const at = context.now();
  const done = await context.store.finish(
    context.owner,
    row.rowId,
    { kind: "defer", runAt, attemptedAt, error },
    at,
  );
  if (!done) return leaseLost(row, context);
  context.events.emit("deferred", { ...rowEvent(done, at), runAt, reason });
}

export function leaseLost(row: StoredRow, context: DeliveryContext): void {
  // Another worker reclaimed the row after our lease expired; it reconciles before sending, so nothing doubles.
  context.events.emit("warning", {
    kind: "lease_lost",
    message: `lease on row ${row.rowId} expired before its outcome was written; the next owner reconciles it`,
    rowId: row.rowId,
    at: context.now(),
  });
}

/**
 * A row that may not be sent at `now`: inside its quiet hours, or inside SMSC's duplicate window since its last
 * request (waited out first, so a "not found" from get_status is followed by the resend at once): the defer being
 * written; null when it may go.
 */
export function deferIfWaiting(row: ClaimedRow, context: DeliveryContext, now: number): Promise<void> | null {
  const request = readStoredRequest(row.request);
  const allowed = request.quietHours ? nextAllowedTime(request.quietHours, now) : now;
  if (allowed > now) return defer(row, context, allowed, "quiet_hours");
  const resendAt = row.lastAttemptAt === null ? 0 : row.lastAttemptAt + context.duplicateWindowMs;
  if (resendAt > now) return defer(row, context, resendAt, "duplicate_window");
  return null;
}

/** A row whose attempts are used up goes to the dead letter with its last error; null while it has some left. */
export function deadIfExhausted(row: ClaimedRow, context: DeliveryContext): Promise<void> | null {
  if (row.attempts < context.maxAttempts) return null;
  const error = {
    code: row.lastErrorCode,
    errorClass: row.lastErrorClass,
    message: `gave up after ${row.attempts} attempts: ${row.lastError ?? "no error recorded"}`,
  };
  return finishDead(row, context, error, false, null);
}
