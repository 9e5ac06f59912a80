import { statement } from "../statement.js";

export interface GiveSlotInput {
  login: string;
  rule: string;
  slot: number;
  owner: string;
}

/** Frees a slot this owner still holds (one whose lease ran out and was taken over stays with its new holder). */
export const giveSlot = statement<GiveSlotInput>({
  name: "give-slot",
  returns: "count",
  sql: (dialect, tables) => `
    UPDATE ${tables.slots} SET owner = NULL, expires_at = 0
     WHERE login = ${dialect.param(1)} AND rule = ${dialect.param(2)} AND slot = ${dialect.param(3)}
       AND owner = ${dialect.param(4)}`,
  parameters: (input) => [input.login, input.rule, input.slot, input.owner],
});
