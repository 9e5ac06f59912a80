import { recipientKey } from "@smsc-kit/core";
import { type Outbox, type RecentRow, type RecipientStatus, wireId } from "@smsc-kit/outbox";
import type { StoredStatusEvent } from "@smsc-kit/webhook";
import { messageHistory } from "./history.js";
import type { StepJournal } from "./journal.js";
import type { PauseWatch } from "./pause.js";
import type { GatewayStores } from "./stores.js";
import type { GatewayView, RecentMessage } from "./view.js";

/** What the status page, /readyz and the redrive action read: the shared stores, the journal, the pause. */
export function createGatewayView(
  outbox: Outbox,
  stores: GatewayStores,
  journal: StepJournal,
  pause: PauseWatch,
): GatewayView {
  return {
    async queue() {
      const stats = await outbox.stats();
      return {
        byState: { ...stats.byState },
        deadLetter: stats.deadLetterDepth,
        oldestPendingAgeSeconds: stats.oldestDueAgeMs / 1000,
        inFlight: stats.inFlight,
      };
    },
    recentMessages: (limit) => recentMessages(outbox, stores, journal, limit),
    async deadLetters(limit) {
      const rows = await outbox.deadLetter.list({ limit });
      return rows.map((row) => ({
        rowId: String(row.rowId),
        smscId: row.smscId,
        phones: row.recipients.join(", "),
        reason: `${row.lastErrorClass ?? "error"}${row.lastErrorCode !== null ? ` (SMSC ${row.lastErrorCode})` : ""}: ${row.lastError ?? ""}`,
        at: row.deadAt !== null ? new Date(row.deadAt) : undefined,
      }));
    },
    async redrive(rowId) {
      const id = Number(rowId);
      if (!Number.isSafeInteger(id)) return false;
      return outbox.deadLetter.redrive(id);
    },
    pause: () => pause.current(),
    async readiness() {
      const reasons: string[] = [];
      if (pause.kind !== null) reasons.push(`outbox paused (${pause.kind})`);
      try {
        const stats = await outbox.stats();
        if (stats.blockedUntil !== null && stats.blockedUntil > Date.now()) {
          reasons.push(`SMSC blocked this IP until ${new Date(stats.blockedUntil).toISOString()}`);
        }
      } catch {
        reasons.push("store unreachable");
      }
      return { ready: reasons.length === 0, reasons };
    },
  };
}

/**
 * The most recent messages with their histories, from the shared stores (every gateway on one store shows
 * the same list): three queries per page, whatever its length (the rows, their callbacks, their statuses).
 */
async function recentMessages(
  outbox: Outbox,
  stores: GatewayStores,
  journal: StepJournal,
  limit: number,
): Promise<RecentMessage[]> {
  const rows = await outbox.recent({ limit });
  if (rows.length === 0) return [];
  const smscIds = rows.map((row) => row.smscId);
  // Callbacks come under the id SMSC knows a message by: a batch's id names every row it carried.
  const wireIds = [...new Set(rows.map(wireId))];
  const [callbacks, statuses] = await Promise.all([
    stores.webhook.historyOf(wireIds),
    stores.outbox.recipientStatusesOf(smscIds),
  ]);
  const callbacksOf = groupBy(callbacks, (event: StoredStatusEvent) => event.id);
  const statusesOf = groupBy(statuses, (status: RecipientStatus) => status.smscId);
  return rows.map((row: RecentRow) => ({
    rowId: String(row.rowId),
    smscId: row.smscId,
    phones: row.recipients.join(", "),
    state: row.state,
    createdAt: new Date(row.createdAt),
    history: messageHistory({
      row,
      callbacks: (callbacksOf.get(wireId(row)) ?? []).filter(
        (event) => row.batchId === null || row.recipients.includes(recipientKey(event.phone)),
      ),
      recipientStatuses: statusesOf.get(row.smscId) ?? [],
      steps: journal.events(row.rowId),
    }),
  }));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
