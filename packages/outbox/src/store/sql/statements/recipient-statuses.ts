import { STATUS_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export const recipientStatuses = statement<string>({
  name: "recipient-statuses",
  returns: "rows",
  sql: (dialect, tables) =>
    `SELECT ${STATUS_COLUMNS} FROM ${tables.statuses} WHERE smsc_id = ${dialect.param(1)} ORDER BY phone`,
  parameters: (smscId) => [smscId],
});
