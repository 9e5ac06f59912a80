import type { NewAttempt } from "../../store.js";
import { statement } from "../statement.js";

export interface InsertAttemptsInput {
  attempts: readonly NewAttempt[];
  finishedAt: number;
}

/**
 * The attempts a finish recorded, all in one multi-row insert (one per finish batch), in the transaction of the
 * outcome itself. `seq` continues the row's own count: finishes of one row take turns under its lease.
 */
export const insertAttempts = statement<InsertAttemptsInput>({
  name: "insert-attempts",
  returns: "count",
  sql: (dialect, tables) => `
    INSERT INTO ${tables.attempts} (row_id, seq, at, finished_at, outcome, error_code, error_class, error)
    SELECT a.id, COALESCE((SELECT MAX(t.seq) FROM ${tables.attempts} t WHERE t.row_id = a.id), 0) + 1,
           a.at, ${dialect.param(2)}, a.outcome, a.code, a.kind, a.message
      FROM ${dialect.jsonRecords(1, "a", {
        id: "bigint",
        at: "bigint",
        outcome: "text",
        code: "integer",
        kind: "text",
        message: "text",
      })}`,
  parameters: (input) => [
    JSON.stringify(
      input.attempts.map((attempt) => ({
        id: attempt.rowId,
        at: attempt.at,
        outcome: attempt.outcome,
        code: attempt.error?.code ?? null,
        kind: attempt.error?.errorClass ?? null,
        message: attempt.error?.message ?? null,
      })),
    ),
    input.finishedAt,
  ],
});
