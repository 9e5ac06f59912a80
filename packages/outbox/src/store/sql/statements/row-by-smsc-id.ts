import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export const rowBySmscId = statement<string>({
  name: "row-by-smsc-id",
  returns: "rows",
  sql: (d, t) => `SELECT ${ROW_COLUMNS} FROM ${t.messages} WHERE smsc_id = ${d.param(1)}`,
  parameters: (smscId) => [smscId],
});
