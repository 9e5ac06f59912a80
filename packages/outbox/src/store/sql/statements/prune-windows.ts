import { statement } from "../statement.js";

/** Deletes windows whose every hit has left the window (a message no longer polled, …). */
export const pruneWindows = statement<number>({
  name: "prune-windows",
  returns: "count",
  sql: (dialect, tables) => `DELETE FROM ${tables.windows} WHERE expires_at <= ${dialect.param(1)}`,
  parameters: (now) => [now],
});
