import { statement } from "../statement.js";

export interface SaveReadingInput {
  login: string;
  kind: string;
  value: string;
  at: number;
}

/** Stores a login's newest reading; an older one arriving late (a slow answer) does not replace it. */
export const saveReading = statement<SaveReadingInput>({
  name: "save-reading",
  returns: "count",
  sql: (dialect, tables) => `
    INSERT INTO ${tables.readings} (login, kind, value, read_at)
    VALUES (${dialect.param(1)}, ${dialect.param(2)}, ${dialect.param(3)}, ${dialect.param(4)})
    ON CONFLICT (login, kind) DO UPDATE SET value = excluded.value, read_at = excluded.read_at
     WHERE ${tables.readings}.read_at <= excluded.read_at`,
  parameters: (input) => [input.login, input.kind, input.value, input.at],
});
