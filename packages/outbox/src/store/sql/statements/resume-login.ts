import { statement } from "../statement.js";

export interface ResumeLoginInput {
  login: string;
  /** The pause being ended (its start): a newer pause, set after this one ended, stays. */
  since: number;
}

/** Ends the login's pause for every process, and the probe lease with it. */
export const resumeLogin = statement<ResumeLoginInput>({
  name: "resume-login",
  returns: "count",
  sql: (dialect, tables) => `
    UPDATE ${tables.holds}
       SET paused_reason = NULL, paused_since = NULL, paused_error = NULL, probe_owner = NULL, probe_until = 0
     WHERE login = ${dialect.param(1)} AND paused_since = ${dialect.param(2)}`,
  parameters: (input) => [input.login, input.since],
});
