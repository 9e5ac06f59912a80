import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export const rowById = statement<number>({
  name: "row-by-id",
  returns: "rows",
  sql: (d, t) => `SELECT ${ROW_COLUMNS} FROM ${t.messages} WHERE row_id = ${d.param(1)}`,
  parameters: (rowId) => [rowId],
});
