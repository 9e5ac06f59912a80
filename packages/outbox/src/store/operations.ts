/**
 * Each store operation written once, as the sequence of statements it runs: a generator yields a bound
 * statement, the store runs it (PostgreSQL with await, SQLite synchronously inside its transaction) and sends
 * the rows back in. The operations never touch a database themselves, so both stores run the very same steps;
 * what each step decides comes from ./planner.ts.
 */
import * as planner from "./planner.js";
import * as mapping from "./row-mapping.js";
import { type BoundStatement, bind } from "./sql/statement.js";
import * as statements from "./sql/statements/index.js";
import type * as contract from "./store.js";

/** What running one statement gives back. */
export interface Executed {
  rows: mapping.DbRow[];
  count: number;
}

/** Schema changes of a migration: several statements in one text, which the store runs as a script. */
export interface Script {
  readonly script: string;
}

export type Step = BoundStatement | Script;

export type Operation<T> = Generator<Step, T, Executed>;

/** A chunk of new rows, then the rows holding the idempotency keys the insert skipped. */
export function* insertChunk(rows: readonly contract.NewRow[]): Operation<contract.EnqueuedRow[]> {
  const inserted = (yield bind(statements.insertRows, rows)).rows;
  const keys = planner.skippedKeys(rows, inserted);
  const existing = keys.length === 0 ? [] : (yield bind(statements.rowsByIdempotencyKey, keys)).rows;
  return planner.matchEnqueued(rows, inserted, existing);
}

/** The migrations a database still needs, each recorded with its version (run inside the migration lock). */
export function* migrate(migrations: readonly planner.Migration[], appliedAt: () => number): Operation<void> {
  yield bind(statements.createMigrationsTable, null);
  const applied = (yield bind(statements.appliedMigrations, null)).rows;
  for (const migration of planner.pendingMigrations(migrations, applied)) {
    yield { script: migration.sql };
    yield bind(statements.recordMigration, { version: migration.version, appliedAt: appliedAt() });
  }
}

export function* claim(
  owner: string,
  limit: number,
  leaseUntil: number,
  now: number,
): Operation<contract.ClaimedRow[]> {
  return (yield bind(statements.claim, { owner, limit, leaseUntil, now })).rows.map(mapping.toClaimedRow);
}

export function* heartbeat(owner: string, rowIds: readonly number[], leaseUntil: number): Operation<number> {
  if (rowIds.length === 0) return 0;
  return (yield bind(statements.heartbeat, { owner, rowIds, leaseUntil })).count;
}

export function* release(owner: string, rowIds: readonly number[], now: number): Operation<number> {
  if (rowIds.length === 0) return 0;
  return (yield bind(statements.release, { owner, rowIds, now })).count;
}

export function* assignBatch(
  owner: string,
  rowIds: readonly number[],
  batchId: string,
  now: number,
): Operation<number[]> {
  if (rowIds.length === 0) return [];
  const { rows } = yield bind(statements.assignBatch, { owner, rowIds, batchId, now });
  return rows.map((row) => Number(row.row_id));
}

export function* markSending(owner: string, rowIds: readonly number[]): Operation<number[]> {
  if (rowIds.length === 0) return [];
  const { rows } = yield bind(statements.markSending, { owner, rowIds });
  return rows.map((row) => Number(row.row_id));
}

export function* finish(
  owner: string,
  rowId: number,
  outcome: contract.Outcome,
  now: number,
): Operation<contract.StoredRow | null> {
  const [row] = (yield planner.planFinish(owner, rowId, outcome, now)).rows;
  if (!row) return null;
  const attempt = planner.attemptOf(rowId, outcome, now);
  if (attempt) yield bind(statements.insertAttempts, { attempts: [attempt], finishedAt: now });
  return mapping.toStoredRow(row);
}

