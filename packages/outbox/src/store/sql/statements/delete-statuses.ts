import { statement } from "../statement.js";

/** The recipient statuses of these messages (prune). */
export const deleteStatuses = statement<readonly string[]>({
  name: "delete-statuses",
  returns: "count",
  sql: (d, t) => `DELETE FROM ${t.statuses} WHERE smsc_id IN (${d.jsonValues(1, "text")})`,
  parameters: (smscIds) => [JSON.stringify(smscIds)],
});
