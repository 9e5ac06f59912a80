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
  sql: (d, t) => `
    UPDATE ${t.messages} SET run_at = ${d.param(1)}
     WHERE state = 'sending' AND lease_owner = ${d.param(2)} AND row_id IN (${d.jsonValues(3, "bigint")})`,
  parameters: (input) => [input.leaseUntil, input.owner, JSON.stringify(input.rowIds)],
});
