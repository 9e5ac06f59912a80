import { statement } from "../statement.js";

export interface AssignBatchInput {
  owner: string;
  rowIds: readonly number[];
  batchId: string;
  now: number;
}

/**
 * The SMSC id of one request, written on every row it carries before it is sent (../../../coalesce/): a crash
 * mid-request leaves each row reconcilable by get_status(batchId, its phone). Only rows this owner still holds.
 * Clearing `unsent_owner` marks the request as about to leave: from here on a reclaim reconciles (./claim.ts).
 * `updated_at` is left alone: the row's visible change is its outcome, and the recent-list index stays untouched.
 */
export const assignBatch = statement<AssignBatchInput>({
  name: "assign-batch",
  returns: "rows",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages} SET batch_id = ${dialect.param(1)}, unsent_owner = NULL
     WHERE state = 'sending' AND lease_owner = ${dialect.param(2)} AND row_id IN (${dialect.jsonValues(3, "bigint")})
    RETURNING row_id`,
  parameters: (input) => [input.batchId, input.owner, JSON.stringify(input.rowIds)],
});
