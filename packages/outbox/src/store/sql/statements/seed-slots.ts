import { statement } from "../statement.js";

export interface SeedSlotsInput {
  login: string;
  rule: string;
  slots: readonly number[];
}

/** Creates the slot rows of one login's rule once; rows another process created first are left as they are. */
export const seedSlots = statement<SeedSlotsInput>({
  name: "seed-slots",
  returns: "count",
  // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
  sql: (dialect, tables) => `
    INSERT INTO ${tables.slots} (login, rule, slot, owner, expires_at)
    SELECT ${dialect.param(1)}, ${dialect.param(2)}, s.value, NULL, 0 FROM (${dialect.jsonValues(3, "integer")}) AS s
     WHERE true
    ON CONFLICT (login, rule, slot) DO NOTHING`,
  parameters: (input) => [input.login, input.rule, JSON.stringify(input.slots)],
});
