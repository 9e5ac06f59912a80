/**
 * createOutbox wires the outbox's jobs together; each job lives in a file named after it: options.ts
 * (configuration), migration.ts, status-sink.ts, pause-probe.ts, retention.ts, reconcile-pending.ts, admin.ts,
 * enqueue.ts, events.ts and worker.ts (the worker loop), with delivery-context.ts holding what they share.
 */
import type { StatusApplyResult, StatusSink, StatusUpdate } from "@smsc-kit/core";
import { type AdminCalls, createAdminCalls } from "./admin.js";
import { createBalanceReader } from "./balance-reader.js";
import { SharedHolds } from "./budget/shared-holds.js";
import { SharedWindow } from "./budget/shared-window.js";
import { createDeliveryContext } from "./delivery-context.js";
import { createEnqueueCalls, type EnqueueCalls } from "./enqueue.js";
import { OutboxEmitter, type OutboxEventName, type OutboxEvents } from "./events.js";
import { createInsightCalls, type InsightCalls } from "./insights.js";
import { migrateOnce } from "./migration.js";
import { type OutboxOptions, positive, resolveOptions } from "./options.js";
import { PauseProbe } from "./pause-probe.js";
import { BALANCE_POLLING } from "./protocol.js";
import { type ReconcileOptions, type ReconcileReport, reconcilePending } from "./reconcile-pending.js";
import { Retention } from "./retention.js";
import { createStatusSink } from "./status-sink.js";
import type { OutboxStore } from "./store/store.js";
import { Worker } from "./worker.js";

export type { OutboxStats } from "./admin.js";
export type { EnqueuedMessage, EnqueueOptions } from "./enqueue.js";
export type { OutboxOptions } from "./options.js";
export type { ReconcileReport } from "./reconcile-pending.js";

export interface Outbox extends StatusSink, EnqueueCalls, AdminCalls {
  readonly store: OutboxStore;
  /** The dashboard's reads from the store: activity over time, failures by code, queue depth, search. */
  readonly insights: InsightCalls;
  start(options?: { concurrency?: number }): void;
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** core's StatusSink: monotonic per recipient (a late or reordered report never moves it back). */
  markStatus(update: StatusUpdate): Promise<StatusApplyResult>;
  reconcilePending(options?: ReconcileOptions): Promise<ReconcileReport>;
  on<E extends OutboxEventName>(event: E, listener: (...args: OutboxEvents[E]) => void): Outbox;
  once<E extends OutboxEventName>(event: E, listener: (...args: OutboxEvents[E]) => void): Outbox;
  off<E extends OutboxEventName>(event: E, listener: (...args: OutboxEvents[E]) => void): Outbox;
}

export function createOutbox(options: OutboxOptions): Outbox {
  const settings = resolveOptions(options);
  const { store, now } = settings;
  const events = new OutboxEmitter();
  const migrated = migrateOnce(store);
  const markStatus = createStatusSink({ store, events, migrated });
  const warnStore = (err: unknown) =>
    events.emit("warning", {
      kind: "store",
      message: err instanceof Error ? err.message : String(err),
      at: now(),
    });
  const context = createDeliveryContext(settings, events, markStatus, () => worker.isStopping);
  const worker = new Worker(context, settings, migrated, warnStore);
  // The login's pause and IP-block state, shared with every process on the store.
  const holds = new SharedHolds({
    store,
    login: settings.login,
    owner: settings.owner,
    gate: context.gate,
    events,
    now,
    probeIntervalMs: settings.probeIntervalMs,
    onStoreError: warnStore,
    migrated,
  });
  const probe = new PauseProbe({
    mayProbe: () => holds.mayProbe(),
    gate: context.gate,
    client: settings.client,
    requests: context.requests,
    events,
    now,
    intervalMs: settings.probeIntervalMs,
    isRunning: () => worker.isRunning,
  });
  const retention = new Retention(store, events, now, settings.retention);
  const balance = createBalanceReader({
    store,
    client: settings.client,
    login: settings.login,
    window: new SharedWindow({
      store,
      budget: { login: settings.login, rule: "balance-polling" },
      limit: BALANCE_POLLING.limit,
      windowMs: BALANCE_POLLING.windowMs,
      onStoreError: warnStore,
    }),
    requests: context.requests,
    now,
    freshMs: BALANCE_POLLING.windowMs,
    migrated,
  });

  const outbox: Outbox = {
    store,
    ...createEnqueueCalls({
      store,
      events,
      now,
      idPrefix: settings.idPrefix,
      maxsmsOverflow: settings.maxsmsOverflow,
      migrated,
      poke: () => worker.poke(),
    }),
    ...createAdminCalls({ store, events, gate: context.gate, now, migrated, worker }),
    insights: createInsightCalls({ store, now, migrated, balance: () => balance.read() }),
    start(startOptions = {}) {
      if (worker.isRunning) return;
      const concurrency = Math.floor(positive(startOptions.concurrency, settings.maxRequests, "concurrency"));
      if (!worker.start(concurrency)) return;
      holds.start();
      probe.resumeIfPaused();
      retention.start();
    },
    async stop(stopOptions = {}) {
      probe.stop();
      holds.stop();
      retention.stop();
      await worker.stop(stopOptions.timeoutMs ?? settings.leaseMs);
    },
    markStatus,
    async reconcilePending(reconcileOptions = {}) {
      await migrated();
      return reconcilePending(context, markStatus, reconcileOptions);
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
