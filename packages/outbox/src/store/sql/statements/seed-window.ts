import { statement } from "../statement.js";
import type { WindowKey } from "./lock-window.js";

/** Creates a window's row with no hits unless it exists, so there is always a row to lock. */
export const seedWindow = statement<WindowKey & { now: number }>({
  name: "seed-window",
  returns: "count",
  sql: (dialect, tables) => `
    INSERT INTO ${tables.windows} (login, rule, window_key, hits, expires_at)
    VALUES (${dialect.param(1)}, ${dialect.param(2)}, ${dialect.param(3)}, '[]', ${dialect.param(4)})
    ON CONFLICT (login, rule, window_key) DO NOTHING`,
  parameters: (input) => [input.login, input.rule, input.key, input.now],
});
