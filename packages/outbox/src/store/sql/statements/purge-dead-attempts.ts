import { statement } from "../statement.js";

/** The attempts of the dead rows purge-dead is about to delete (same cut-off, same transaction). */
export const purgeDeadAttempts = statement<number>({
  name: "purge-dead-attempts",
  returns: "count",
  sql: (dialect, tables) => `
    DELETE FROM ${tables.attempts} WHERE row_id IN (
      SELECT row_id FROM ${tables.messages} WHERE state = 'dead' AND dead_at < ${dialect.param(1)})`,
  parameters: (deadBefore) => [deadBefore],
});
