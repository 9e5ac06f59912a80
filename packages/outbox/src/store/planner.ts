/**
 * Every decision the two stores share, as pure functions (the webhook's store/plan.ts is the model): which
 * statement an outcome becomes and with which values, whether a status update is written, how an enqueue's
 * rows match what the database returned, how stats fold, which migrations are due. The operations
 * (./operations.ts) ask these functions and the stores only run the statements (./sql/statements) they yield, so
 * PostgreSQL and SQLite cannot disagree on a rule.
 */
import type { FloodCandidate } from "../flood/admission.js";
import { acceptsRecipient } from "../recipients.js";
import { type DbRow, toStoredRow, toStoredStatus } from "./row-mapping.js";
import { type BoundStatement, bind } from "./sql/statement.js";
import * as statements from "./sql/statements/index.js";
import {
  type ApplyStatusResult,
  type EnqueuedRow,
  type NewAttempt,
  type NewRow,
  type Outcome,
  type RecipientStatus,
  ROW_STATES,
  type RowError,
  type RowState,
  type StoredRow,
  type StoreStats,
  type TransitionRule,
} from "./store.js";

/** Values of the finish-failed statement: a retry (queued or unknown) or a dead letter. */
export interface FailedPlan {
  rowId: number;
  owner: string;
  state: Extract<RowState, "queued" | "unknown" | "dead">;
  attemptsAdded: 0 | 1;
  /** The next due time of a retry; null keeps the row's (a dead row is never due). */
  runAt: number | null;
  deadAt: number | null;
  error: RowError;
  now: number;
  attemptedAt: number | null;
}

/** Values of the finish-deferred statement. */
export interface DeferredPlan {
  rowId: number;
  owner: string;
  runAt: number;
  now: number;
  attemptedAt: number | null;
}

/**
 * The statement and values that apply one outcome to a row this owner holds; it returns the row (RETURNING)
 * only while the lease was still ours. A single "sent" outcome is the batch statement with one item.
 */
export function planFinish(owner: string, rowId: number, outcome: Outcome, now: number): BoundStatement {
  switch (outcome.kind) {
    case "sent": {
      const { at, cnt, cost, countAttempt, attemptedAt } = outcome;
      return bind(statements.finishSent, {
        owner,
        items: [{ rowId, at, cnt, cost, countAttempt, attemptedAt }],
        now,
      });
    }
    case "retry":
    case "dead":
      return bind(statements.finishFailed, {
        rowId,
        owner,
        state: outcome.kind === "dead" ? "dead" : outcome.unknown ? "unknown" : "queued",
        attemptsAdded: outcome.countAttempt ? 1 : 0,
        runAt: outcome.kind === "retry" ? outcome.runAt : null,
        deadAt: outcome.kind === "dead" ? outcome.at : null,
        error: outcome.error,
        now,
        attemptedAt: outcome.attemptedAt,
      });
    case "defer":
      return bind(statements.finishDeferred, {
        rowId,
        owner,
        runAt: outcome.runAt,
        now,
        attemptedAt: outcome.attemptedAt,
      });
  }
}

/**
 * The attempt an outcome records with it: every outcome but a defer that sent nothing. A "sent" that counted no
 * attempt is a reconcile (get_status found the message a lost answer had left unknown).
 */
export function attemptOf(rowId: number, outcome: Outcome, now: number): NewAttempt | null {
  const at = outcome.attemptedAt ?? now;
  switch (outcome.kind) {
    case "sent":
      return { rowId, at, outcome: outcome.countAttempt ? "sent" : "reconciled", error: null };
    case "retry":
      return { rowId, at, outcome: outcome.unknown ? "unknown" : "retry", error: outcome.error };
    case "dead":
      return { rowId, at, outcome: "dead", error: outcome.error };
    case "defer":
      return outcome.attemptedAt === null
        ? null
        : { rowId, at, outcome: "deferred", error: outcome.error ?? null };
  }
}

/** The write a status update makes: the recipient's new status, and whether it closes one open recipient. */
export interface StatusWrite {
  update: RecipientStatus;
  final: boolean;
  closesRecipient: boolean;
}

