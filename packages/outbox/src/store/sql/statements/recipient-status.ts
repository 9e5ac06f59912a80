import { STATUS_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export interface RecipientKey {
  smscId: string;
  phone: string;
}

export const recipientStatus = statement<RecipientKey>({
  name: "recipient-status",
  returns: "rows",
  sql: (dialect, tables) =>
    `SELECT ${STATUS_COLUMNS} FROM ${tables.statuses} WHERE smsc_id = ${dialect.param(1)} AND phone = ${dialect.param(2)}`,
  parameters: (key) => [key.smscId, key.phone],
});
