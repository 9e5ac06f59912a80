/**
 * The one storage contract both the SQLite and the PostgreSQL stores implement.
 * Times are epoch milliseconds chosen by the caller's clock, so both stores behave identically and tests can
 * drive time. `run_at` is "when the row next needs a worker": the due time of a queued/unknown row, and the
 * lease expiry of a row being sent (so reclaiming an expired lease is the same query as claiming due work).
 */
import type { FloodCandidate } from "../flood/admission.js";
import type { OutcomeClass } from "../protocol.js";
import type { FloodRule } from "./planner.js";

export type RowState = "queued" | "unknown" | "sending" | "sent" | "dead";
export const ROW_STATES: readonly RowState[] = ["queued", "unknown", "sending", "sent", "dead"];

export function isRowState(value: unknown): value is RowState {
  return typeof value === "string" && (ROW_STATES as readonly string[]).includes(value);
}

export interface NewRow {
  smscId: string;
  idempotencyKey: string | null;
  /** SMSC send fields as the caller wrote them, without `id` (the store's smscId is sent as `id`). */
  request: Record<string, unknown>;
  /** Normalised recipients of the message, used to match status updates and to poll get_status. */
  recipients: string[];
  meta: Record<string, unknown> | null;
  runAt: number;
  createdAt: number;
}

export interface EnqueuedRow {
  rowId: number;
  smscId: string;
  idempotencyKey: string | null;
  /** false when the idempotency key matched an existing row, which is returned instead. */
  created: boolean;
}

export interface StoredRow {
  rowId: number;
  smscId: string;
  idempotencyKey: string | null;
  request: Record<string, unknown>;
  recipients: string[];
  meta: Record<string, unknown> | null;
  state: RowState;
  attempts: number;
  runAt: number;
  createdAt: number;
  sentAt: number | null;
  deadAt: number | null;
  lastErrorCode: number | null;
  lastErrorClass: OutcomeClass | null;
  lastError: string | null;
  /** When a request for this row last reached (or may have reached) SMSC. */
  lastAttemptAt: number | null;
  cnt: number | null;
  cost: number | null;
  /** The id of the request that last carried this row with others (../coalesce/); null: always alone. */
  batchId: string | null;
}

/** A row as the "recent messages" list shows it: with the time of its last change. */
export interface RecentRow extends StoredRow {
  /** When the row last changed: enqueued, claimed, sent, retried, dead-lettered, redriven, a final status. */
  updatedAt: number;
}

/** Keyset position in the recent list: rows strictly older than this (by updatedAt, then rowId) come next. */
export interface RecentCursor {
  updatedAt: number;
  rowId: number;
}

export interface ClaimedRow extends StoredRow {
  /** true when an earlier attempt may have reached SMSC: ask get_status before sending again. */
  reconcile: boolean;
}

export interface RowError {
  code: number | null;
  errorClass: OutcomeClass | null;
  message: string;
}

/** `attemptedAt`: when this attempt's request went to SMSC, null when none did (it keeps the previous value). */
export type Outcome =
  | {
      kind: "sent";
      at: number;
      cnt: number | null;
      cost: number | null;
      countAttempt: boolean;
      attemptedAt: number | null;
    }
  | {
      kind: "retry";
      runAt: number;
      error: RowError;
      unknown: boolean;
      countAttempt: boolean;
      attemptedAt: number | null;
    }
  | { kind: "dead"; at: number; error: RowError; countAttempt: boolean; attemptedAt: number | null }
  /** Put the row back without consuming an attempt until runAt (quiet hours, flood spacing, a paused outbox). */
  /** `error`: why a request that reached SMSC was put back (a funds, credentials or IP-block refusal). */
  | { kind: "defer"; runAt: number; attemptedAt: number | null; error?: RowError | null };

/** What one attempt came to: a request answered (sent, retry, dead), unanswered (unknown), or found by get_status. */
export type AttemptOutcome = "sent" | "reconciled" | "retry" | "unknown" | "dead" | "deferred";

/** An attempt as a finish records it, in the transaction of its outcome. */
export interface NewAttempt {
  rowId: number;
  /** When the request went to SMSC, or when the outcome was decided if no request did. */
  at: number;
  outcome: AttemptOutcome;
  error: RowError | null;
}

export interface StoredAttempt extends NewAttempt {
  /** 1, 2, … in the order the row's attempts finished. */
  seq: number;
  finishedAt: number;
}

/** A login's last stored reading of a polled figure: its value as JSON text and when it was read. */
export interface StoredReading {
  value: string;
  at: number;
}

export interface SentItem {
  rowId: number;
  at: number;
  cnt: number | null;
  cost: number | null;
  countAttempt: boolean;
  attemptedAt: number | null;
}

export type StatusSource = "callback" | "poll" | "send";
export const STATUS_SOURCES: readonly StatusSource[] = ["callback", "poll", "send"];

