import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

/**
 * The message a status update is for, held until the transaction ends: concurrent updates of one message (a
 * callback racing a poll) take turns. SQLite's transaction already holds the write lock.
 */
/**
 * A batch id names every row of one request (../../../coalesce/); the planner picks the one sent to the phone.
 */
export const lockMessage = statement<string>({
  name: "lock-message",
  returns: "rows",
  sql: (dialect, tables) =>
    `SELECT ${ROW_COLUMNS} FROM ${tables.messages} WHERE smsc_id = ${dialect.param(1)} OR batch_id = ${dialect.param(1)} ORDER BY row_id ${dialect.lockRow}`,
  parameters: (smscId) => [smscId],
});
