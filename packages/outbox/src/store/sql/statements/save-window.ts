import { statement } from "../statement.js";
import type { WindowKey } from "./lock-window.js";

export interface SaveWindowInput extends WindowKey {
  hits: readonly number[];
  /** When the newest hit leaves the window: the row may be deleted from then on. */
  expiresAt: number;
}

/** Stores a window's hits after one more was granted. */
export const saveWindow = statement<SaveWindowInput>({
  name: "save-window",
  returns: "count",
  sql: (dialect, tables) => `
    UPDATE ${tables.windows} SET hits = ${dialect.param(4)}, expires_at = ${dialect.param(5)}
     WHERE login = ${dialect.param(1)} AND rule = ${dialect.param(2)} AND window_key = ${dialect.param(3)}`,
  parameters: (input) => [input.login, input.rule, input.key, JSON.stringify(input.hits), input.expiresAt],
});
