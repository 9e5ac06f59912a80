import { STATUS_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

/** The recipient statuses of a page of messages (the status page's recent list) in one statement. */
export const recipientStatusesOf = statement<readonly string[]>({
  name: "recipient-statuses-of",
  returns: "rows",
  sql: (dialect, tables) =>
    `SELECT ${STATUS_COLUMNS} FROM ${tables.statuses} WHERE smsc_id IN (${dialect.jsonValues(1, "text")}) ORDER BY smsc_id, phone`,
  parameters: (smscIds) => [JSON.stringify(smscIds)],
});
