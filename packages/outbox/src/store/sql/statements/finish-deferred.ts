import type { DeferredPlan } from "../../planner.js";
import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

/**
 * Puts a claimed row back until runAt without consuming an attempt (quiet hours, flood spacing, a paused
 * outbox). reconcile is kept: a row that may have reached SMSC stays "unknown".
 */
export const finishDeferred = statement<DeferredPlan>({
  name: "finish-deferred",
  returns: "rows",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages}
       SET state = CASE WHEN reconcile THEN 'unknown' ELSE 'queued' END, lease_owner = NULL,
           run_at = ${dialect.param(3)}, updated_at = ${dialect.param(4)},
           last_attempt_at = COALESCE(${dialect.param(5)}, last_attempt_at)
     WHERE row_id = ${dialect.param(1)} AND state = 'sending' AND lease_owner = ${dialect.param(2)}
    RETURNING ${ROW_COLUMNS}`,
  parameters: (plan) => [plan.rowId, plan.owner, plan.runAt, plan.now, plan.attemptedAt],
});
