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
 * expiry). It comes back with reconcile set when it may have reached SMSC: it was "unknown", it was already being
 * reconciled, or it was "sending" and no proof says its last owner sent nothing. The proof is `unsent_owner`:
 * the claim writes its owner there and the statements that mark a request about to leave (assign-batch for a
 * batch, mark-sending for a row alone, before every send) clear it, so `unsent_owner = lease_owner` means "claimed and never sent". A worker that dies
 * holding thousands of claimed rows it never sent leaves them to be sent, not looked up one by one; a row claimed
 * by a process of an earlier version (which never writes the column) is reconciled, as it always was.
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
       SET state = 'sending', lease_owner = ${dialect.param(3)}, reconcile = CASE state WHEN 'queued' THEN false WHEN 'unknown' THEN true
                        ELSE (reconcile OR unsent_owner IS NULL OR unsent_owner <> lease_owner) END,
           unsent_owner = ${dialect.param(3)}, run_at = ${dialect.param(4)},
           updated_at = ${dialect.param(1)}
     WHERE row_id IN (SELECT row_id FROM due)
    RETURNING ${ROW_COLUMNS}, reconcile`,
  parameters: (input) => [input.now, input.limit, input.owner, input.leaseUntil],
});
