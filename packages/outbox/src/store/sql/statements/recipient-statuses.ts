import { STATUS_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export const recipientStatuses = statement<string>({
  name: "recipient-statuses",
  returns: "rows",
  sql: (d, t) => `SELECT ${STATUS_COLUMNS} FROM ${t.statuses} WHERE smsc_id = ${d.param(1)} ORDER BY phone`,
  parameters: (smscId) => [smscId],
});