/** The message a status update is for (the lock-message row), or why the update is refused before any write. */
export type StatusTarget = { refused: ApplyStatusResult } | { refused: null; message: StoredRow };

/**
 * A status for a message we do not have, or for a phone it was not sent to, is refused. `locked` are the rows
 * the id names: one row's own id, or every row of a batch (their phones are distinct, so at most one accepts).
 */
export function statusTarget(locked: readonly DbRow[], update: RecipientStatus): StatusTarget {
  if (locked.length === 0) return { refused: { applied: false, reason: "unknown_message", previous: null } };
  for (const row of locked) {
    const message = toStoredRow(row);
    if (acceptsRecipient(message.recipients, update.phone)) return { refused: null, message };
  }
  return { refused: { applied: false, reason: "unknown_recipient", previous: null } };
}

/** Given the recipient's stored status row (if any), whether and what to write, and what to answer. */
export function planStatus(
  message: StoredRow,
  storedStatus: DbRow | null,
  update: RecipientStatus,
  rule: TransitionRule,
  isFinal: (status: number) => boolean,
): { result: ApplyStatusResult; write: StatusWrite | null } {
  const stored = storedStatus === null ? null : toStoredStatus(storedStatus);
  const previous = stored?.status ?? null;
  if (!rule(previous, update)) return { result: { applied: false, reason: "stale", previous }, write: null };
  const final = isFinal(update.status);
  return {
    result: { applied: true, previous, row: message },
    write: { update, final, closesRecipient: final && stored?.final !== true },
  };
}

/**
 * One answer per row of an enqueue, in order: the row we inserted, or (its idempotency key was taken) the row
 * that holds the key. `inserted` and `existing` are what insert-rows and rows-by-idempotency-key returned.
 */
export function matchEnqueued(
  rows: readonly NewRow[],
  inserted: readonly DbRow[],
  existing: readonly DbRow[],
): EnqueuedRow[] {
  const insertedBySmscId = new Map(inserted.map((row) => [String(row.smsc_id), Number(row.row_id)]));
  const byKey = new Map(
    existing.map((row) => [
      String(row.idempotency_key),
      { rowId: Number(row.row_id), smscId: String(row.smsc_id) },
    ]),
  );
  return rows.map((row) => {
    const rowId = insertedBySmscId.get(row.smscId);
    if (rowId !== undefined) {
      return { rowId, smscId: row.smscId, idempotencyKey: row.idempotencyKey, created: true };
    }
    const holder = row.idempotencyKey === null ? undefined : byKey.get(row.idempotencyKey);
    if (!holder)
      throw new Error(`outbox row for idempotency key ${row.idempotencyKey} vanished during enqueue`);
    return { ...holder, idempotencyKey: row.idempotencyKey, created: false };
  });
}

/** The idempotency keys of rows insert-rows skipped: look these up with rows-by-idempotency-key. */
export function skippedKeys(rows: readonly NewRow[], inserted: readonly DbRow[]): string[] {
  const insertedSmscIds = new Set(inserted.map((row) => String(row.smsc_id)));
  const keys: string[] = [];
  for (const row of rows) {
    if (!insertedSmscIds.has(row.smscId) && row.idempotencyKey !== null) keys.push(row.idempotencyKey);
  }
  return keys;
}

/** Splits a batch into statements of at most `size` rows. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/** The rows of the stats statement as StoreStats: every state present, the oldest due time over all. */
export function foldStats(rows: readonly DbRow[]): StoreStats {
  const byState: Record<RowState, number> = { queued: 0, unknown: 0, sending: 0, sent: 0, dead: 0 };
  let oldestDueAt: number | null = null;
  for (const row of rows) {
    const state = ROW_STATES.find((known) => known === row.state);
    if (state !== undefined) byState[state] = Number(row.n);
    if (row.oldest !== null && row.oldest !== undefined) {
      const oldest = Number(row.oldest);
      oldestDueAt = oldestDueAt === null ? oldest : Math.min(oldestDueAt, oldest);
    }
  }
  return { byState, oldestDueAt, deadLetterDepth: byState.dead };
}

