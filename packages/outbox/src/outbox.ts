import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import {
  fieldSchemas,
  SmscApiError,
  type StatusApplyResult,
  type StatusSink,
  type StatusUpdate,
  statusInfo,
} from "@smsc-kit/core";
import type { BackoffPolicy } from "./backoff.js";
import { SentCompleter } from "./completer.js";
import { DEFAULT_IP_BLOCK_MS, type DeliveryContext, type OutboxClient } from "./delivery.js";
import { Dispatcher } from "./dispatcher.js";
import { OutboxConfigError, OutboxValidationError } from "./errors.js";
import { OutboxEmitter, type OutboxEventName, type OutboxEvents } from "./events.js";
import { Gate } from "./gate.js";
import { FloodGuard, Semaphore, WindowLimiter } from "./limits.js";
import { type OutboxMessage, prepareChunks, prepareRows } from "./message.js";
import {
  BALANCE_POLLING,
  canMove,
  DUPLICATE_SEND_WINDOW_MS,
  errorClassOf,
  isFinal,
  isNotFoundStatus,
  MAX_CONCURRENT_REQUESTS,
  MAX_CONCURRENT_STATUS,
  STATUS_PER_MESSAGE,
  SUBSCRIBER_FLOOD,
} from "./protocol.js";
import { checkRecentOptions, type RecentOptions } from "./recent.js";
import { normalizeRecipient, statusLimitKey } from "./recipients.js";
import { generateSmscId } from "./smsc-id.js";
import type { SqliteStore } from "./store/sqlite/store.js";
import type { EnqueuedRow, OutboxStore, RecentRow, RowState, StoredRow } from "./store/store.js";

export interface OutboxOptions {
  store: OutboxStore;
  client: OutboxClient;
  /** Attempts (real sends) before a row goes to the dead letter (default 8). */
  maxAttempts?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Lease of a claimed row (default 30 s); a crashed worker's rows go out again after it expires. */
  leaseMs?: number;
  /** Lease extension interval (default leaseMs / 3). */
  heartbeatMs?: number;
  /** How often an idle worker looks for due rows (default 200 ms). */
  pollIntervalMs?: number;
  /** Wait before asking get_status again when a reconcile could not decide (default 15 s). */
  reconcileDelayMs?: number;
  /**
   * Least time between two requests for the same row (default: the catalog's duplicate-send window). SMSC refuses
   * an identical send inside it, so a resend sooner would only earn a "duplicate" answer.
   */
  duplicateWindowMs?: number;
  /** Interval of get_balance probes while paused on funds or credentials (default 30 s, within SMSC's limit). */
  probeIntervalMs?: number;
  /** Back-off of the whole outbox after SMSC reports the IP blocked (default: the catalog's shortest block). */
  ipBlockMs?: number;
  /**
   * Most requests this outbox keeps open to SMSC at once (default and maximum: the catalog's per-login limit).
   * Lower it when several outboxes or processes share one SMSC login.
   */
  maxConcurrentRequests?: number;
  /** Retention: delete sent rows this old (ms) and dead rows this old; run every intervalMs while started. */
  retention?: { sentMs?: number; deadMs?: number; intervalMs?: number };
  /** Prefix of generated SMSC ids ([A-Za-z0-9._-], keep it short: ids are at most 40 characters). */
  idPrefix?: string;
  /** Worker identity in leases (default host:pid:random). */
  owner?: string;
  clock?: { now(): number };
}

export interface EnqueueOptions {
  /** The caller's transaction: a pg client inside BEGIN, or the caller's better-sqlite3 Database. */
  tx?: unknown;
  /** For a single message: the same key returns the existing row instead of a second one. */
  idempotencyKey?: string;
}

export interface EnqueuedMessage extends EnqueuedRow {}

export interface OutboxStats {
  byState: Record<RowState, number>;
  /** Age of the oldest row that is due and waiting (ms), 0 when none. */
  oldestDueAgeMs: number;
  deadLetterDepth: number;
  inFlight: number;
  paused: "funds" | "auth" | null;
  blockedUntil: number | null;
}

export interface ReconcileReport {
  polled: number;
  applied: number;
  notFound: number;
  skipped: number;
  failed: number;
}

