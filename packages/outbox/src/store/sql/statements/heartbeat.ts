import { statement } from "../statement.js";

export interface HeartbeatInput {
  owner: string;
  rowIds: readonly number[];
  leaseUntil: number;
}

/** Extends the lease of rows this owner still holds. */
export const heartbeat = statement<HeartbeatInput>({
  name: "heartbeat",
  returns: "count",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages} SET run_at = ${dialect.param(1)}
     WHERE state = 'sending' AND lease_owner = ${dialect.param(2)} AND row_id IN (${dialect.jsonValues(3, "bigint")})`,
  parameters: (input) => [input.leaseUntil, input.owner, JSON.stringify(input.rowIds)],
});
