import { statement } from "../statement.js";

/** Every recorded attempt of one row, in the order they were made (the dashboard's message page). */
export const attemptsOf = statement<number>({
  name: "attempts-of",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT row_id, seq, at, finished_at, outcome, error_code, error_class, error
      FROM ${tables.attempts} WHERE row_id = ${dialect.param(1)} ORDER BY seq`,
  parameters: (rowId) => [rowId],
});
