import { OutboxConfigError } from "../errors.js";
import type { RecentRow, RecipientStatus, RowState, StoredRow } from "./store.js";

/** Column list both stores select, in one place so the mapping below stays in step with it. */
export const ROW_COLUMNS =
  "row_id, smsc_id, idempotency_key, request, recipients, meta, state, attempts, run_at, created_at, sent_at, dead_at, last_error_code, last_error_class, last_error, last_attempt_at, cnt, cost";

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

export function toStoredRow(r: DbRow): StoredRow {
  return {
    rowId: num(r.row_id),
    smscId: String(r.smsc_id),
    idempotencyKey: strOrNull(r.idempotency_key),
    request: json<Record<string, unknown>>(r.request),
    recipients: json<string[]>(r.recipients),
    meta: r.meta === null || r.meta === undefined ? null : json<Record<string, unknown>>(r.meta),
    state: String(r.state) as RowState,
    attempts: num(r.attempts),
    runAt: num(r.run_at),
    createdAt: num(r.created_at),
    sentAt: numOrNull(r.sent_at),
    deadAt: numOrNull(r.dead_at),
    lastErrorCode: numOrNull(r.last_error_code),
    lastErrorClass: strOrNull(r.last_error_class),
    lastError: strOrNull(r.last_error),
    lastAttemptAt: numOrNull(r.last_attempt_at),
    cnt: numOrNull(r.cnt),
    cost: numOrNull(r.cost),
  };
}

/** For queries that select `ROW_COLUMNS, updated_at`. */
export function toRecentRow(r: DbRow): RecentRow {
  return { ...toStoredRow(r), updatedAt: num(r.updated_at) };
}

export function toRecipientStatus(r: DbRow): RecipientStatus {
  return {
    smscId: String(r.smsc_id),
    phone: String(r.phone),
    status: num(r.status),
    err: numOrNull(r.err),
    at: num(r.at),
    source: String(r.source) as RecipientStatus["source"],
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
