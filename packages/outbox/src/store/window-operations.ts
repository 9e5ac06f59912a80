/**
 * The operations of the shared sliding windows (../budget/shared-window.ts), written once for both stores like
 * ./operations.ts; what a hit decides comes from ./planner.ts.
 */
import type { Operation } from "./operations.js";
import * as planner from "./planner.js";
import { bind } from "./sql/statement.js";
import * as statements from "./sql/statements/index.js";
import type { SlotBudget } from "./store.js";

/** Run atomically: the window's row is locked, so takers of one key take turns and never both get the last hit. */
export function* hitWindow(
  budget: SlotBudget,
  key: string,
  limit: number,
  windowMs: number,
  now: number,
): Operation<boolean> {
  const window = { ...budget, key };
  yield bind(statements.seedWindow, { ...window, now });
  const [row] = (yield bind(statements.lockWindow, window)).rows;
  const { granted, hits } = planner.planWindowHit(row?.hits, limit, windowMs, now);
  if (granted) yield bind(statements.saveWindow, { ...window, hits, expiresAt: now + windowMs });
  return granted;
}

export function* pruneWindows(now: number): Operation<number> {
  return (yield bind(statements.pruneWindows, now)).count;
}
