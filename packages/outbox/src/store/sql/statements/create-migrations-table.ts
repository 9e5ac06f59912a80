import { statement } from "../statement.js";

export const createMigrationsTable = statement<null>({
  name: "create-migrations-table",
  returns: "count",
  sql: (_dialect, tables) =>
    `CREATE TABLE IF NOT EXISTS ${tables.migrations} (version integer PRIMARY KEY, applied_at bigint NOT NULL)`,
  parameters: () => [],
});
