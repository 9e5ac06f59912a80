import { ROW_COLUMNS } from "../../row-mapping.js";
import type { RecentCursor } from "../../store.js";
import { statement } from "../statement.js";

export interface RecentBeforeInput {
  limit: number;
  before: RecentCursor;
}

/** The next page: the row comparison matches the (updated_at, row_id) index, so paging stays an index scan. */
export const recentBefore = statement<RecentBeforeInput>({
  name: "recent-before",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT ${ROW_COLUMNS}, updated_at FROM ${tables.messages}
     WHERE (updated_at, row_id) < (${dialect.param(1)}, ${dialect.param(2)})
     ORDER BY updated_at DESC, row_id DESC LIMIT ${dialect.param(3)}`,
  parameters: (input) => [input.before.updatedAt, input.before.rowId, input.limit],
});
