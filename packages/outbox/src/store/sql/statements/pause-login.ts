import { statement } from "../statement.js";

export interface PauseLoginInput {
  login: string;
  reason: string;
  since: number;
  /** The error that paused it, as JSON (RowError), for the other processes' "paused" events. */
  error: string;
}

/** Pauses every process of the login unless it is paused already; a row back means this call paused it. */
export const pauseLogin = statement<PauseLoginInput>({
  name: "pause-login",
  returns: "rows",
  sql: (dialect, tables) => `
    INSERT INTO ${tables.holds} AS h (login, paused_reason, paused_since, paused_error)
    VALUES (${dialect.param(1)}, ${dialect.param(2)}, ${dialect.param(3)}, ${dialect.param(4)})
    ON CONFLICT (login) DO UPDATE
       SET paused_reason = excluded.paused_reason, paused_since = excluded.paused_since,
           paused_error = excluded.paused_error
     WHERE h.paused_reason IS NULL
    RETURNING login`,
  parameters: (input) => [input.login, input.reason, input.since, input.error],
});
