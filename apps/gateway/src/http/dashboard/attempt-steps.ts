/**
 * The message page's lines for the outbox's stored attempts (outbox.insights.attempts): every attempt of the row,
 * from the shared store, so the page shows them from any gateway process and after a restart. Each line carries
 * its outcome and, for a refused or failed one, SMSC's error code with the catalog's text.
 */
import { classifyError } from "@smsc-kit/core";
import type { StoredAttempt, StoredRow } from "@smsc-kit/outbox";
import type { StatusEvent } from "../../view.js";

const OUTCOME_NAMES: Record<StoredAttempt["outcome"], string> = {
  sent: "handed to SMSC",
  reconciled: "found by get_status after an unknown outcome",
  retry: "refused, will retry",
  unknown: "outcome unknown, will reconcile",
  dead: "dead letter",
  deferred: "put back to wait",
};

function errorText(attempt: StoredAttempt): string {
  const error = attempt.error;
  if (error === null) return "";
  const code =
    error.code !== null ? ` SMSC error ${error.code}: ${classifyError("send", error.code).text};` : "";
  return ` —${code} ${error.errorClass ?? "error"}: ${error.message}`;
}

/**
 * When an attempt's line stands on the timeline: when its outcome was written, except that the row's own sent
 * and dead times stand for the last attempt of that outcome (the timeline's other sources use those times).
 */
function lineTime(attempt: StoredAttempt, row: StoredRow, lastSent: number, lastDead: number): number {
  if (attempt.seq === lastSent && row.sentAt !== null) return row.sentAt;
  if (attempt.seq === lastDead && row.deadAt !== null) return row.deadAt;
  return attempt.finishedAt;
}

export function attemptSteps(row: StoredRow, attempts: readonly StoredAttempt[]): StatusEvent[] {
  const last = (outcomes: readonly string[]) =>
    attempts.reduce((seq, a) => (outcomes.includes(a.outcome) ? a.seq : seq), 0);
  const lastSent = last(["sent", "reconciled"]);
  const lastDead = last(["dead"]);
  return attempts.map((attempt) => {
    const at = lineTime(attempt, row, lastSent, lastDead);
    const parts =
      attempt.outcome === "sent" && attempt.seq === lastSent && row.cnt !== null ? ` (${row.cnt} SMS)` : "";
    const requested = attempt.at !== at ? ` (request at ${new Date(attempt.at).toISOString()})` : "";
    return {
      name: `attempt ${attempt.seq}: ${OUTCOME_NAMES[attempt.outcome]}${parts}${errorText(attempt)}${requested}`,
      at: new Date(at),
      source: "outbox",
      attempt: { seq: attempt.seq, outcome: attempt.outcome, code: attempt.error?.code ?? null },
    };
  });
}

/** Steps this process remembers that no stored attempt stands for (a redrive, a wait that sent nothing). */
export function unstoredSteps(
  remembered: readonly StatusEvent[],
  stored: readonly StatusEvent[],
  row: StoredRow,
): StatusEvent[] {
  const times = new Set(stored.map((s) => s.at.getTime()));
  if (row.sentAt !== null) times.add(row.sentAt);
  if (row.deadAt !== null) times.add(row.deadAt);
  return remembered.filter((step) => !times.has(step.at.getTime()));
}
