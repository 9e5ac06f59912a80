import { OutboxConfigError } from "../errors.js";
import { isOutcomeClass } from "../protocol.js";
import {
  type ClaimedRow,
  isRowState,
  type PendingStatus,
  type RecentRow,
  type RecipientStatus,
  STATUS_SOURCES,
  type StatusSource,
  type StoredRow,
} from "./store.js";

/** Column list both stores select, in one place so the mapping below stays in step with it. */
export const ROW_COLUMNS =
  "row_id, smsc_id, idempotency_key, request, recipients, meta, state, attempts, run_at, created_at, sent_at, dead_at, last_error_code, last_error_class, last_error, last_attempt_at, cnt, cost";

/** Columns of a recipient status row. */
export const STATUS_COLUMNS = "smsc_id, phone, status, err, at, source, final";

type DbValue = string | number | bigint | boolean | null | Record<string, unknown> | unknown[];
export type DbRow = Record<string, DbValue | undefined>;

function json<T>(value: DbValue | undefined): T {
  // SQLite hands back TEXT, PostgreSQL's jsonb is already parsed.
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
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

export function toStoredRow(r: DbRow): StoredRow {
  const state = r.state;
  if (!isRowState(state)) throw corrupt("state", state);
  const errorClass = r.last_error_class ?? null;
  if (errorClass !== null && !isOutcomeClass(errorClass)) throw corrupt("last_error_class", errorClass);
  return {
    rowId: num(r.row_id),
    smscId: String(r.smsc_id),
    idempotencyKey: strOrNull(r.idempotency_key),
    request: json<Record<string, unknown>>(r.request),
    recipients: json<string[]>(r.recipients),
    meta: r.meta === null || r.meta === undefined ? null : json<Record<string, unknown>>(r.meta),
    state,
    attempts: num(r.attempts),
    runAt: num(r.run_at),
    createdAt: num(r.created_at),
    sentAt: numOrNull(r.sent_at),
    deadAt: numOrNull(r.dead_at),
    lastErrorCode: numOrNull(r.last_error_code),
    lastErrorClass: errorClass,
    lastError: strOrNull(r.last_error),
    lastAttemptAt: numOrNull(r.last_attempt_at),
    cnt: numOrNull(r.cnt),
    cost: numOrNull(r.cost),
  };
}

/** For the claim, which returns `ROW_COLUMNS, reconcile`. */
export function toClaimedRow(r: DbRow): ClaimedRow {
  return { ...toStoredRow(r), reconcile: flag(r.reconcile) };
}

/** For queries that select `ROW_COLUMNS, updated_at`. */
export function toRecentRow(r: DbRow): RecentRow {
  return { ...toStoredRow(r), updatedAt: num(r.updated_at) };
}

function isStatusSource(value: unknown): value is StatusSource {
  return typeof value === "string" && (STATUS_SOURCES as readonly string[]).includes(value);
}

export function toRecipientStatus(r: DbRow): RecipientStatus {
  const source = r.source;
  if (!isStatusSource(source)) throw corrupt("source", source);
  return {
    smscId: String(r.smsc_id),
    phone: String(r.phone),
    status: num(r.status),
    err: numOrNull(r.err),
    at: num(r.at),
    source,
  };
}

/** A recipient's stored status and whether it is final (`STATUS_COLUMNS`). */
export function toStoredStatus(r: DbRow): { status: RecipientStatus; final: boolean } {
  return { status: toRecipientStatus(r), final: flag(r.final) };
}

export function toPendingStatus(r: DbRow): PendingStatus {
  return {
    rowId: num(r.row_id),
    smscId: String(r.smsc_id),
    phone: String(r.phone),
    sentAt: num(r.sent_at),
    status: numOrNull(r.status),
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
