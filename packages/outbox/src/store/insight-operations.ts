/**
 * The dashboard's read operations (activity over time, failures by code, queue depth, search), written once for
 * both stores like ./operations.ts; the SQL is in ./sql/statements, one file each.
 */
import type { Operation } from "./operations.js";
import type { DbRow } from "./row-mapping.js";
import * as mapping from "./row-mapping.js";
import { bind } from "./sql/statement.js";
import * as statements from "./sql/statements/index.js";
import type * as contract from "./store.js";

const ACTIVITY_KINDS: readonly contract.ActivityKind[] = [
  "accepted",
  "sent",
  "dead",
  "delivered",
  "undelivered",
];

/** pg returns COUNT and SUM(numeric) as strings; SQLite as numbers. */
function num(value: DbRow[string]): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function* activity(
  since: number,
  bucketMs: number,
  codes: { delivered: readonly number[]; failed: readonly number[] },
): Operation<contract.ActivityCount[]> {
  const input = { since, bucketMs, deliveredCodes: codes.delivered, failedCodes: codes.failed };
  const { rows } = yield bind(statements.activity, input);
  return rows.flatMap((row) => {
    const kind = ACTIVITY_KINDS.find((k) => k === row.kind);
    const bucket = num(row.bucket);
    if (kind === undefined || bucket === null) return [];
    return [{ kind, bucket: Math.floor(bucket), count: num(row.n) ?? 0, amount: num(row.amount) }];
  });
}

export function* failureCodes(
  since: number,
  failedCodes: readonly number[],
): Operation<contract.FailureCount[]> {
  const { rows } = yield bind(statements.failureCodes, { since, failedCodes });
  return rows.map((row) => ({
    source: row.source === "send" ? "send" : "delivery",
    code: num(row.code),
    count: num(row.n) ?? 0,
  }));
}

export function* queueDepth(now: number): Operation<contract.QueueDepth> {
  const { rows } = yield bind(statements.queueDepth, now);
  const byState = { queued: 0, unknown: 0, sending: 0 };
  let oldestDueAt: number | null = null;
  let deadLetterDepth = 0;
  for (const row of rows) {
    if (row.state === "dead") deadLetterDepth = num(row.n) ?? 0;
    if (row.state === "queued" || row.state === "unknown" || row.state === "sending") {
      byState[row.state] = num(row.n) ?? 0;
    }
    const oldest = num(row.oldest);
    if (oldest !== null && (oldestDueAt === null || oldest < oldestDueAt)) oldestDueAt = oldest;
  }
  return { byState, oldestDueAt, deadLetterDepth };
}

/** The earlier of two keyset positions: the page starts below both the cursor and the end of the range. */
function lowerCursor(a: contract.RecentCursor, b: contract.RecentCursor): contract.RecentCursor {
  return a.updatedAt < b.updatedAt || (a.updatedAt === b.updatedAt && a.rowId < b.rowId) ? a : b;
}

export function* search(filter: contract.SearchFilter): Operation<contract.RecentRow[]> {
  const top = { updatedAt: Number.MAX_SAFE_INTEGER, rowId: Number.MAX_SAFE_INTEGER };
  // Rows changed at `until` or earlier: strictly below (until + 1, 0), as row ids start at 1.
  const end = filter.until === undefined ? top : { updatedAt: filter.until + 1, rowId: 0 };
  const input = {
    smscId: filter.smscId ?? null,
    state: filter.state ?? null,
    recipient: filter.recipient ?? null,
    since: filter.since ?? null,
    metaKey: filter.metaKey ?? null,
    metaValue: filter.metaKey === undefined ? null : (filter.metaValue ?? null),
    before: lowerCursor(filter.before ?? top, end),
    limit: filter.limit,
  };
  return (yield bind(statements.search, input)).rows.map(mapping.toRecentRow);
}
