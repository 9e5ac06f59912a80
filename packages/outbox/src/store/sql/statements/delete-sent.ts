import { statement } from "../statement.js";

/** Sent messages by SMSC id (prune); a row in any other state is left alone. */
export const deleteSent = statement<readonly string[]>({
  name: "delete-sent",
  returns: "count",
  sql: (dialect, tables) =>
    `DELETE FROM ${tables.messages} WHERE state = 'sent' AND smsc_id IN (${dialect.jsonValues(1, "text")})`,
  parameters: (smscIds) => [JSON.stringify(smscIds)],
});
