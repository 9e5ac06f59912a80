import type { FailedPlan } from "../../planner.js";
import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

/** A failed attempt: back to the queue (retry, maybe "unknown") or to the dead letter, with the error. */
export const finishFailed = statement<FailedPlan>({
  name: "finish-failed",
  returns: "rows",
  sql: (d, t) => `
    UPDATE ${t.messages}
       SET state = ${d.param(3)}, lease_owner = NULL, reconcile = false, attempts = attempts + ${d.param(4)},
           run_at = COALESCE(${d.param(5)}, run_at), dead_at = ${d.param(6)},
           last_error_code = ${d.param(7)}, last_error_class = ${d.param(8)}, last_error = ${d.param(9)},
           updated_at = ${d.param(10)}, last_attempt_at = COALESCE(${d.param(11)}, last_attempt_at)
     WHERE row_id = ${d.param(1)} AND state = 'sending' AND lease_owner = ${d.param(2)}
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
