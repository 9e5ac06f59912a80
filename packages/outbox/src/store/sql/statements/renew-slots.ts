import { statement } from "../statement.js";

export interface RenewSlotsInput {
  login: string;
  rule: string;
  slots: readonly number[];
  owner: string;
  leaseUntil: number;
}

/** Extends the lease of slots this owner still holds (a live process keeps its slots through a long request). */
export const renewSlots = statement<RenewSlotsInput>({
  name: "renew-slots",
  returns: "count",
  sql: (dialect, tables) => `
    UPDATE ${tables.slots} SET expires_at = ${dialect.param(1)}
     WHERE login = ${dialect.param(2)} AND rule = ${dialect.param(3)} AND owner = ${dialect.param(4)}
       AND slot IN (${dialect.jsonValues(5, "integer")})`,
  parameters: (input) => [
    input.leaseUntil,
    input.login,
    input.rule,
    input.owner,
    JSON.stringify(input.slots),
  ],
});
