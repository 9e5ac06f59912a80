import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export const rowById = statement<number>({
  name: "row-by-id",
  returns: "rows",
  sql: (dialect, tables) =>
    `SELECT ${ROW_COLUMNS} FROM ${tables.messages} WHERE row_id = ${dialect.param(1)}`,
  parameters: (rowId) => [rowId],
});
