import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export interface PageInput {
  limit: number;
  offset: number;
}

export const listDead = statement<PageInput>({
  name: "list-dead",
  returns: "rows",
  sql: (d, t) => `
    SELECT ${ROW_COLUMNS} FROM ${t.messages} WHERE state = 'dead'
     ORDER BY dead_at, row_id LIMIT ${d.param(1)} OFFSET ${d.param(2)}`,
  parameters: (page) => [page.limit, page.offset],
});