export interface Outbox extends StatusSink {
  readonly store: OutboxStore;
  enqueue(
    message: OutboxMessage | readonly OutboxMessage[],
    options?: EnqueueOptions,
  ): Promise<EnqueuedMessage[]>;
  /** SQLite only: a synchronous enqueue for use inside the caller's `db.transaction(() => …)`. */
  enqueueSync(message: OutboxMessage | readonly OutboxMessage[], options?: EnqueueOptions): EnqueuedMessage[];
  start(options?: { concurrency?: number }): void;
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** core's StatusSink: monotonic per recipient (a late or reordered report never moves it back). */
  markStatus(update: StatusUpdate): Promise<StatusApplyResult>;
  reconcilePending(options?: { olderThanMs?: number; limit?: number }): Promise<ReconcileReport>;
  readonly deadLetter: {
    list(options?: { limit?: number; offset?: number }): Promise<StoredRow[]>;
    redrive(rowId: number): Promise<boolean>;
    purge(options?: { olderThanMs?: number }): Promise<number>;
  };
  /** Deletes sent rows older than `olderThanMs` (the retention job calls this on its schedule). */
  prune(options: { olderThanMs: number; limit?: number }): Promise<number>;
  get(rowId: number): Promise<StoredRow | null>;
  /** Rows by their last change, newest first (the status page's "recent messages"); `before` pages on. */
  recent(options?: RecentOptions): Promise<RecentRow[]>;
  stats(): Promise<OutboxStats>;
  on<E extends OutboxEventName>(event: E, listener: (...args: OutboxEvents[E]) => void): Outbox;
  once<E extends OutboxEventName>(event: E, listener: (...args: OutboxEvents[E]) => void): Outbox;
  off<E extends OutboxEventName>(event: E, listener: (...args: OutboxEvents[E]) => void): Outbox;
}

const SOURCES = new Set(["callback", "poll", "send"]);

/** A status update from a caller (the webhook): refused with the field and the rule, before any write. */
function checkStatusUpdate(u: StatusUpdate): void {
  const bad = (field: string, rule: string, message: string) =>
    new OutboxValidationError(field, rule, message);
  if (typeof u !== "object" || u === null) throw bad("update", "object", "a status update is an object");
  if (typeof u.id !== "string" || u.id.length === 0)
    throw bad("id", "string", "id must be the SMSC message id");
  if (typeof u.phone !== "string" || u.phone.trim().length === 0)
    throw bad("phone", "string", "phone must be a string");
  if (!Number.isInteger(u.status) || statusInfo(u.status) === undefined) {
    throw bad("status", "catalog", `status ${String(u.status)} is not a status code in the catalog`);
  }
  if (u.err !== undefined && !Number.isInteger(u.err)) throw bad("err", "integer", "err must be an integer");
  if (!(u.at instanceof Date) || Number.isNaN(u.at.getTime()))
    throw bad("at", "date", "at must be a valid Date");
  if (!SOURCES.has(u.source)) throw bad("source", "enum", 'source must be "callback", "poll" or "send"');
}

/** Rows per pipelined chunk of a large enqueue. */
const PIPELINE_CHUNK = 2_000;

function positive(value: number | undefined, fallback: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new OutboxConfigError(field, "must be a positive number");
  return v;
}