export interface RecipientStatus {
  smscId: string;
  phone: string;
  status: number;
  err: number | null;
  at: number;
  source: StatusSource;
}

export interface PendingStatus {
  rowId: number;
  smscId: string;
  phone: string;
  sentAt: number;
  status: number | null;
}

export interface StoreStats {
  byState: Record<RowState, number>;
  oldestDueAt: number | null;
  deadLetterDepth: number;
}

/** What a bucket of the activity window counts: see ./sql/statements/activity.ts. */
export type ActivityKind = "accepted" | "sent" | "dead" | "delivered" | "undelivered";

export interface ActivityCount {
  kind: ActivityKind;
  /** Bucket number from the window's start (0 = the oldest). */
  bucket: number;
  count: number;
  /** Sum of the cost of the sent messages (null for other kinds, or when SMSC reported no cost). */
  amount: number | null;
}

export interface FailureCount {
  /** "send": dead-lettered by an SMSC error code; "delivery": a recipient's failed status by its err code. */
  source: "send" | "delivery";
  code: number | null;
  count: number;
}

export interface QueueDepth {
  byState: Record<"queued" | "unknown" | "sending", number>;
  oldestDueAt: number | null;
  deadLetterDepth: number;
}

/** A search of the recent list; every filter optional, the page continuing after `before`. */
export interface SearchFilter {
  smscId?: string;
  state?: RowState;
  /** A recipient as stored (normalised by the outbox's recipientKey). */
  recipient?: string;
  /** Last change within [since, until] (epoch ms). */
  since?: number;
  until?: number;
  metaKey?: string;
  metaValue?: string;
  before?: RecentCursor;
  limit: number;
}

/** Decides whether a recipient's status may move from `prev` (null when none yet) to `next`. */
export type TransitionRule = (prev: RecipientStatus | null, next: RecipientStatus) => boolean;

export type ApplyStatusResult =
  | { applied: true; previous: RecipientStatus | null; row: StoredRow }
  | {
      applied: false;
      reason: "unknown_message" | "unknown_recipient" | "stale";
      previous: RecipientStatus | null;
    };

/** Enqueueing without awaiting, inside the caller's own synchronous transaction (better-sqlite3's). */
export interface SyncEnqueue {
  /** Idempotent, versioned; a cheap check once done. */
  migrateSync(): void;
  insertSync(rows: NewRow[], tx?: unknown): EnqueuedRow[];
}

/** One of SMSC's per-login rules as a budget of leased slots shared by every process on the store. */
export interface SlotBudget {
  /** The SMSC login the budget belongs to: outboxes under different logins never share slots. */
  login: string;
  /** The catalog rule the slots stand for (e.g. `send-concurrency`). */
  rule: string;
}

/** A login's pause and IP-block state as every process on the store sees it. */
export interface LoginHold {
  pausedReason: "funds" | "auth" | null;
  pausedSince: number | null;
  pausedError: RowError | null;
  /** 0 when never blocked; a time in the past when the block is over. */
  blockedUntil: number;
  blockedError: RowError | null;
}

