import { SmscApiError } from "@smsc-kit/core";
import type { DeliveryContext } from "./delivery-context.js";
import { errorClassOf, isNotFoundStatus } from "./protocol.js";
import { statusLimitKey } from "./recipients.js";
import type { MarkStatus } from "./status-sink.js";

export interface ReconcileReport {
  polled: number;
  applied: number;
  notFound: number;
  skipped: number;
  failed: number;
}

export interface ReconcileOptions {
  /** Only rows sent at least this long ago (default 10 minutes). */
  olderThanMs?: number;
  /** Most recipients polled in one call (default 200). */
  limit?: number;
}

/**
 * Polls get_status for recipients of sent rows that never got a final status (a callback lost on the way), within
 * the catalog's status limits, and records what SMSC says through the status sink.
 */
export async function reconcilePending(
  context: Pick<
    DeliveryContext,
    "store" | "client" | "now" | "requests" | "statusRequests" | "statusPerMessage"
  >,
  markStatus: MarkStatus,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const { store, client, now } = context;
  const report: ReconcileReport = { polled: 0, applied: 0, notFound: 0, skipped: 0, failed: 0 };
  const pending = await store.pendingStatuses(
    now() - (options.olderThanMs ?? 10 * 60_000),
    options.limit ?? 200,
  );
  await Promise.all(
    pending.map(async (recipient) => {
      const key = statusLimitKey(recipient.smscId, recipient.phone);
      if (!(await context.statusPerMessage.tryTake(key, now()))) {
        report.skipped += 1;
        return;
      }
      try {
        const answer = await context.statusRequests.run(() =>
          context.requests.run(() => client.status({ id: recipient.smscId, phone: recipient.phone })),
        );
        report.polled += 1;
        if (isNotFoundStatus(answer.status)) {
          report.notFound += 1;
          return;
        }
        const result = await markStatus({
          id: recipient.smscId,
          phone: recipient.phone,
          status: answer.status,
          ...(answer.err === undefined ? {} : { err: answer.err }),
          at: answer.lastDate ?? new Date(now()),
          source: "poll",
        });
        if (result.applied) report.applied += 1;
      } catch (err) {
        if (err instanceof SmscApiError && errorClassOf("status", err.code) === "not_found")
          report.notFound += 1;
        else report.failed += 1;
      }
    }),
  );
  return report;
}
