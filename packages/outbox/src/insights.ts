/**
 * The operator's dashboard reads (outbox.insights): activity over time, failures by code, queue depth and a search
 * of the recent list. Every figure comes from the store, so every process on one store shows the same numbers.
 */
import { STATUS_CODES } from "@smsc-kit/core";
import type { BalanceReading } from "./balance-reader.js";
import { OutboxValidationError } from "./errors.js";
import { checkRecentOptions } from "./recent.js";
import { normalizeRecipient } from "./recipients.js";
import type { FailureCount, OutboxStore, RowState, SearchFilter, StoredAttempt } from "./store/store.js";
import { type ActivityKind, isRowState, type RecentCursor, type RecentRow } from "./store/store.js";

export interface ActivityOptions {
  /** Length of the window ending now (ms). */
  windowMs: number;
  /** Width of one bucket (ms); the window holds at most MAX_BUCKETS of them. */
  bucketMs: number;
}

export interface ActivityBucket {
  /** Start of the bucket (epoch ms). */
  start: number;
  accepted: number;
  sent: number;
  delivered: number;
  /** Dead-lettered messages plus recipients whose final status is a failure. */
  failed: number;
  /** Sum of the cost SMSC reported for the messages sent in this bucket. */
  spend: number;
}

export interface Activity {
  buckets: ActivityBucket[];
  totals: Omit<ActivityBucket, "start">;
}

export interface SearchOptions {
  /** A phone in any format the outbox accepts (`8 (999) 000-00-30`), matched after normalising. */
  phone?: string;
  smscId?: string;
  state?: RowState;
  /** Last change within [since, until] (epoch ms). */
  since?: number;
  until?: number;
  /** A top-level key of the message's meta (letters, digits, `_`, `-`, `.`), optionally with its value. */
  metaKey?: string;
  metaValue?: string;
  limit?: number;
  before?: RecentCursor;
}

export interface InsightCalls {
  activity(options: ActivityOptions): Promise<Activity>;
  failures(options: { windowMs: number }): Promise<FailureCount[]>;
  queue(): Promise<{
    byState: Record<"queued" | "unknown" | "sending", number>;
    oldestDueAgeMs: number;
    deadLetterDepth: number;
  }>;
  search(options?: SearchOptions): Promise<RecentRow[]>;
  /** Every send attempt of one row and what it came to, in the order they were made (read from the store). */
  attempts(rowId: number): Promise<StoredAttempt[]>;
  /**
   * The login's balance: the stored reading while it is fresh (a window of the catalog's balance-polling rule),
   * else a get_balance when the login's polling window, shared by every process on the store, admits one.
   */
  balance(): Promise<BalanceReading>;
}

/** Our own bound on a chart: 24 hourly or 60 per-minute buckets fit comfortably. */
export const MAX_BUCKETS = 1_000;
const META_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

function codesOfKind(kind: string): number[] {
  return Object.values(STATUS_CODES)
    .filter((entry) => entry.kind === kind)
    .map((entry) => entry.code);
}
/** From core's generated catalog (spec/catalog.yaml): which status codes count as delivered and as failed. */
const STATUS_KINDS = { delivered: codesOfKind("delivered"), failed: codesOfKind("failed") };

const bad = (field: string, rule: string, message: string) => new OutboxValidationError(field, rule, message);

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw bad(
      field,
      "positive-integer",
      `${field} must be a positive integer of milliseconds, got ${String(value)}`,
    );
  }
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > 200) {
    throw bad(field, "text", `${field} must be a non-empty string of at most 200 characters`);
  }
  return value;
}

function optionalTime(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw bad(field, "time", `${field} must be epoch milliseconds, got ${String(value)}`);
  }
  return value;
}

