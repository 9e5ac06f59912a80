import { statement } from "../statement.js";

export interface RecordMigrationInput {
  version: number;
  appliedAt: number;
}

export const recordMigration = statement<RecordMigrationInput>({
  name: "record-migration",
  returns: "count",
  sql: (dialect, tables) =>
    `INSERT INTO ${tables.migrations} (version, applied_at) VALUES (${dialect.param(1)}, ${dialect.param(2)})`,
  parameters: (input) => [input.version, input.appliedAt],
});
