import { statement } from "../statement.js";

export interface CloseRecipientInput {
  smscId: string;
  at: number;
}

/** One more recipient of the message has a final status: one fewer left to poll. */
export const closeRecipient = statement<CloseRecipientInput>({
  name: "close-recipient",
  returns: "count",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages}
       SET statuses_open = CASE WHEN statuses_open > 0 THEN statuses_open - 1 ELSE 0 END, updated_at = ${dialect.param(2)}
     WHERE smsc_id = ${dialect.param(1)}`,
  parameters: (input) => [input.smscId, input.at],
});
