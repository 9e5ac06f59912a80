import { statement } from "../statement.js";

/** A login's shared pause and IP-block state (no row: never paused nor blocked). */
export const readHold = statement<string>({
  name: "read-hold",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT paused_reason, paused_since, paused_error, blocked_until, blocked_error
      FROM ${tables.holds} WHERE login = ${dialect.param(1)}`,
  parameters: (login) => [login],
});
