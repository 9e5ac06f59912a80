import { STATUS_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export interface RecipientKey {
  smscId: string;
  phone: string;
}

export const recipientStatus = statement<RecipientKey>({
  name: "recipient-status",
  returns: "rows",
  sql: (d, t) =>
    `SELECT ${STATUS_COLUMNS} FROM ${t.statuses} WHERE smsc_id = ${d.param(1)} AND phone = ${d.param(2)}`,
  parameters: (key) => [key.smscId, key.phone],
});
