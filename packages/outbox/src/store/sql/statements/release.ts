import { statement } from "../statement.js";

export interface ReleaseInput {
  owner: string;
  rowIds: readonly number[];
  now: number;
}

/** Gives claimed rows back without an attempt; a row that may have reached SMSC stays "unknown". */
export const release = statement<ReleaseInput>({
  name: "release",
  returns: "count",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages}
       SET state = CASE WHEN reconcile THEN 'unknown' ELSE 'queued' END, lease_owner = NULL,
           run_at = ${dialect.param(1)}, updated_at = ${dialect.param(1)}
     WHERE state = 'sending' AND lease_owner = ${dialect.param(2)} AND row_id IN (${dialect.jsonValues(3, "bigint")})`,
  parameters: (input) => [input.now, input.owner, JSON.stringify(input.rowIds)],
});