/** Validated search options as the store's filter, or an OutboxValidationError naming the field and the rule. */
export function checkSearchOptions(options: SearchOptions): SearchFilter {
  const { limit, before } = checkRecentOptions({ limit: options.limit, before: options.before });
  const filter: SearchFilter = { limit, ...(before ? { before } : {}) };
  const phone = optionalText(options.phone, "phone");
  if (phone !== undefined) filter.recipient = normalizeRecipient(phone);
  const smscId = optionalText(options.smscId, "smscId");
  if (smscId !== undefined) filter.smscId = smscId;
  if (options.state !== undefined) {
    if (!isRowState(options.state))
      throw bad("state", "row-state", `state must be a row state, got ${String(options.state)}`);
    filter.state = options.state;
  }
  const since = optionalTime(options.since, "since");
  const until = optionalTime(options.until, "until");
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  if (since !== undefined && until !== undefined && since > until)
    throw bad("since", "range", "since must not be after until");
  const metaKey = optionalText(options.metaKey, "metaKey");
  if (metaKey !== undefined) {
    if (!META_KEY.test(metaKey))
      throw bad("metaKey", "name", "metaKey may hold letters, digits, _, - and . only");
    filter.metaKey = metaKey;
    const metaValue = optionalText(options.metaValue, "metaValue");
    if (metaValue !== undefined) filter.metaValue = metaValue;
  } else if (options.metaValue !== undefined) {
    throw bad("metaValue", "needs-key", "metaValue needs metaKey");
  }
  return filter;
}

const FIELD: Record<ActivityKind, keyof Omit<ActivityBucket, "start" | "spend">> = {
  accepted: "accepted",
  sent: "sent",
  dead: "failed",
  delivered: "delivered",
  undelivered: "failed",
};

export function createInsightCalls(deps: {
  store: OutboxStore;
  now(): number;
  migrated(): Promise<void>;
  balance(): Promise<BalanceReading>;
}): InsightCalls {
  const { store, now, migrated } = deps;
  return {
    async activity(options) {
      const windowMs = positiveInteger(options?.windowMs, "windowMs");
      const bucketMs = positiveInteger(options?.bucketMs, "bucketMs");
      const count = Math.ceil(windowMs / bucketMs);
      if (count > MAX_BUCKETS) throw bad("bucketMs", "range", `at most ${MAX_BUCKETS} buckets per window`);
      await migrated();
      // Buckets aligned to their width (whole minutes, whole hours), so every process draws the same bars.
      const end = Math.floor(now() / bucketMs) * bucketMs + bucketMs;
      const since = end - count * bucketMs;
      const buckets = Array.from({ length: count }, (_, i) => ({
        start: since + i * bucketMs,
        accepted: 0,
        sent: 0,
        delivered: 0,
        failed: 0,
        spend: 0,
      }));
      for (const row of await store.activity(since, bucketMs, STATUS_KINDS)) {
        const bucket = buckets[row.bucket];
        if (!bucket) continue;
        bucket[FIELD[row.kind]] += row.count;
        if (row.kind === "sent") bucket.spend += row.amount ?? 0;
      }
      const totals = { accepted: 0, sent: 0, delivered: 0, failed: 0, spend: 0 };
      for (const b of buckets) {
        for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += b[key];
      }
      return { buckets, totals };
    },
    async failures(options) {
      const windowMs = positiveInteger(options?.windowMs, "windowMs");
      await migrated();
      const rows = await store.failureCodes(now() - windowMs, STATUS_KINDS.failed);
      return rows.sort((a, b) => b.count - a.count);
    },
    async queue() {
      await migrated();
      const at = now();
      const depth = await store.queueDepth(at);
      return {
        byState: depth.byState,
        oldestDueAgeMs: depth.oldestDueAt === null ? 0 : Math.max(0, at - depth.oldestDueAt),
        deadLetterDepth: depth.deadLetterDepth,
      };
    },
    async search(options = {}) {
      const filter = checkSearchOptions(options);
      await migrated();
      return store.search(filter);
    },
    async attempts(rowId) {
      if (typeof rowId !== "number" || !Number.isSafeInteger(rowId) || rowId < 1)
        throw bad("rowId", "positive-integer", `rowId must be a positive integer, got ${String(rowId)}`);
      await migrated();
      return store.attempts(rowId);
    },
    balance: deps.balance,
  };
}
