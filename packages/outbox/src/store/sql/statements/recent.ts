import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

/** The first page of the status page's "recent messages": newest change first, a backward scan of an index. */
export const recent = statement<number>({
  name: "recent",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT ${ROW_COLUMNS}, updated_at FROM ${tables.messages}
     ORDER BY updated_at DESC, row_id DESC LIMIT ${dialect.param(1)}`,
  parameters: (limit) => [limit],
});
