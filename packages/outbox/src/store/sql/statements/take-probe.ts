import { statement } from "../statement.js";

export interface TakeProbeInput {
  login: string;
  owner: string;
  leaseUntil: number;
  now: number;
}

/**
 * Leases the balance probe of a paused login to one process: granted (a row back) when nobody holds it, its
 * holder's lease ran out, or this owner holds it already (it renews).
 */
export const takeProbe = statement<TakeProbeInput>({
  name: "take-probe",
  returns: "rows",
  sql: (dialect, tables) => `
    UPDATE ${tables.holds} SET probe_owner = ${dialect.param(2)}, probe_until = ${dialect.param(3)}
     WHERE login = ${dialect.param(1)} AND paused_reason IS NOT NULL
       AND (probe_owner IS NULL OR probe_owner = ${dialect.param(2)} OR probe_until <= ${dialect.param(4)})
    RETURNING login`,
  parameters: (input) => [input.login, input.owner, input.leaseUntil, input.now],
});
