/**
 * What a failed send request means, decided once per request by the catalog's error class, and how it lands on
 * each row the request carried (one row alone, or every row of a batch): the pause or IP block is taken once for
 * the request, the outcome is written per row.
 */
import { SmscApiError, SmscTransportError, SmscValidationError } from "@smsc-kit/core";
import { HOLD_SPREAD_MS } from "./budget/shared-holds.js";
import type { DeliveryContext } from "./delivery-context.js";
import { errorClassOf } from "./protocol.js";
import { defer, delay, describe, finishDead, finishRetry, retryOrDead } from "./row-outcomes.js";
import type { ClaimedRow, RowError } from "./store/store.js";

export type SendFailure =
  /** The request may have reached SMSC (a timeout or reset after sending): reconcile before any resend. */
  | { kind: "unknown" }
  /** SMSC saw an identical request within its window: it may have sent it, so reconcile too. */
  | { kind: "duplicate" }
  | { kind: "retry" }
  | { kind: "dead" }
  | { kind: "pause"; reason: "funds" | "auth" }
  | { kind: "block" };

export function classifySendFailure(err: unknown): SendFailure {
  if (err instanceof SmscTransportError) return { kind: err.outcome === "unknown" ? "unknown" : "retry" };
  if (err instanceof SmscValidationError) return { kind: "dead" };
  if (!(err instanceof SmscApiError)) return { kind: "retry" };
  const errorClass = errorClassOf("send", err.code);
  switch (errorClass) {
    case "funds":
    case "auth":
      return { kind: "pause", reason: errorClass };
    case "ip_blocked":
      return { kind: "block" };
    case "duplicate":
      return { kind: "duplicate" };
    case "invalid_request":
    case "invalid_recipient":
    case "denied":
    case "not_found":
      return { kind: "dead" };
    default:
      return { kind: "retry" };
  }
}

/** The login-wide part of a failure (a pause or an IP block), taken once per request. */
export function holdLogin(
  failure: SendFailure,
  error: RowError,
  context: DeliveryContext,
  now: number,
): void {
  if (failure.kind === "pause") context.gate.pause(failure.reason, error, now);
  if (failure.kind === "block") context.gate.block(now + context.ipBlockMs, error, now);
}

/** The failure's outcome on one row the request carried. */
export function landOnRow(
  failure: SendFailure,
  row: ClaimedRow,
  context: DeliveryContext,
  error: RowError,
  attemptedAt: number | null,
  now: number,
): Promise<void> {
  switch (failure.kind) {
    case "unknown":
      return finishRetry(row, context, now + delay(row, context), error, true, true, attemptedAt);
    case "duplicate":
      return finishRetry(row, context, now + context.reconcileDelayMs, error, true, true, attemptedAt);
    case "dead":
      return finishDead(row, context, error, true, attemptedAt);
    case "pause":
      return defer(row, context, now + HOLD_SPREAD_MS, "paused", attemptedAt, error);
    case "block":
      return defer(row, context, now + context.ipBlockMs, "ip_blocked", attemptedAt, error);
    case "retry":
      return retryOrDead(row, context, error, attemptedAt);
  }
}

/** A failed request that carried these rows: the login-wide hold once, then each row's outcome. */
export async function onSendFailure(
  rows: readonly ClaimedRow[],
  context: DeliveryContext,
  err: unknown,
  attemptedAt: number | null,
): Promise<void> {
  const now = context.now();
  const error = describe(err);
  const failure = classifySendFailure(err);
  holdLogin(failure, error, context, now);
  await Promise.all(rows.map((row) => landOnRow(failure, row, context, error, attemptedAt, now)));
}
