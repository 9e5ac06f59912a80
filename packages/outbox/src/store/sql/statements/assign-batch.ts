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
 */
export const assignBatch = statement<AssignBatchInput>({
  name: "assign-batch",
  returns: "rows",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages} SET batch_id = ${dialect.param(1)}, updated_at = ${dialect.param(2)}
     WHERE state = 'sending' AND lease_owner = ${dialect.param(3)} AND row_id IN (${dialect.jsonValues(4, "bigint")})
    RETURNING row_id`,
  parameters: (input) => [input.batchId, input.now, input.owner, JSON.stringify(input.rowIds)],
});
