import { statement } from "../statement.js";

export interface FailureCodesInput {
  since: number;
  /** Status codes the catalog calls failed (core's STATUS_CODES kinds). */
  failedCodes: readonly number[];
}

/**
 * Failures since a time by code: dead-lettered messages by the SMSC error code of their last attempt (the partial
 * dead index), and failed recipient statuses by their delivery error code (the statuses time index).
 */
export const failureCodes = statement<FailureCodesInput>({
  name: "failure-codes",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT 'send' AS source, last_error_code AS code, COUNT(*) AS n
      FROM ${tables.messages} WHERE state = 'dead' AND dead_at >= ${dialect.param(1)} GROUP BY last_error_code
    UNION ALL
    SELECT 'delivery', err, COUNT(*)
      FROM ${tables.statuses}
     WHERE at >= ${dialect.param(1)} AND status IN (${dialect.jsonValues(2, "integer")}) GROUP BY err`,
  parameters: (input) => [input.since, JSON.stringify(input.failedCodes)],
});
