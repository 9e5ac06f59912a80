import { OutboxValidationError } from "./errors.js";
import type { RecentCursor } from "./store/store.js";

export interface RecentOptions {
  /** How many rows (default 50, at most MAX_RECENT_LIMIT). */
  limit?: number;
  /** Continue after this row: pass the last row's `{ updatedAt, rowId }` of the previous page. */
  before?: RecentCursor;
}

/** Our own bound, not SMSC's: one page of a status view, so a typo cannot pull a whole table into memory. */
export const MAX_RECENT_LIMIT = 1_000;
const DEFAULT_RECENT_LIMIT = 50;

/** Validated `recent()` arguments, or an OutboxValidationError naming the field and the rule. */
export function checkRecentOptions(options: RecentOptions): { limit: number; before?: RecentCursor } {
  const bad = (field: string, rule: string, message: string) =>
    new OutboxValidationError(field, rule, message);
  if (typeof options !== "object" || options === null) {
    throw bad("options", "object", "recent() takes an options object");
  }
  const limit = options.limit ?? DEFAULT_RECENT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECENT_LIMIT) {
    throw bad(
      "limit",
      "range",
      `limit must be an integer from 1 to ${MAX_RECENT_LIMIT}, got ${String(limit)}`,
    );
  }
  const { before } = options;
  if (before === undefined) return { limit };
  if (typeof before !== "object" || before === null) {
    throw bad("before", "cursor", "before must be { updatedAt, rowId } of the last row seen");
  }
  for (const key of ["updatedAt", "rowId"] as const) {
    if (!Number.isSafeInteger(before[key])) {
      throw bad(`before.${key}`, "integer", `before.${key} must be an integer, got ${String(before[key])}`);
    }
  }
  return { limit, before: { updatedAt: before.updatedAt, rowId: before.rowId } };
}
