import type { SmscClient } from "@smsc-kit/core";
import type { BackoffPolicy } from "./backoff.js";
import { createRequestBudget, type RequestBudget } from "./budget/request-budget.js";
import { SharedWindow } from "./budget/shared-window.js";
import type { CoalesceSettings } from "./coalesce/settings.js";
import { SentCompleter } from "./completer.js";
import type { OutboxEmitter } from "./events.js";
import type { FloodAdmission } from "./flood/admission.js";
import { SharedFloodAdmission } from "./flood/shared-admission.js";
import { Gate } from "./gate.js";
import { Semaphore } from "./limits.js";
import type { OutboxSettings } from "./options.js";
import {
  MAX_CONCURRENT_REQUESTS,
  MAX_CONCURRENT_STATUS,
  STATUS_PER_MESSAGE,
  SUBSCRIBER_FLOOD,
} from "./protocol.js";
import type { MarkStatus } from "./status-sink.js";
import type { OutboxStore, StoredRow } from "./store/store.js";

/** The part of core's SmscClient the outbox uses. */
export type OutboxClient = Pick<SmscClient, "send" | "status" | "balance">;

export interface DeliveryContext {
  store: OutboxStore;
  client: OutboxClient;
  events: OutboxEmitter;
  gate: Gate;
  owner: string;
  now(): number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** Wait before looking at an unknown outcome again when get_status could not decide. */
  reconcileDelayMs: number;
  /** A row's request is never repeated sooner than this after its previous one (SMSC refuses identical sends). */
  duplicateWindowMs: number;
  ipBlockMs: number;
  /** Every request open to SMSC: this process's cap inside the login's budget shared through the store. */
  requests: RequestBudget;
  /** The `concurrency` of start(): sends in flight from this worker (set when it starts). */
  sendSlots: Semaphore;
  /** Status requests open to SMSC, shared the same way (the catalog's own, lower, limit). */
  statusRequests: RequestBudget;
  /** Status requests per message (id and phone) within the catalog's window, counted across every process. */
  statusPerMessage: SharedWindow;
  /** The subscriber-flood rule (./flood/admission.ts), counted in the store across every process. */
  flood: FloodAdmission;
  sent: SentCompleter;
  isStopping(): boolean;
  /** Prefix of the SMSC ids the outbox generates (a batch's request gets one of its own). */
  idPrefix: string;
  /** Many rows per send request (./coalesce/); null when every row travels alone. */
  coalesce: CoalesceSettings | null;
  /**
   * Records a status learnt while reconciling (a poll) or from a send's answer (a recipient SMSC refused),
   * through the outbox's monotonic markStatus.
   */
  recordPolledStatus(
    row: StoredRow,
    phone: string,
    status: number,
    err: number | undefined,
    at: Date,
    source?: "poll" | "send",
  ): Promise<void>;
}

/**
 * What delivery, the worker, the pause probe and reconcile share: the store and client, the pause gate, and the
 * catalog's rate limits as this process enforces them.
 */
export function createDeliveryContext(
  settings: OutboxSettings,
  events: OutboxEmitter,
  markStatus: MarkStatus,
  isStopping: () => boolean,
): DeliveryContext {
  const { store, client, owner, now } = settings;
  // The catalog's per-login rules, held across every process on the store (./budget/shared-slots.ts).
  const warnStore = (err: unknown) =>
    events.emit("warning", {
      kind: "store",
      message: err instanceof Error ? err.message : String(err),
      at: now(),
    });
  const shared = (rule: string, limit: number) => ({
    store,
    budget: { login: settings.login, rule },
    limit,
    owner,
    leaseMs: settings.budgetLeaseMs,
    now,
    storeRetryMs: settings.pollIntervalMs,
    onStoreError: warnStore,
  });
  return {
    store,
    client,
    events,
    gate: new Gate(events, settings.probeIntervalMs),
    owner,
    sent: new SentCompleter(store, owner, now),
    now,
    maxAttempts: settings.maxAttempts,
    backoff: settings.backoff,
    reconcileDelayMs: settings.reconcileDelayMs,
    duplicateWindowMs: settings.duplicateWindowMs,
    ipBlockMs: settings.ipBlockMs,
    requests: createRequestBudget(settings.maxRequests, shared("send-concurrency", MAX_CONCURRENT_REQUESTS)),
    sendSlots: new Semaphore(settings.maxRequests),
    statusRequests: createRequestBudget(
      MAX_CONCURRENT_STATUS,
      shared("status-concurrency", MAX_CONCURRENT_STATUS),
    ),
    statusPerMessage: new SharedWindow({
      store,
      budget: { login: settings.login, rule: "status-per-message" },
      limit: STATUS_PER_MESSAGE.limit,
      windowMs: STATUS_PER_MESSAGE.windowMs,
      onStoreError: warnStore,
    }),
    flood: new SharedFloodAdmission({
      store,
      login: settings.login,
      rule: SUBSCRIBER_FLOOD,
      storeRetryMs: settings.pollIntervalMs,
      onStoreError: warnStore,
    }),
    isStopping,
    idPrefix: settings.idPrefix,
    coalesce: settings.coalesce,
    async recordPolledStatus(row, phone, status, err, at, source = "poll") {
      await markStatus({
        id: row.smscId,
        phone,
        status,
        ...(err === undefined ? {} : { err }),
        at,
        source,
      });
    },
  };
}
