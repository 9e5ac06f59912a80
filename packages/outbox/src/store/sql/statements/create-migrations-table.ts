import { statement } from "../statement.js";

export const createMigrationsTable = statement<null>({
  name: "create-migrations-table",
  returns: "count",
  sql: (_d, t) =>
    `CREATE TABLE IF NOT EXISTS ${t.migrations} (version integer PRIMARY KEY, applied_at bigint NOT NULL)`,
  parameters: () => [],
});
