import { statement } from "../statement.js";

export interface PrunableInput {
  sentBefore: number;
  limit: number;
}

/** The SMSC ids of sent rows finished before the cut-off, oldest first (prune deletes them with their statuses). */
export const prunable = statement<PrunableInput>({
  name: "prunable",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT smsc_id FROM ${tables.messages} WHERE state = 'sent' AND sent_at < ${dialect.param(1)}
     ORDER BY sent_at LIMIT ${dialect.param(2)}`,
  parameters: (input) => [input.sentBefore, input.limit],
});
