import { statement } from "../statement.js";

export interface BlockLoginInput {
  login: string;
  until: number;
  /** The error SMSC answered, as JSON (RowError). */
  error: string;
}

/** Backs every process of the login off until `until`, never shortening a longer block already set. */
export const blockLogin = statement<BlockLoginInput>({
  name: "block-login",
  returns: "count",
  sql: (dialect, tables) => `
    INSERT INTO ${tables.holds} AS h (login, blocked_until, blocked_error)
    VALUES (${dialect.param(1)}, ${dialect.param(2)}, ${dialect.param(3)})
    ON CONFLICT (login) DO UPDATE SET blocked_until = excluded.blocked_until, blocked_error = excluded.blocked_error
     WHERE h.blocked_until < excluded.blocked_until`,
  parameters: (input) => [input.login, input.until, input.error],
});
