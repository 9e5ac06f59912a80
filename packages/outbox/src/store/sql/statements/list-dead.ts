import { ROW_COLUMNS } from "../../row-mapping.js";
import { statement } from "../statement.js";

export interface PageInput {
  limit: number;
  offset: number;
}

export const listDead = statement<PageInput>({
  name: "list-dead",
  returns: "rows",
  sql: (dialect, tables) => `
    SELECT ${ROW_COLUMNS} FROM ${tables.messages} WHERE state = 'dead'
     ORDER BY dead_at, row_id LIMIT ${dialect.param(1)} OFFSET ${dialect.param(2)}`,
  parameters: (page) => [page.limit, page.offset],
});
