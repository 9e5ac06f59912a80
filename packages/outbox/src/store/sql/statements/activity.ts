import { statement } from "../statement.js";

export interface ActivityInput {
  /** Start of the window (epoch ms); buckets are counted from here. */
  since: number;
  bucketMs: number;
  /** Status codes the catalog calls delivered, and those it calls failed (core's STATUS_CODES kinds). */
  deliveredCodes: readonly number[];
  failedCodes: readonly number[];
}

/**
 * Per bucket of the window: messages accepted (created), sent (handed to SMSC, with their cost), dead-lettered,
 * and recipients whose final status arrived as delivered or failed. Each branch is a range on an indexed time
 * column (messages created_at and sent_at, the partial dead index, statuses at), so it reads only the window.
 */
export const activity = statement<ActivityInput>({
  name: "activity",
  returns: "rows",
  sql: (dialect, tables) => {
    const since = dialect.param(1);
    const width = dialect.param(2);
    // CAST: better-sqlite3 may bind a number as REAL, and a bucket must be a whole number on both databases.
    const bucket = (column: string) => `CAST((${column} - ${since}) / ${width} AS BIGINT)`;
    return `
    SELECT 'accepted' AS kind, ${bucket("created_at")} AS bucket, COUNT(*) AS n, NULL AS amount
      FROM ${tables.messages} WHERE created_at >= ${since} GROUP BY 2
    UNION ALL
    SELECT 'sent', ${bucket("sent_at")}, COUNT(*), SUM(cost)
      FROM ${tables.messages} WHERE sent_at >= ${since} GROUP BY 2
    UNION ALL
    SELECT 'dead', ${bucket("dead_at")}, COUNT(*), NULL
      FROM ${tables.messages} WHERE state = 'dead' AND dead_at >= ${since} GROUP BY 2
    UNION ALL
    SELECT CASE WHEN status IN (${dialect.jsonValues(3, "integer")}) THEN 'delivered' ELSE 'undelivered' END,
           ${bucket("at")}, COUNT(*), NULL
      FROM ${tables.statuses}
     WHERE at >= ${since}
       AND (status IN (${dialect.jsonValues(3, "integer")}) OR status IN (${dialect.jsonValues(4, "integer")}))
     GROUP BY 1, 2`;
  },
  parameters: (input) => [
    input.since,
    input.bucketMs,
    JSON.stringify(input.deliveredCodes),
    JSON.stringify(input.failedCodes),
  ],
});