export interface OutboxStore {
  readonly kind: "sqlite" | "pg";
  /** Present on a store that can enqueue synchronously (SQLite); the outbox's enqueueSync needs it. */
  readonly sync?: SyncEnqueue;
  /** Idempotent, versioned; safe when many instances start at once. */
  migrate(): Promise<void>;
  /** Inserts in the caller's transaction when `tx` is given, otherwise in the store's own one. */
  insert(rows: NewRow[], tx?: unknown): Promise<EnqueuedRow[]>;
  /**
   * All chunks or none: chunks are produced lazily (and may throw a validation error part-way); whatever was
   * written before is rolled back (to a savepoint inside the caller's transaction).
   */
  insertChunks(chunks: Iterable<NewRow[]>, tx?: unknown): Promise<EnqueuedRow[]>;
  claim(owner: string, limit: number, leaseUntil: number, now: number): Promise<ClaimedRow[]>;
  heartbeat(owner: string, rowIds: number[], leaseUntil: number): Promise<number>;
  /** Gives claimed rows back (graceful stop) without consuming an attempt. */
  release(owner: string, rowIds: number[], now: number): Promise<number>;
  /** Applies an outcome if the lease is still ours; false when another worker has taken the row over. */
  finish(owner: string, rowId: number, outcome: Outcome, now: number): Promise<StoredRow | null>;
  /** Stores one request's SMSC id on the rows it will carry that this owner still holds, before the send. */
  assignBatch(owner: string, rowIds: readonly number[], batchId: string, now: number): Promise<number[]>;
  /** A request is about to leave for rows travelling alone that this owner still holds: a reclaim reconciles them. */
  markSending(owner: string, rowIds: readonly number[]): Promise<number[]>;
  /** Many "sent" outcomes in one statement (the hot path); returns the rows whose lease was still ours. */
  finishSent(owner: string, items: SentItem[], now: number): Promise<Map<number, StoredRow>>;
  get(rowId: number): Promise<StoredRow | null>;
  getBySmscId(smscId: string): Promise<StoredRow | null>;
  applyStatus(
    update: RecipientStatus,
    rule: TransitionRule,
    isFinal: (status: number) => boolean,
  ): Promise<ApplyStatusResult>;
  recipientStatuses(smscId: string): Promise<RecipientStatus[]>;
  /** The recipient statuses of several messages in one query (the status page's recent list). */
  recipientStatusesOf(smscIds: readonly string[]): Promise<RecipientStatus[]>;
  /** Sent rows older than `sentBefore` with at least one recipient without a final status. */
  pendingStatuses(sentBefore: number, limit: number): Promise<PendingStatus[]>;
  listDead(limit: number, offset: number): Promise<StoredRow[]>;
  /** Newest change first (updatedAt, then rowId, descending), from an index; `before` pages on. */
  recent(limit: number, before?: RecentCursor): Promise<RecentRow[]>;
  /** Dead → queued, keeping the SMSC id and resetting attempts. */
  redrive(rowId: number, now: number): Promise<boolean>;
  purgeDead(deadBefore: number): Promise<number>;
  /** Every attempt recorded for a row, in the order they finished. */
  attempts(rowId: number): Promise<StoredAttempt[]>;
  /** A login's last stored reading of `kind` (e.g. "balance"), shared by every process on the store. */
  readReading(login: string, kind: string): Promise<StoredReading | null>;
  /** Stores a reading unless a newer one is already there. */
  saveReading(login: string, kind: string, value: string, at: number): Promise<void>;
  /** Deletes sent rows (and their recipient statuses) finished before the cut-off. */
  prune(sentBefore: number, limit: number): Promise<number>;
  stats(now: number): Promise<StoreStats>;
  /** Makes sure slots 0…count−1 of the budget exist (idempotent; many processes may seed at once). */
  seedSlots(budget: SlotBudget, count: number): Promise<void>;
  /** Leases one free slot below `limit` (free, or its lease ran out) until `leaseUntil`; null when none is free. */
  takeSlot(
    budget: SlotBudget,
    limit: number,
    owner: string,
    leaseUntil: number,
    now: number,
  ): Promise<number | null>;
  /** Frees a slot if `owner` still holds it; false when the lease had run out and another holder took it. */
  giveSlot(budget: SlotBudget, slot: number, owner: string): Promise<boolean>;
  /** Extends the leases of these slots that `owner` still holds; returns how many it still holds. */
  renewSlots(
    budget: SlotBudget,
    slots: readonly number[],
    owner: string,
    leaseUntil: number,
  ): Promise<number>;
  readHold(login: string): Promise<LoginHold>;
  /** Pauses the login for every process; false when it was paused already. */
  pauseLogin(login: string, reason: "funds" | "auth", since: number, error: RowError): Promise<boolean>;
  /** Ends the pause that began at `since`; false when that pause is no longer the login's. */
  resumeLogin(login: string, since: number): Promise<boolean>;
  /** Blocks the login until `until` for every process (a longer block already set stays). */
  blockLogin(login: string, until: number, error: RowError): Promise<void>;
  /** Leases the balance probe of a paused login to `owner`; false when another process holds it. */
  takeProbe(login: string, owner: string, leaseUntil: number, now: number): Promise<boolean>;
  /**
   * One more hit of a sliding-window rule (at most `limit` within `windowMs`) on `key` under the budget's login,
   * counted across every process; false (nothing counted) when the window is full.
   */
  hitWindow(budget: SlotBudget, key: string, limit: number, windowMs: number, now: number): Promise<boolean>;
  /** Deletes windows whose hits have all left their window. */
  pruneWindows(now: number): Promise<number>;
  /** The flood rule for a batch under `login`, across every process: answers as FloodAdmission.admit does. */
  admitFlood(
    login: string,
    candidates: readonly FloodCandidate[],
    rule: FloodRule,
    now: number,
  ): Promise<Map<number, number>>;
  /** Deletes flood runs that have ended by `now`. */
  pruneFloodRuns(now: number): Promise<number>;
  /** Counts per bucket of `bucketMs` from `since`, each from an index on its time column. */
  activity(
    since: number,
    bucketMs: number,
    codes: { delivered: readonly number[]; failed: readonly number[] },
  ): Promise<ActivityCount[]>;
  failureCodes(since: number, failedCodes: readonly number[]): Promise<FailureCount[]>;
  /** Rows waiting or being sent, from the due index. */
  queueDepth(now: number): Promise<QueueDepth>;
  /** The recent list filtered, newest change first, on the same keyset as `recent`. */
  search(filter: SearchFilter): Promise<RecentRow[]>;
  close(): Promise<void>;
}
