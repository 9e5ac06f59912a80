import { statement } from "../statement.js";

export interface MarkSendingInput {
  owner: string;
  rowIds: readonly number[];
}

/**
 * A request is about to leave for these rows (a row travelling alone; a batch's rows are marked by
 * ./assign-batch.ts): clears the claim's proof that they were never sent (`unsent_owner`, ./claim.ts), so a
 * worker that dies from here on leaves them to be reconciled. Only rows this owner still holds.
 */
export const markSending = statement<MarkSendingInput>({
  name: "mark-sending",
  returns: "rows",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages} SET unsent_owner = NULL
     WHERE state = 'sending' AND lease_owner = ${dialect.param(1)} AND row_id IN (${dialect.jsonValues(2, "bigint")})
    RETURNING row_id`,
  parameters: (input) => [input.owner, JSON.stringify(input.rowIds)],
});
