import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export interface ClaimInput {
  owner: string;
  limit: number;
  leaseUntil: number;
  now: number;
}

/**
 * Takes due rows under a lease. A row already "sending" is due when its lease has run out (run_at is the lease
 * expiry), and any row that was not plainly queued may have reached SMSC: it comes back with reconcile set.
 */
export const claim = statement<ClaimInput>({
  name: "claim",
  returns: "rows",
  sql: (dialect, tables) => `
    WITH due AS (
      SELECT row_id FROM ${tables.messages}
       WHERE state IN ('queued', 'unknown', 'sending') AND run_at <= ${dialect.param(1)}
       ORDER BY run_at, row_id LIMIT ${dialect.param(2)} ${dialect.skipLocked})
    UPDATE ${tables.messages}
       SET state = 'sending', lease_owner = ${dialect.param(3)}, reconcile = (state <> 'queued'), run_at = ${dialect.param(4)},
           updated_at = ${dialect.param(1)}
     WHERE row_id IN (SELECT row_id FROM due)
    RETURNING ${ROW_COLUMNS}, reconcile`,
  parameters: (input) => [input.now, input.limit, input.owner, input.leaseUntil],
});
