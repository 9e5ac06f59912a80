import { statement } from "../statement.js";

/** The recipient statuses of these messages (prune). */
export const deleteStatuses = statement<readonly string[]>({
  name: "delete-statuses",
  returns: "count",
  sql: (dialect, tables) =>
    `DELETE FROM ${tables.statuses} WHERE smsc_id IN (${dialect.jsonValues(1, "text")})`,
  parameters: (smscIds) => [JSON.stringify(smscIds)],
});
