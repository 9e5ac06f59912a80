import { statement } from "../statement.js";

/** A login's last stored reading of one kind (e.g. the balance), if any process has read it. */
export const readReading = statement<{ login: string; kind: string }>({
  name: "read-reading",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT value, read_at FROM ${tables.readings}
     WHERE login = ${dialect.param(1)} AND kind = ${dialect.param(2)}`,
  parameters: (input) => [input.login, input.kind],
});
