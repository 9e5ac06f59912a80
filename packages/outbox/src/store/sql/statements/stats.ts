import { statement } from "../statement.js";

/** Rows per state, and per state the oldest due time of rows waiting to go (see foldStats). */
export const stats = statement<number>({
  name: "stats",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT state, COUNT(*) AS n,
           MIN(CASE WHEN state IN ('queued', 'unknown') AND run_at <= ${dialect.param(1)} THEN run_at END) AS oldest
      FROM ${tables.messages} GROUP BY state`,
  parameters: (now) => [now],
});
