/** The operator's calls: dead letters, pruning, single rows, the recent list and stats. */
import type { OutboxEmitter } from "./events.js";
import type { Gate } from "./gate.js";
import { checkRecentOptions, type RecentOptions } from "./recent.js";
import type { OutboxStore, RecentRow, RowState, StoredRow } from "./store/store.js";

export interface OutboxStats {
  byState: Record<RowState, number>;
  /** Age of the oldest row that is due and waiting (ms), 0 when none. */
  oldestDueAgeMs: number;
  deadLetterDepth: number;
  inFlight: number;
  paused: "funds" | "auth" | null;
  blockedUntil: number | null;
}

export interface DeadLetter {
  list(options?: { limit?: number; offset?: number }): Promise<StoredRow[]>;
  redrive(rowId: number): Promise<boolean>;
  purge(options?: { olderThanMs?: number }): Promise<number>;
}

export interface AdminCalls {
  readonly deadLetter: DeadLetter;
  prune(options: { olderThanMs: number; limit?: number }): Promise<number>;
  get(rowId: number): Promise<StoredRow | null>;
  recent(options?: RecentOptions): Promise<RecentRow[]>;
  stats(): Promise<OutboxStats>;
}

export interface AdminDeps {
  store: OutboxStore;
  events: OutboxEmitter;
  gate: Gate;
  now(): number;
  migrated(): Promise<void>;
  /** The worker: a redriven row is looked at at once, and stats report its sends in flight. */
  worker: { poke(): void; readonly inFlight: number };
}

export function createAdminCalls(deps: AdminDeps): AdminCalls {
  const { store, events, gate, now, migrated, worker } = deps;
  return {
    deadLetter: {
      async list(options = {}) {
        await migrated();
        return store.listDead(options.limit ?? 100, options.offset ?? 0);
      },
      async redrive(rowId) {
        await migrated();
        const redriven = await store.redrive(rowId, now());
        if (redriven) {
          events.emit("redriven", { rowId, at: now() });
          worker.poke();
        }
        return redriven;
      },
      async purge(options = {}) {
        await migrated();
        const dead = await store.purgeDead(
          options.olderThanMs === undefined ? Number.MAX_SAFE_INTEGER : now() - options.olderThanMs,
        );
        if (dead > 0) events.emit("pruned", { sent: 0, dead, at: now() });
        return dead;
      },
    },
    async prune(options) {
      await migrated();
      const sent = await store.prune(now() - options.olderThanMs, options.limit ?? 5_000);
      if (sent > 0) events.emit("pruned", { sent, dead: 0, at: now() });
      return sent;
    },
    async get(rowId) {
      await migrated();
      return store.get(rowId);
    },
    async recent(options = {}) {
      const { limit, before } = checkRecentOptions(options);
      await migrated();
      return store.recent(limit, before);
    },
    async stats() {
      await migrated();
      const at = now();
      const stored = await store.stats(at);
      return {
        byState: stored.byState,
        oldestDueAgeMs: stored.oldestDueAt === null ? 0 : Math.max(0, at - stored.oldestDueAt),
        deadLetterDepth: stored.deadLetterDepth,
        inFlight: worker.inFlight,
        paused: gate.pauseReason,
        blockedUntil: gate.blockedUntilMs > at ? gate.blockedUntilMs : null,
      };
    },
  };
}
