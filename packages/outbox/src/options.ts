/**
 * createOutbox's configuration: the options a service passes, checked once with the field named, and the
 * settings the rest of the outbox reads (defaults applied, catalog limits enforced).
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { fieldSchemas } from "@smsc-kit/core";
import type { BackoffPolicy } from "./backoff.js";
import { type CoalesceOption, type CoalesceSettings, resolveCoalesce } from "./coalesce/settings.js";
import type { OutboxClient } from "./delivery-context.js";
import { OutboxConfigError } from "./errors.js";
import {
  BALANCE_POLLING,
  DUPLICATE_SEND_WINDOW_MS,
  IP_BLOCK_MS,
  MAX_CONCURRENT_REQUESTS,
} from "./protocol.js";
import { generateSmscId } from "./smsc-id.js";
import type { OutboxStore } from "./store/store.js";
import { checkMaxsmsOverflow, type MaxsmsOverflow } from "./text-length.js";

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
   * Most requests this process keeps open to SMSC at once (default and maximum: the catalog's per-login limit).
   * Every process on the store already shares the login's limit (see `login`), so it needs no splitting.
   */
  maxConcurrentRequests?: number;
  /**
   * The SMSC login the client sends as. SMSC's per-login limits (simultaneous send and status requests) are
   * budgets shared, through the store, by every outbox process with the same login; outboxes with different
   * logins in one database do not share. Default "default": every outbox that names none shares one budget,
   * which is never more than the limit (safe), only slower when the logins really differ.
   */
  login?: string;
  /** Lease of a slot of the shared budget (default 10 s): a crashed process's slots free themselves after it. */
  budgetLeaseMs?: number;
  /** Retention: delete sent rows this old (ms) and dead rows this old; run every intervalMs while started. */
  retention?: { sentMs?: number; deadMs?: number; intervalMs?: number };
  /**
   * A text needing more SMS parts than its `maxsms` allows, which SMSC would cut: "warn" (default) accepts it
   * with `warnings` in enqueue's result and a "truncated" event; "reject" refuses it with an
   * OutboxValidationError naming the field (`mes`, or `list`) and the rule `maxsms`.
   */
  maxsmsOverflow?: MaxsmsOverflow;
  /**
   * Many messages per send request (README, "Many messages per request"): on by default with the catalog's
   * per-request limits; `false` sends every message alone; an object overrides the limits.
   */
  coalesce?: CoalesceOption;
  /** Prefix of generated SMSC ids ([A-Za-z0-9._-], keep it short: ids are at most 40 characters). */
  idPrefix?: string;
  /** Worker identity in leases (default host:pid:random). */
  owner?: string;
  clock?: { now(): number };
}

export interface RetentionSettings {
  sentMs: number | undefined;
  deadMs: number | undefined;
  intervalMs: number;
}

/** The options with their defaults, every number checked. */
export interface OutboxSettings {
  store: OutboxStore;
  client: OutboxClient;
  now(): number;
  owner: string;
  idPrefix: string;
  leaseMs: number;
  heartbeatMs: number;
  pollIntervalMs: number;
  /** Requests open to SMSC at once from this process, never above the catalog's per-login limit. */
  maxRequests: number;
  /** Key of the budget shared by every process on the store under this SMSC login. */
  login: string;
  budgetLeaseMs: number;
  probeIntervalMs: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  reconcileDelayMs: number;
  duplicateWindowMs: number;
  ipBlockMs: number;
  retention: RetentionSettings | null;
  maxsmsOverflow: MaxsmsOverflow;
  coalesce: CoalesceSettings | null;
}

export function positive(value: number | undefined, fallback: number, field: string): number {
  const checked = value ?? fallback;
  if (!Number.isFinite(checked) || checked <= 0)
    throw new OutboxConfigError(field, "must be a positive number");
  return checked;
}

function checkIdPrefix(idPrefix: string): string {
  if (!/^[A-Za-z0-9._-]{0,12}$/.test(idPrefix)) {
    throw new OutboxConfigError(
      "idPrefix",
      "at most 12 characters of [A-Za-z0-9._-] (SMSC ids are ≤ 40 characters)",
    );
  }
  if (!fieldSchemas.id.safeParse(generateSmscId(idPrefix)).success) {
    throw new OutboxConfigError("idPrefix", "generated ids with this prefix break SMSC's id rule");
  }
  return idPrefix;
}

function checkLogin(login: string): string {
  if (typeof login !== "string" || login.length === 0 || login.length > 200)
    throw new OutboxConfigError("login", "must be a non-empty string of at most 200 characters");
  return login;
}

export function resolveOptions(options: OutboxOptions): OutboxSettings {
  const { store, client } = options;
  if (!store) throw new OutboxConfigError("store", "is required (openSqliteStore or openPgStore)");
  if (!client) throw new OutboxConfigError("client", "is required (createSmscClient from @smsc-kit/core)");
  const clock = options.clock ?? { now: () => Date.now() };
  const leaseMs = positive(options.leaseMs, 30_000, "leaseMs");
  const retention = options.retention;
  return {
    store,
    client,
    now: () => clock.now(),
    owner: options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    idPrefix: checkIdPrefix(options.idPrefix ?? ""),
    leaseMs,
    heartbeatMs: positive(options.heartbeatMs, Math.floor(leaseMs / 3), "heartbeatMs"),
    pollIntervalMs: positive(options.pollIntervalMs, 200, "pollIntervalMs"),
    maxRequests: Math.min(
      MAX_CONCURRENT_REQUESTS,
      positive(options.maxConcurrentRequests, MAX_CONCURRENT_REQUESTS, "maxConcurrentRequests"),
    ),
    // Never probe faster than the catalog's balance-polling rule allows.
    login: checkLogin(options.login ?? "default"),
    budgetLeaseMs: positive(options.budgetLeaseMs, 10_000, "budgetLeaseMs"),
    probeIntervalMs: Math.max(
      positive(options.probeIntervalMs, 30_000, "probeIntervalMs"),
      Math.ceil(BALANCE_POLLING.windowMs / BALANCE_POLLING.limit),
    ),
    maxAttempts: Math.floor(positive(options.maxAttempts, 8, "maxAttempts")),
    backoff: {
      baseDelayMs: positive(options.backoff?.baseDelayMs, 2_000, "backoff.baseDelayMs"),
      maxDelayMs: positive(options.backoff?.maxDelayMs, 15 * 60_000, "backoff.maxDelayMs"),
    },
    reconcileDelayMs: positive(options.reconcileDelayMs, 15_000, "reconcileDelayMs"),
    duplicateWindowMs: positive(options.duplicateWindowMs, DUPLICATE_SEND_WINDOW_MS, "duplicateWindowMs"),
    ipBlockMs: positive(options.ipBlockMs, IP_BLOCK_MS, "ipBlockMs"),
    retention: retention
      ? {
          sentMs: retention.sentMs,
          deadMs: retention.deadMs,
          intervalMs: positive(retention.intervalMs, 60_000, "retention.intervalMs"),
        }
      : null,
    maxsmsOverflow: checkMaxsmsOverflow(options.maxsmsOverflow),
    coalesce: resolveCoalesce(options.coalesce),
  };
}
