import { statement } from "../statement.js";

export const purgeDead = statement<number>({
  name: "purge-dead",
  returns: "count",
  sql: (dialect, tables) =>
    `DELETE FROM ${tables.messages} WHERE state = 'dead' AND dead_at < ${dialect.param(1)}`,
  parameters: (deadBefore) => [deadBefore],
});
