import { statement } from "../statement.js";

/**
 * Rows waiting or being sent, per state, with the oldest due time of those due by now: the same condition as the
 * partial due index, so the count reads that index only (stats counts every state and so reads the table); the
 * dead-letter depth likewise from the partial dead index.
 */
export const queueDepth = statement<number>({
  name: "queue-depth",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT state, COUNT(*) AS n,
           MIN(CASE WHEN state IN ('queued', 'unknown') AND run_at <= ${dialect.param(1)} THEN run_at END) AS oldest
      FROM ${tables.messages} WHERE state IN ('queued', 'unknown', 'sending') GROUP BY state
    UNION ALL
    SELECT 'dead', COUNT(*), NULL FROM ${tables.messages} WHERE state = 'dead'`,
  parameters: (now) => [now],
});