export function createOutbox(options: OutboxOptions): Outbox {
  const { store, client } = options;
  if (!store) throw new OutboxConfigError("store", "is required (openSqliteStore or openPgStore)");
  if (!client) throw new OutboxConfigError("client", "is required (createSmscClient from @smsc-kit/core)");
  const clock = options.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const events = new OutboxEmitter();
  const leaseMs = positive(options.leaseMs, 30_000, "leaseMs");
  const maxRequests = Math.min(
    MAX_CONCURRENT_REQUESTS,
    positive(options.maxConcurrentRequests, MAX_CONCURRENT_REQUESTS, "maxConcurrentRequests"),
  );
  const probeIntervalMs = Math.max(
    positive(options.probeIntervalMs, 30_000, "probeIntervalMs"),
    Math.ceil(BALANCE_POLLING.windowMs / BALANCE_POLLING.limit),
  );
  const idPrefix = options.idPrefix ?? "";
  if (!/^[A-Za-z0-9._-]{0,12}$/.test(idPrefix)) {
    throw new OutboxConfigError(
      "idPrefix",
      "at most 12 characters of [A-Za-z0-9._-] (SMSC ids are ≤ 40 characters)",
    );
  }
  if (!fieldSchemas.id.safeParse(generateSmscId(idPrefix)).success) {
    throw new OutboxConfigError("idPrefix", "generated ids with this prefix break SMSC's id rule");
  }
  const gate = new Gate(events, probeIntervalMs);
  let dispatcher: Dispatcher | null = null;
  /** start() was called and stop() not since: the dispatcher may still be waiting for its migration. */
  let wanted = false;
  let migrated: Promise<void> | null = null;
  const ensureMigrated = () => {
    migrated ??= store.migrate().catch((err: unknown) => {
      migrated = null;
      throw err;
    });
    return migrated;
  };

  const warnStore = (err: unknown) =>
    events.emit("warning", {
      kind: "store",
      message: err instanceof Error ? err.message : String(err),
      at: now(),
    });

  const markStatus = async (update: StatusUpdate): Promise<StatusApplyResult> => {
    checkStatusUpdate(update);
    await ensureMigrated();
    const next = {
      smscId: String(update.id),
      phone: normalizeRecipient(String(update.phone)),
      status: update.status,
      err: update.err ?? null,
      at: update.at.getTime(),
      source: update.source,
    };
    const res = await store.applyStatus(next, (prev, n) => canMove(prev?.status ?? null, n.status), isFinal);
    const previous = res.previous?.status ?? null;
    if (!res.applied) {
      if (res.reason !== "stale") return { applied: false, reason: "unknown_message", current: previous };
      return {
        applied: false,
        reason: previous === next.status ? "duplicate" : "regression",
        current: previous,
      };
    }
    events.emit("status", {
      rowId: res.row.rowId,
      smscId: next.smscId,
      phone: next.phone,
      status: next.status,
      err: next.err,
      previous,
      source: next.source,
      meta: res.row.meta,
      at: next.at,
    });
    return { applied: true, previous };
  };

  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const ctx: DeliveryContext = {
    store,
    client,
    events,
    gate,
    owner,
    sent: new SentCompleter(store, owner, now),
    now,
    maxAttempts: Math.floor(positive(options.maxAttempts, 8, "maxAttempts")),
    backoff: {
      baseDelayMs: positive(options.backoff?.baseDelayMs, 2_000, "backoff.baseDelayMs"),
      maxDelayMs: positive(options.backoff?.maxDelayMs, 15 * 60_000, "backoff.maxDelayMs"),
    },
    reconcileDelayMs: positive(options.reconcileDelayMs, 15_000, "reconcileDelayMs"),
    duplicateWindowMs: positive(options.duplicateWindowMs, DUPLICATE_SEND_WINDOW_MS, "duplicateWindowMs"),
    ipBlockMs: positive(options.ipBlockMs, DEFAULT_IP_BLOCK_MS, "ipBlockMs"),
    requests: new Semaphore(maxRequests),
    sendSlots: new Semaphore(maxRequests),
    statusRequests: new Semaphore(MAX_CONCURRENT_STATUS),
    statusPerMessage: new WindowLimiter(STATUS_PER_MESSAGE.limit, STATUS_PER_MESSAGE.windowMs),
    flood: new FloodGuard(SUBSCRIBER_FLOOD.limit, SUBSCRIBER_FLOOD.spacingMs),
    isStopping: () => dispatcher?.isStopping ?? false,
    async recordPolledStatus(row, phone, status, err, at) {
      await markStatus({
        id: row.smscId,
        phone,
        status,
        ...(err === undefined ? {} : { err }),
        at,
        source: "poll",
      });
    },
  };

  // Balance probes while paused: resume once SMSC accepts our credentials and the balance is positive.
  let probeTimer: NodeJS.Timeout | null = null;
  const probe = async () => {
    probeTimer = null;
    const reason = gate.pauseReason;
    if (reason === null) return;
    try {
      const { balance } = await ctx.requests.run(() => client.balance());
      if (reason === "auth" || balance > 0) gate.resume(now());
    } catch (err) {
      const kind = err instanceof SmscApiError ? errorClassOf("balance", err.code) : "transport";
      events.emit("warning", {
        kind: "probe",
        message: `balance probe failed (${kind}); still paused`,
        at: now(),
      });
    }
    if (gate.pauseReason !== null && dispatcher?.isRunning) schedule();
  };
  const schedule = () => {
    if (probeTimer === null) probeTimer = setTimeout(() => void probe(), probeIntervalMs);
  };
  events.on("paused", () => {
    if (dispatcher?.isRunning) schedule();
  });

  let retentionTimer: NodeJS.Timeout | null = null;
  const runRetention = async () => {
    const r = options.retention;
    if (!r) return;
    try {
      const sent = r.sentMs === undefined ? 0 : await store.prune(now() - r.sentMs, 5_000);
      const dead = r.deadMs === undefined ? 0 : await store.purgeDead(now() - r.deadMs);
      if (sent + dead > 0) events.emit("pruned", { sent, dead, at: now() });
    } catch (err) {
      events.emit("warning", {
        kind: "retention",
        message: err instanceof Error ? err.message : String(err),
        at: now(),
      });
    }
  };

  const toArray = (m: OutboxMessage | readonly OutboxMessage[]): readonly OutboxMessage[] =>
    Array.isArray(m) ? (m as readonly OutboxMessage[]) : [m as OutboxMessage];

  const outbox: Outbox = {
    store,
    async enqueue(message, opts = {}) {
      const list = toArray(message);
      const prepare = { idempotencyKey: opts.idempotencyKey, now: now(), idPrefix };
      // Small batches are validated whole before anything is written; large ones are pipelined chunk by chunk.
      const rows = list.length <= PIPELINE_CHUNK ? prepareRows(list, prepare) : null;
      if (opts.tx !== undefined && store.kind === "sqlite") {
        // Inside the caller's SQLite transaction: migrate in it (a cheap check once done), since a rollback
        // would also undo a migration made there.
        (store as SqliteStore).migrateSync();
      } else {
        await ensureMigrated();
      }
      const out = rows
        ? await store.insert(rows, opts.tx)
        : await store.insertChunks(prepareChunks(list, prepare, PIPELINE_CHUNK), opts.tx);
      events.emit("enqueued", { count: out.length, created: out.filter((o) => o.created).length, at: now() });
      dispatcher?.poke();
      return out;
    },
    enqueueSync(message, opts = {}) {
      if (store.kind !== "sqlite") throw new OutboxConfigError("store", "enqueueSync needs a SQLite store");
      const sqlite = store as SqliteStore;
      const rows = prepareRows(toArray(message), {
        idempotencyKey: opts.idempotencyKey,
        now: now(),
        idPrefix,
      });
      sqlite.migrateSync();
      const out = sqlite.insertSync(rows, opts.tx);
      events.emit("enqueued", { count: out.length, created: out.filter((o) => o.created).length, at: now() });
      dispatcher?.poke();
      return out;
    },
    start(opts = {}) {
      if (dispatcher?.isRunning) return;
      const concurrency = Math.floor(positive(opts.concurrency, maxRequests, "concurrency"));
      ctx.sendSlots = new Semaphore(concurrency);
      dispatcher = new Dispatcher(
        ctx,
        {
          // Rows in progress may exceed the sends in flight: a row whose answer is being written no longer
          // holds a send slot, so bookkeeping overlaps the next requests.
          concurrency: concurrency * 2,
          prefetch: concurrency * 3,
          leaseMs,
          heartbeatMs: positive(options.heartbeatMs, Math.floor(leaseMs / 3), "heartbeatMs"),
          pollIntervalMs: positive(options.pollIntervalMs, 200, "pollIntervalMs"),
          storeRetryMs: 500,
        },
        warnStore,
      );
      const d = dispatcher;
      wanted = true;
      // Migrate first; a database that is down at start-up is retried until it answers or stop() is called.
      const boot = async (): Promise<void> => {
        for (;;) {
          try {
            await ensureMigrated();
            break;
          } catch (err) {
            warnStore(err);
            await new Promise((r) => setTimeout(r, 1_000));
            if (!wanted || d !== dispatcher) return;
          }
        }
        if (wanted && d === dispatcher) d.start();
      };
      void boot();
      if (gate.pauseReason !== null) schedule();
      if (options.retention) {
        const every = positive(options.retention.intervalMs, 60_000, "retention.intervalMs");
        retentionTimer = setInterval(() => void runRetention(), every);
        retentionTimer.unref();
      }
    },
    async stop(opts = {}) {
      wanted = false;
      if (probeTimer) clearTimeout(probeTimer);
      probeTimer = null;
      if (retentionTimer) clearInterval(retentionTimer);
      retentionTimer = null;
      const d = dispatcher;
      if (d) await d.stop(opts.timeoutMs ?? leaseMs);
    },
    markStatus,
    async reconcilePending(opts = {}) {
      await ensureMigrated();
      const report: ReconcileReport = { polled: 0, applied: 0, notFound: 0, skipped: 0, failed: 0 };
      const pending = await store.pendingStatuses(
        now() - (opts.olderThanMs ?? 10 * 60_000),
        opts.limit ?? 200,
      );
      await Promise.all(
        pending.map(async (p) => {
          if (!ctx.statusPerMessage.tryTake(statusLimitKey(p.smscId, p.phone), now())) {
            report.skipped += 1;
            return;
          }
          try {
            const st = await ctx.statusRequests.run(() =>
              ctx.requests.run(() => client.status({ id: p.smscId, phone: p.phone })),
            );
            report.polled += 1;
            if (isNotFoundStatus(st.status)) {
              report.notFound += 1;
              return;
            }
            const r = await markStatus({
              id: p.smscId,
              phone: p.phone,
              status: st.status,
              ...(st.err === undefined ? {} : { err: st.err }),
              at: st.lastDate ?? new Date(now()),
              source: "poll",
            });
            if (r.applied) report.applied += 1;
          } catch (err) {
            if (err instanceof SmscApiError && errorClassOf("status", err.code) === "not_found")
              report.notFound += 1;
            else report.failed += 1;
          }
        }),
      );
      return report;
    },
    deadLetter: {
      async list(o = {}) {
        await ensureMigrated();
        return store.listDead(o.limit ?? 100, o.offset ?? 0);
      },
      async redrive(rowId) {
        await ensureMigrated();
        const ok = await store.redrive(rowId, now());
        if (ok) {
          events.emit("redriven", { rowId, at: now() });
          dispatcher?.poke();
        }
        return ok;
      },
      async purge(o = {}) {
        await ensureMigrated();
        const dead = await store.purgeDead(
          o.olderThanMs === undefined ? Number.MAX_SAFE_INTEGER : now() - o.olderThanMs,
        );
        if (dead > 0) events.emit("pruned", { sent: 0, dead, at: now() });
        return dead;
      },
    },
    async prune(o) {
      await ensureMigrated();
      const sent = await store.prune(now() - o.olderThanMs, o.limit ?? 5_000);
      if (sent > 0) events.emit("pruned", { sent, dead: 0, at: now() });
      return sent;
    },
    async get(rowId) {
      await ensureMigrated();
      return store.get(rowId);
    },
    async recent(o = {}) {
      const { limit, before } = checkRecentOptions(o);
      await ensureMigrated();
      return store.recent(limit, before);
    },
    async stats() {
      await ensureMigrated();
      const t = now();
      const s = await store.stats(t);
      return {
        byState: s.byState,
        oldestDueAgeMs: s.oldestDueAt === null ? 0 : Math.max(0, t - s.oldestDueAt),
        deadLetterDepth: s.deadLetterDepth,
        inFlight: dispatcher?.inFlight ?? 0,
        paused: gate.pauseReason,
        blockedUntil: gate.blockedUntilMs > t ? gate.blockedUntilMs : null,
      };
    },
    on(event, listener) {
      events.on(event, listener);
      return outbox;
    },
    once(event, listener) {
      events.once(event, listener);
      return outbox;
    },
    off(event, listener) {
      events.off(event, listener);
      return outbox;
    },
  };
  return outbox;
}
