import { statement } from "../statement.js";

/** The newest schema version applied (NULL on a fresh database). */
export const migrationVersion = statement<null>({
  name: "migration-version",
  returns: "rows",
  sql: (_dialect, tables) => `SELECT MAX(version) AS version FROM ${tables.migrations}`,
  parameters: () => [],
});
