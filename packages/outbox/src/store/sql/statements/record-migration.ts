import { statement } from "../statement.js";

export interface RecordMigrationInput {
  version: number;
  appliedAt: number;
}

export const recordMigration = statement<RecordMigrationInput>({
  name: "record-migration",
  returns: "count",
  sql: (d, t) => `INSERT INTO ${t.migrations} (version, applied_at) VALUES (${d.param(1)}, ${d.param(2)})`,
  parameters: (input) => [input.version, input.appliedAt],
});
