import { statement } from "../statement.js";

/** Every schema version applied (none on a fresh database): a version missing below the highest still runs. */
export const appliedMigrations = statement<null>({
  name: "applied-migrations",
  returns: "rows",
  sql: (_dialect, tables) => `SELECT version FROM ${tables.migrations}`,
  parameters: () => [],
});
