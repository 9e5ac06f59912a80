import { OutboxConfigError } from "../errors.js";
import { isOutcomeClass } from "../protocol.js";
import {
  type AttemptOutcome,
  type ClaimedRow,
  isRowState,
  type PendingStatus,
  type RecentRow,
  type RecipientStatus,
  STATUS_SOURCES,
  type StatusSource,
  type StoredAttempt,
  type StoredRow,
} from "./store.js";

/** Column list both stores select, in one place so the mapping below stays in step with it. */
export const ROW_COLUMNS =
  "row_id, smsc_id, idempotency_key, request, recipients, meta, state, attempts, run_at, created_at, sent_at, dead_at, last_error_code, last_error_class, last_error, last_attempt_at, cnt, cost, batch_id";

/** Columns of a recipient status row. */
export const STATUS_COLUMNS = "smsc_id, phone, status, err, at, source, final";

type DbValue = string | number | bigint | boolean | null | Record<string, unknown> | unknown[];
export type DbRow = Record<string, DbValue | undefined>;

function parsed(value: DbValue | undefined): unknown {
  // The columns are TEXT on both databases; a driver that parses JSON itself hands back the value.
  return typeof value === "string" ? JSON.parse(value) : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonObject(value: DbValue | undefined, column: string): Record<string, unknown> {
  const object = parsed(value);
  if (!isObject(object)) throw corrupt(column, value);
  return object;
}

function jsonStrings(value: DbValue | undefined, column: string): string[] {
  const list = parsed(value);
  if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) throw corrupt(column, value);
  return list;
}

function num(value: DbValue | undefined): number {
  return typeof value === "number" ? value : Number(value);
}

function numOrNull(value: DbValue | undefined): number | null {
  return value === null || value === undefined ? null : num(value);
}

function strOrNull(value: DbValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** PostgreSQL's boolean, or SQLite's 0/1. */
function flag(value: DbValue | undefined): boolean {
  return value === true || value === 1 || value === "1" || value === "t";
}

/** Only the outbox writes these columns; a value outside the type means the table was edited by hand. */
function corrupt(column: string, value: DbValue | undefined): Error {
  return new Error(`outbox table holds ${JSON.stringify(value)} in ${column}, which the outbox never writes`);
}

export function toStoredRow(row: DbRow): StoredRow {
  const state = row.state;
  if (!isRowState(state)) throw corrupt("state", state);
  const errorClass = row.last_error_class ?? null;
  if (errorClass !== null && !isOutcomeClass(errorClass)) throw corrupt("last_error_class", errorClass);
  return {
    rowId: num(row.row_id),
    smscId: String(row.smsc_id),
    idempotencyKey: strOrNull(row.idempotency_key),
    request: jsonObject(row.request, "request"),
    recipients: jsonStrings(row.recipients, "recipients"),
    meta: row.meta === null || row.meta === undefined ? null : jsonObject(row.meta, "meta"),
    state,
    attempts: num(row.attempts),
    runAt: num(row.run_at),
    createdAt: num(row.created_at),
    sentAt: numOrNull(row.sent_at),
    deadAt: numOrNull(row.dead_at),
    lastErrorCode: numOrNull(row.last_error_code),
    lastErrorClass: errorClass,
    lastError: strOrNull(row.last_error),
    lastAttemptAt: numOrNull(row.last_attempt_at),
    cnt: numOrNull(row.cnt),
    cost: numOrNull(row.cost),
    batchId: strOrNull(row.batch_id),
  };
}

const ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = [
  "sent",
  "reconciled",
  "retry",
  "unknown",
  "dead",
  "deferred",
];

function isAttemptOutcome(value: unknown): value is AttemptOutcome {
  return typeof value === "string" && (ATTEMPT_OUTCOMES as readonly string[]).includes(value);
}

/** A row of the attempts table (attempts-of). */
export function toStoredAttempt(row: DbRow): StoredAttempt {
  const outcome = row.outcome;
  if (!isAttemptOutcome(outcome)) throw corrupt("outcome", outcome);
  const errorClass = row.error_class ?? null;
  if (errorClass !== null && !isOutcomeClass(errorClass)) throw corrupt("error_class", errorClass);
  const message = strOrNull(row.error);
  return {
    rowId: num(row.row_id),
    seq: num(row.seq),
    at: num(row.at),
    finishedAt: num(row.finished_at),
    outcome,
    error: message === null ? null : { code: numOrNull(row.error_code), errorClass, message },
  };
}

/** For the claim, which returns `ROW_COLUMNS, reconcile`. */
export function toClaimedRow(row: DbRow): ClaimedRow {
  return { ...toStoredRow(row), reconcile: flag(row.reconcile) };
}

/** For queries that select `ROW_COLUMNS, updated_at`. */
export function toRecentRow(row: DbRow): RecentRow {
  return { ...toStoredRow(row), updatedAt: num(row.updated_at) };
}

function isStatusSource(value: unknown): value is StatusSource {
  return typeof value === "string" && (STATUS_SOURCES as readonly string[]).includes(value);
}

export function toRecipientStatus(row: DbRow): RecipientStatus {
  const source = row.source;
  if (!isStatusSource(source)) throw corrupt("source", source);
  return {
    smscId: String(row.smsc_id),
    phone: String(row.phone),
    status: num(row.status),
    err: numOrNull(row.err),
    at: num(row.at),
    source,
  };
}

/** A recipient's stored status and whether it is final (`STATUS_COLUMNS`). */
export function toStoredStatus(row: DbRow): { status: RecipientStatus; final: boolean } {
  return { status: toRecipientStatus(row), final: flag(row.final) };
}

export function toPendingStatus(row: DbRow): PendingStatus {
  return {
    rowId: num(row.row_id),
    smscId: String(row.smsc_id),
    phone: String(row.phone),
    sentAt: num(row.sent_at),
    status: numOrNull(row.status),
  };
}

/** Quoting for identifiers that come from configuration (schema, table prefix): validated, never user data. */
export function checkIdentifier(name: string, field: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,47}$/.test(name)) {
    throw new OutboxConfigError(
      field,
      `must match [A-Za-z_][A-Za-z0-9_]* and be at most 48 characters, got ${JSON.stringify(name)}`,
    );
  }
  return name;
}
