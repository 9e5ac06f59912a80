import { statement } from "../statement.js";

export interface WindowKey {
  login: string;
  rule: string;
  key: string;
}

/** The hits of one window, its row locked until the transaction ends (takers of one key take turns). */
export const lockWindow = statement<WindowKey>({
  name: "lock-window",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT hits FROM ${tables.windows}
     WHERE login = ${dialect.param(1)} AND rule = ${dialect.param(2)} AND window_key = ${dialect.param(3)} ${dialect.lockRow}`,
  parameters: (input) => [input.login, input.rule, input.key],
});