export function* finishSent(
  owner: string,
  items: readonly contract.SentItem[],
  now: number,
): Operation<Map<number, contract.StoredRow>> {
  if (items.length === 0) return new Map();
  const { rows } = yield bind(statements.finishSent, { owner, items, now });
  const written = new Map(rows.map((row) => [Number(row.row_id), mapping.toStoredRow(row)]));
  // Only rows whose lease was still ours: a lost lease wrote no outcome, so it records no attempt either.
  const attempts = items.flatMap((item) => {
    if (!written.has(item.rowId)) return [];
    const { at, cnt, cost, countAttempt, attemptedAt } = item;
    const attempt = planner.attemptOf(
      item.rowId,
      { kind: "sent", at, cnt, cost, countAttempt, attemptedAt },
      now,
    );
    return attempt ? [attempt] : [];
  });
  if (attempts.length > 0) yield bind(statements.insertAttempts, { attempts, finishedAt: now });
  return written;
}

function* oneRow(bound: BoundStatement): Operation<contract.StoredRow | null> {
  const [row] = (yield bound).rows;
  return row ? mapping.toStoredRow(row) : null;
}

export const get = (rowId: number) => oneRow(bind(statements.rowById, rowId));

export const getBySmscId = (smscId: string) => oneRow(bind(statements.rowBySmscId, smscId));

/** Run atomically: the message row is locked first, so updates of one message take turns. */
export function* applyStatus(
  update: contract.RecipientStatus,
  rule: contract.TransitionRule,
  isFinal: (status: number) => boolean,
): Operation<contract.ApplyStatusResult> {
  const target = planner.statusTarget((yield bind(statements.lockMessage, update.smscId)).rows, update);
  if (target.refused) return target.refused;
  // A batch's id names many rows; the status is kept under the row's own id, as for a row sent alone.
  const own = { ...update, smscId: target.message.smscId };
  const stored = (yield bind(statements.recipientStatus, own)).rows[0] ?? null;
  const { result, write } = planner.planStatus(target.message, stored, own, rule, isFinal);
  if (write) {
    yield bind(statements.saveRecipientStatus, write);
    if (write.closesRecipient) yield bind(statements.closeRecipient, { smscId: own.smscId, at: own.at });
  }
  return result;
}

export function* recipientStatuses(smscId: string): Operation<contract.RecipientStatus[]> {
  return (yield bind(statements.recipientStatuses, smscId)).rows.map(mapping.toRecipientStatus);
}

export function* recipientStatusesOf(smscIds: readonly string[]): Operation<contract.RecipientStatus[]> {
  return (yield bind(statements.recipientStatusesOf, smscIds)).rows.map(mapping.toRecipientStatus);
}

export function* pendingStatuses(sentBefore: number, limit: number): Operation<contract.PendingStatus[]> {
  return (yield bind(statements.pendingStatuses, { sentBefore, limit })).rows.map(mapping.toPendingStatus);
}

export function* listDead(limit: number, offset: number): Operation<contract.StoredRow[]> {
  return (yield bind(statements.listDead, { limit, offset })).rows.map(mapping.toStoredRow);
}

export function* recent(limit: number, before?: contract.RecentCursor): Operation<contract.RecentRow[]> {
  const page = before ? bind(statements.recentBefore, { limit, before }) : bind(statements.recent, limit);
  return (yield page).rows.map(mapping.toRecentRow);
}

export function* redrive(rowId: number, now: number): Operation<boolean> {
  return (yield bind(statements.redrive, { rowId, now })).count === 1;
}

/** Run atomically: the dead rows' attempts and the rows go together. */
export function* purgeDead(deadBefore: number): Operation<number> {
  yield bind(statements.purgeDeadAttempts, deadBefore);
  return (yield bind(statements.purgeDead, deadBefore)).count;
}

export function* attempts(rowId: number): Operation<contract.StoredAttempt[]> {
  return (yield bind(statements.attemptsOf, rowId)).rows.map(mapping.toStoredAttempt);
}

/** Run atomically: the chosen rows' statuses and the rows go together. */
export function* prune(sentBefore: number, limit: number): Operation<number> {
  const smscIds = (yield bind(statements.prunable, { sentBefore, limit })).rows.map((row) =>
    String(row.smsc_id),
  );
  if (smscIds.length === 0) return 0;
  yield bind(statements.deleteStatuses, smscIds);
  yield bind(statements.deleteAttempts, smscIds);
  return (yield bind(statements.deleteSent, smscIds)).count;
}

export function* stats(now: number): Operation<contract.StoreStats> {
  return planner.foldStats((yield bind(statements.stats, now)).rows);
}
