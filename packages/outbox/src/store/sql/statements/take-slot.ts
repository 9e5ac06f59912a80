import { statement } from "../statement.js";

export interface TakeSlotInput {
  login: string;
  rule: string;
  /** Only slots below this number count (the rule's limit; a lowered limit leaves the others unused). */
  limit: number;
  owner: string;
  leaseUntil: number;
  now: number;
}

/**
 * Leases one free slot of a login's rule: free when nobody holds it or its holder's lease ran out. Concurrent
 * takers skip each other's locked slots (PostgreSQL) or take turns under the write lock (SQLite), so a slot has
 * one holder at a time.
 */
export const takeSlot = statement<TakeSlotInput>({
  name: "take-slot",
  returns: "rows",
  sql: (dialect, tables) => `
    WITH free AS (
      SELECT slot FROM ${tables.slots}
       WHERE login = ${dialect.param(1)} AND rule = ${dialect.param(2)} AND slot < ${dialect.param(3)}
         AND (owner IS NULL OR expires_at <= ${dialect.param(4)})
       ORDER BY slot LIMIT 1 ${dialect.skipLocked})
    UPDATE ${tables.slots} SET owner = ${dialect.param(5)}, expires_at = ${dialect.param(6)}
     WHERE login = ${dialect.param(1)} AND rule = ${dialect.param(2)} AND slot IN (SELECT slot FROM free)
    RETURNING slot`,
  parameters: (input) => [input.login, input.rule, input.limit, input.now, input.owner, input.leaseUntil],
});
