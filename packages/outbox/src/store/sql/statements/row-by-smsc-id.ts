import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export const rowBySmscId = statement<string>({
  name: "row-by-smsc-id",
  returns: "rows",
  sql: (dialect, tables) =>
    `SELECT ${ROW_COLUMNS} FROM ${tables.messages} WHERE smsc_id = ${dialect.param(1)}`,
  parameters: (smscId) => [smscId],
});
