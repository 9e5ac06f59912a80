/**
 * The operations of the shared subscriber-flood rule (../flood/shared-admission.ts), written once for both stores
 * like ./operations.ts; which messages a grant admits comes from ./planner.ts.
 */
import type { FloodCandidate } from "../flood/admission.js";
import type { Operation } from "./operations.js";
import * as planner from "./planner.js";
import { bind } from "./sql/statement.js";
import * as statements from "./sql/statements/index.js";

/** One statement for the whole batch (none when no candidate has a phone). */
export function* admitFlood(
  login: string,
  candidates: readonly FloodCandidate[],
  rule: planner.FloodRule,
  now: number,
): Operation<Map<number, number>> {
  const phones = planner.floodDemand(candidates);
  if (phones.length === 0) return planner.floodVerdicts(candidates, [], now);
  const { rows } = yield bind(statements.admitFlood, {
    login,
    phones,
    limit: rule.limit,
    now,
    runEndsAt: now + rule.spacingMs,
  });
  return planner.floodVerdicts(candidates, rows.map(planner.toFloodGrant), now);
}

export function* pruneFloodRuns(now: number): Operation<number> {
  return (yield bind(statements.pruneFloodRuns, now)).count;
}
