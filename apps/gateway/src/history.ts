import { statusInfo } from "@smsc-kit/core";
import type { RecentRow, RecipientStatus } from "@smsc-kit/outbox";
import type { StoredStatusEvent } from "@smsc-kit/webhook";
import type { StatusEvent } from "./view.js";

/** A line for an SMSC status code, named from core's catalog. */
export function statusEvent(
  status: number,
  at: number,
  source: string,
  err: number | null | undefined,
): StatusEvent {
  return {
    status,
    name: statusInfo(status)?.name ?? `status ${status}`,
    at: new Date(at),
    source,
    err: err ?? undefined,
  };
}

/** What the outbox's "sent" and "dead" events are called on the page, by the gateway's own listeners too. */
export function sentStepName(cnt: number | null, reconciled: boolean): string {
  return `handed to SMSC${cnt !== null ? ` (${cnt} SMS)` : ""}${reconciled ? ", found by get_status" : ""}`;
}

export function errorLabel(error: { errorClass: string | null; code: number | null }): string {
  return `${error.errorClass ?? "error"}${error.code !== null ? ` ${error.code}` : ""}`;
}

export interface HistorySources {
  row: RecentRow;
  /** Every status callback stored for the message (webhook store). */
  callbacks: readonly StoredStatusEvent[];
  /** The outbox's latest status per recipient; only those learnt by polling or at send add anything. */
  recipientStatuses: readonly RecipientStatus[];
  /** Outbox steps this process saw (may be none: another process sent it, or this one restarted). */
  steps: readonly StatusEvent[];
}

/**
 * One message's history, oldest first, from the durable stores plus whatever steps this process remembers.
 * The row's own "sent" and "dead" times stand in for those steps when the journal lacks them; a journal step
 * at the same moment is the same event (the outbox emits it with the time it stored), so it wins for detail.
 */
export function messageHistory({ row, callbacks, recipientStatuses, steps }: HistorySources): StatusEvent[] {
  const stepTimes = new Set(steps.map((s) => s.at.getTime()));
  const derived: StatusEvent[] = [];
  if (row.sentAt !== null && !stepTimes.has(row.sentAt)) {
    derived.push({ name: sentStepName(row.cnt, false), at: new Date(row.sentAt), source: "outbox" });
  }
  if (row.deadAt !== null && !stepTimes.has(row.deadAt)) {
    derived.push({
      name: `dead letter (${errorLabel({ errorClass: row.lastErrorClass, code: row.lastErrorCode })})`,
      at: new Date(row.deadAt),
      source: "outbox",
    });
  }
  return [
    ...callbacks.map((c) => statusEvent(c.status, (c.eventAt ?? c.receivedAt).getTime(), "callback", c.err)),
    ...recipientStatuses
      .filter((s) => s.source !== "callback")
      .map((s) => statusEvent(s.status, s.at, s.source, s.err)),
    ...steps,
    ...derived,
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
}
