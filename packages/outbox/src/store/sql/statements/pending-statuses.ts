import { statement } from "../statement.js";

export interface PendingStatusesInput {
  sentBefore: number;
  limit: number;
}

/**
 * Recipients of sent rows without a final status yet, oldest send first: what reconcilePending polls, by the id
 * SMSC knows the message by (the batch's, when the row travelled with others). Statuses are stored under the
 * row's own smsc_id.
 */
export const pendingStatuses = statement<PendingStatusesInput>({
  name: "pending-statuses",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT m.row_id, COALESCE(m.batch_id, m.smsc_id) AS smsc_id, m.sent_at, r.value AS phone, s.status
      FROM ${tables.messages} AS m
      ${dialect.eachJsonElement("m.recipients", "r")}
      LEFT JOIN ${tables.statuses} AS s ON s.smsc_id = m.smsc_id AND s.phone = r.value
     WHERE m.state = 'sent' AND m.statuses_open > 0 AND m.sent_at < ${dialect.param(1)}
       AND (s.final IS NULL OR NOT s.final)
     ORDER BY m.sent_at, m.row_id LIMIT ${dialect.param(2)}`,
  parameters: (input) => [input.sentBefore, input.limit],
});
