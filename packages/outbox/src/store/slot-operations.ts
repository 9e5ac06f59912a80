/**
 * The operations of the shared per-login budget (../budget/shared-slots.ts), written once for both stores like
 * ./operations.ts. Each is one statement: a single UPDATE is atomic on both databases (PostgreSQL locks the
 * chosen slot and skips slots other takers hold; SQLite runs a writing statement under its write lock).
 */
import type { Operation } from "./operations.js";
import { bind } from "./sql/statement.js";
import * as statements from "./sql/statements/index.js";
import type { SlotBudget } from "./store.js";

export function* seedSlots(budget: SlotBudget, count: number): Operation<void> {
  const slots = Array.from({ length: count }, (_, slot) => slot);
  yield bind(statements.seedSlots, { ...budget, slots });
}

export function* takeSlot(
  budget: SlotBudget,
  limit: number,
  owner: string,
  leaseUntil: number,
  now: number,
): Operation<number | null> {
  const [taken] = (yield bind(statements.takeSlot, { ...budget, limit, owner, leaseUntil, now })).rows;
  return taken ? Number(taken.slot) : null;
}

export function* giveSlot(budget: SlotBudget, slot: number, owner: string): Operation<boolean> {
  return (yield bind(statements.giveSlot, { ...budget, slot, owner })).count === 1;
}

export function* renewSlots(
  budget: SlotBudget,
  slots: readonly number[],
  owner: string,
  leaseUntil: number,
): Operation<number> {
  if (slots.length === 0) return 0;
  return (yield bind(statements.renewSlots, { ...budget, slots, owner, leaseUntil })).count;
}