export interface Migration {
  version: number;
  sql: string;
}

/**
 * The migrations a database still needs, in order: those whose version is not among the applied-migrations rows.
 * By what is recorded rather than the highest version, so versions written on parallel branches (a schema at 9
 * that has not seen 8) still get each one.
 */
export function pendingMigrations(migrations: readonly Migration[], applied: readonly DbRow[]): Migration[] {
  const done = new Set(applied.map((row) => Number(row.version)));
  return migrations.filter((migration) => !done.has(migration.version)).sort((a, b) => a.version - b.version);
}

/**
 * One more hit of a sliding-window rule (at most `limit` hits within `windowMs`) given the hits already stored
 * (a JSON array of times, or none): granted with the hits to store (those still inside the window, then this
 * one), or refused with the stored hits left as they are.
 */
export function planWindowHit(
  stored: unknown,
  limit: number,
  windowMs: number,
  now: number,
): { granted: boolean; hits: number[] } {
  const parsed: unknown = typeof stored === "string" ? JSON.parse(stored) : [];
  const recent = (Array.isArray(parsed) ? parsed : [])
    .map(Number)
    .filter((at) => Number.isFinite(at) && now - at < windowMs);
  if (recent.length >= limit) return { granted: false, hits: recent };
  return { granted: true, hits: [...recent, now] };
}

/** SMSC's subscriber-flood rule: a run holds at most `limit` messages, each less than `spacingMs` after the last. */
export interface FloodRule {
  limit: number;
  spacingMs: number;
}

/** One phone of a flood admission: how many of the batch's messages go to it. */
export interface FloodDemand {
  phone: string;
  messages: number;
}

/** What the admit-flood statement answered for one phone: messages granted, and when its run ends. */
export interface FloodGrant {
  phone: string;
  granted: number;
  endsAt: number;
}

const distinctPhones = (candidate: FloodCandidate): string[] => [...new Set(candidate.recipients)];

/** Each phone of a batch once, with its count of messages, in phone order (the statement's lock order too). */
export function floodDemand(candidates: readonly FloodCandidate[]): FloodDemand[] {
  const counts = new Map<string, number>();
  for (const candidate of candidates) {
    for (const phone of distinctPhones(candidate)) counts.set(phone, (counts.get(phone) ?? 0) + 1);
  }
  return [...counts]
    .map(([phone, messages]) => ({ phone, messages }))
    .sort((a, b) => (a.phone < b.phone ? -1 : a.phone > b.phone ? 1 : 0));
}

/**
 * Each candidate's earliest time from what the store granted per phone. A phone's grant covers its first
 * messages in batch order (the store counted them), so a candidate is admitted (earliest = `now`) when each of
 * its phones still has a grant left for it; otherwise it may go when the latest of its full runs ends. A
 * message to several phones that one full run refuses still took its place in the others' runs: counted, not
 * sent, which can only delay a later message there, never let one flood.
 */
export function floodVerdicts(
  candidates: readonly FloodCandidate[],
  grants: readonly FloodGrant[],
  now: number,
): Map<number, number> {
  const left = new Map(grants.map((grant) => [grant.phone, grant.granted]));
  const endsAt = new Map(grants.map((grant) => [grant.phone, grant.endsAt]));
  const verdicts = new Map<number, number>();
  for (const candidate of candidates) {
    let earliest = now;
    for (const phone of distinctPhones(candidate)) {
      const granted = left.get(phone);
      const end = endsAt.get(phone);
      if (granted === undefined || end === undefined)
        throw new Error(`flood admission: the store gave no answer for phone ${phone}`);
      // A refusal always lies ahead, even if a skewed clock saw the run end already: it never admits uncounted.
      if (granted > 0) left.set(phone, granted - 1);
      else earliest = Math.max(earliest, end, now + 1);
    }
    verdicts.set(candidate.rowId, earliest);
  }
  return verdicts;
}

/** A row of the admit-flood statement's answer. */
export function toFloodGrant(row: DbRow): FloodGrant {
  return { phone: String(row.phone), granted: Number(row.granted), endsAt: Number(row.ends_at) };
}
