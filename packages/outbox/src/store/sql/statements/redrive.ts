import { statement } from "../statement.js";

export interface RedriveInput {
  rowId: number;
  now: number;
}

/** Dead → queued with the same SMSC id and a fresh attempt budget. */
export const redrive = statement<RedriveInput>({
  name: "redrive",
  returns: "count",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages}
       SET state = 'queued', attempts = 0, run_at = ${dialect.param(2)}, dead_at = NULL, reconcile = false,
           updated_at = ${dialect.param(2)}
     WHERE row_id = ${dialect.param(1)} AND state = 'dead'`,
  parameters: (input) => [input.rowId, input.now],
});
