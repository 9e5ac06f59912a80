import { statement } from "../statement.js";

/** Deletes subscriber-flood runs that have ended (their last message is a spacing old): a new one starts at 0. */
export const pruneFloodRuns = statement<number>({
  name: "prune-flood-runs",
  returns: "count",
  sql: (dialect, tables) => `DELETE FROM ${tables.floodRuns} WHERE ends_at <= ${dialect.param(1)}`,
  parameters: (now) => [now],
});
