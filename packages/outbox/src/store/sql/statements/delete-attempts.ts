import { statement } from "../statement.js";

/** The attempts of these sent messages, by SMSC id (prune, in the transaction that deletes the rows). */
export const deleteAttempts = statement<readonly string[]>({
  name: "delete-attempts",
  returns: "count",
  sql: (dialect, tables) => `
    DELETE FROM ${tables.attempts} WHERE row_id IN (
      SELECT row_id FROM ${tables.messages} WHERE smsc_id IN (${dialect.jsonValues(1, "text")}))`,
  parameters: (smscIds) => [JSON.stringify(smscIds)],
});
