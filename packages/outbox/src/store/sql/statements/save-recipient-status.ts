import type { StatusWrite } from "../../planner.js";
import { statement } from "../statement.js";

export const saveRecipientStatus = statement<StatusWrite>({
  name: "save-recipient-status",
  returns: "count",
  sql: (dialect, tables) => `
    INSERT INTO ${tables.statuses} (smsc_id, phone, status, err, at, source, final)
    VALUES (${[1, 2, 3, 4, 5, 6, 7].map((position) => dialect.param(position)).join(", ")})
    ON CONFLICT (smsc_id, phone) DO UPDATE SET status = excluded.status, err = excluded.err, at = excluded.at,
      source = excluded.source, final = excluded.final`,
  // `final` as 1/0: SQLite has no booleans, and PostgreSQL reads '1'/'0' as a boolean.
  parameters: ({ update, final }) => [
    update.smscId,
    update.phone,
    update.status,
    update.err,
    update.at,
    update.source,
    final ? 1 : 0,
  ],
});
