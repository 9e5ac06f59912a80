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
  /** Every status callback stored for the message (webhook store), in the order they were stored. */
  callbacks: readonly StoredStatusEvent[];
  /** The outbox's latest status per recipient; only those learnt by polling or at send add anything. */
  recipientStatuses: readonly RecipientStatus[];
  /** Outbox steps this process saw (may be none: another process sent it, or this one restarted). */
  steps: readonly StatusEvent[];
}

/** A history line with where it stands in the true sequence, which its displayed time may not show. */
interface Sequenced {
  event: StatusEvent;
  /** When this process learnt of it, on our own millisecond clock. */
  learntAt: number;
  /** The outbox's own steps (0) come before what SMSC says about the message (1) at the same moment. */
  rank: 0 | 1;
  /** Order among SMSC statuses learnt at the same moment: the webhook store's sequence for callbacks. */
  seq: number;
}

/**
 * One message's history in the order things happened, from the durable stores plus whatever steps this
 * process remembers. The row's own "sent" and "dead" times stand in for those steps when the journal lacks
 * them; a journal step at the same moment is the same event (the outbox emits it with the time it stored),
 * so it wins for detail.
 *
 * Order is not the displayed time: SMSC stamps a callback to the second, so a callback in the same second as
 * "handed to SMSC" shows an earlier time than the send it reports on. Lines are ordered by when we learnt of
 * them (a callback's arrival, not SMSC's stamp), nothing SMSC says about a message comes before it was handed
 * to SMSC, and callbacks learnt at the same millisecond keep the store's sequence.
 */
export function messageHistory({ row, callbacks, recipientStatuses, steps }: HistorySources): StatusEvent[] {
  const stepTimes = new Set(steps.map((s) => s.at.getTime()));
  const ours: StatusEvent[] = [...steps];
  if (row.sentAt !== null && !stepTimes.has(row.sentAt)) {
    ours.push({ name: sentStepName(row.cnt, false), at: new Date(row.sentAt), source: "outbox" });
  }
  if (row.deadAt !== null && !stepTimes.has(row.deadAt)) {
    ours.push({
      name: `dead letter (${errorLabel({ errorClass: row.lastErrorClass, code: row.lastErrorCode })})`,
      at: new Date(row.deadAt),
      source: "outbox",
    });
  }
  const afterSend = (learntAt: number) => Math.max(learntAt, row.sentAt ?? learntAt);
  const lines: Sequenced[] = [
    ...ours.map((event) => ({ event, learntAt: event.at.getTime(), rank: 0 as const, seq: 0 })),
    ...callbacks.map((c) => ({
      event: statusEvent(c.status, (c.eventAt ?? c.receivedAt).getTime(), "callback", c.err),
      learntAt: afterSend(c.receivedAt.getTime()),
      rank: 1 as const,
      seq: c.seq,
    })),
    ...recipientStatuses
      .filter((s) => s.source !== "callback")
      .map((s) => ({
        event: statusEvent(s.status, s.at, s.source, s.err),
        learntAt: afterSend(s.at),
        rank: 1 as const,
        seq: 0,
      })),
  ];
  return lines
    .sort((a, b) => a.learntAt - b.learntAt || a.rank - b.rank || a.seq - b.seq)
    .map((line) => line.event);
}
