import { statement } from "../statement.js";

export const purgeDead = statement<number>({
  name: "purge-dead",
  returns: "count",
  sql: (d, t) => `DELETE FROM ${t.messages} WHERE state = 'dead' AND dead_at < ${d.param(1)}`,
  parameters: (deadBefore) => [deadBefore],
});
