import type { FloodDemand } from "../../planner.js";
import { statement } from "../statement.js";

export interface AdmitFloodInput {
  login: string;
  /** Each phone of the batch once, with how many of the batch's messages go to it. */
  phones: readonly FloodDemand[];
  /** The most messages one run may hold (the catalog's `subscriber-flood` limit). */
  limit: number;
  now: number;
  /** When a run that takes a message now ends: now plus the rule's spacing. */
  runEndsAt: number;
}

/**
 * Admits a batch's messages against each phone's run in one statement: per phone, as many of its messages as its
 * run still has room for (a run that has ended restarts empty), counted at `now`. A multi-row upsert, so a batch
 * is one round trip; rows are written in phone order, so concurrent batches lock shared phones in the same order
 * and wait for each other instead of deadlocking. ON CONFLICT DO UPDATE reads the latest committed run even when
 * another process wrote it a moment ago (PostgreSQL), and SQLite runs it under its one write lock, so two
 * processes never both take the run's last place.
 *
 * In the update, the run's columns are its values before this statement; `excluded.granted` is the demand
 * capped at the limit. RETURNING gives each phone's grant and its run's end (the earliest time a refused
 * message may go).
 */
export const admitFlood = statement<AdmitFloodInput>({
  name: "admit-flood",
  returns: "rows",
  sql: (dialect, tables) => {
    const p = dialect.param;
    const base = `(CASE WHEN r.ends_at > ${p(4)} THEN r.run_length ELSE 0 END)`;
    const grant = dialect.greatest("0", dialect.least("excluded.granted", `${p(3)} - ${base}`));
    return `
    INSERT INTO ${tables.floodRuns} AS r (login, phone, run_length, ends_at, granted)
    SELECT ${p(1)}, d.phone, ${dialect.least("d.messages", p(3))}, ${p(5)}, ${dialect.least("d.messages", p(3))}
      FROM ${dialect.jsonRecords(2, "d", { phone: "text", messages: "integer" })}
     WHERE d.messages > 0
     ORDER BY d.phone
    ON CONFLICT (login, phone) DO UPDATE
       SET granted = ${grant},
           run_length = CASE WHEN ${grant} > 0 THEN ${base} + ${grant} ELSE r.run_length END,
           ends_at = CASE WHEN ${grant} > 0 THEN ${dialect.greatest("r.ends_at", p(5))} ELSE r.ends_at END
    RETURNING phone, granted, ends_at`;
  },
  parameters: (input) => [
    input.login,
    JSON.stringify(input.phones.map(({ phone, messages }) => ({ phone, messages }))),
    input.limit,
    input.now,
    input.runEndsAt,
  ],
});
