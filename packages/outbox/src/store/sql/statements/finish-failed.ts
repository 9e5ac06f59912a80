import type { FailedPlan } from "../../planner.js";
import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

/** A failed attempt: back to the queue (retry, maybe "unknown") or to the dead letter, with the error. */
export const finishFailed = statement<FailedPlan>({
  name: "finish-failed",
  returns: "rows",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages}
       SET state = ${dialect.param(3)}, lease_owner = NULL, reconcile = false, attempts = attempts + ${dialect.param(4)},
           run_at = COALESCE(${dialect.param(5)}, run_at), dead_at = ${dialect.param(6)},
           last_error_code = ${dialect.param(7)}, last_error_class = ${dialect.param(8)}, last_error = ${dialect.param(9)},
           updated_at = ${dialect.param(10)}, last_attempt_at = COALESCE(${dialect.param(11)}, last_attempt_at)
     WHERE row_id = ${dialect.param(1)} AND state = 'sending' AND lease_owner = ${dialect.param(2)}
    RETURNING ${ROW_COLUMNS}`,
  parameters: (plan) => [
    plan.rowId,
    plan.owner,
    plan.state,
    plan.attemptsAdded,
    plan.runAt,
    plan.deadAt,
    plan.error.code,
    plan.error.errorClass,
    plan.error.message,
    plan.now,
    plan.attemptedAt,
  ],
});
