import { statement } from "../statement.js";

/** The rows already holding these idempotency keys (an enqueue that repeated a key gets them back). */
export const rowsByIdempotencyKey = statement<readonly string[]>({
  name: "rows-by-idempotency-key",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT row_id, smsc_id, idempotency_key FROM ${tables.messages}
     WHERE idempotency_key IN (${dialect.jsonValues(1, "text")})`,
  parameters: (keys) => [JSON.stringify(keys)],
});
