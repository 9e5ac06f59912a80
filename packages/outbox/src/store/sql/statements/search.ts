import { ROW_COLUMNS } from "../../row-mapping.js";
import type { RecentCursor } from "../../store.js";
import { statement } from "../statement.js";

/** A search as the planner binds it: every filter null when unused, the cursor always set. */
export interface SearchInput {
  smscId: string | null;
  state: string | null;
  /** A normalised recipient, matched as a whole element of the recipients array. */
  recipient: string | null;
  /** Last change at or after this time (epoch ms). */
  since: number | null;
  metaKey: string | null;
  metaValue: string | null;
  before: RecentCursor;
  limit: number;
}

/**
 * The recent list, filtered: the same (updated_at, row_id) keyset as recent-before, walked backwards on its index,
 * with an SMSC id (unique index), state, recipient, time range and meta key/value as conditions on the way.
 */
export const search = statement<SearchInput>({
  name: "search",
  returns: "rows",
  sql: (dialect, tables) => {
    const p = dialect.param;
    // An unused filter is a null parameter; the CASTs give PostgreSQL its type where null alone says nothing.
    return `
    SELECT ${ROW_COLUMNS}, updated_at FROM ${tables.messages}
     WHERE (updated_at, row_id) < (${p(1)}, ${p(2)})
       AND (CAST(${p(3)} AS TEXT) IS NULL OR smsc_id = ${p(3)})
       AND (CAST(${p(4)} AS TEXT) IS NULL OR state = ${p(4)})
       AND (CAST(${p(5)} AS TEXT) IS NULL OR recipients LIKE ${p(5)})
       AND (CAST(${p(6)} AS BIGINT) IS NULL OR updated_at >= ${p(6)})
       AND (CAST(${p(7)} AS TEXT) IS NULL OR ${dialect.jsonField("meta", 7)} IS NOT NULL)
       AND (CAST(${p(8)} AS TEXT) IS NULL OR ${dialect.jsonField("meta", 7)} = ${p(8)})
     ORDER BY updated_at DESC, row_id DESC LIMIT ${p(9)}`;
  },
  parameters: (input) => [
    input.before.updatedAt,
    input.before.rowId,
    input.smscId,
    input.state,
    // Recipients are stored as a JSON array of strings; a quoted element cannot match part of another number.
    input.recipient === null ? null : `%${JSON.stringify(input.recipient)}%`,
    input.since,
    input.metaKey,
    input.metaValue,
    input.limit,
  ],
});
