import { ROW_COLUMNS } from "../../row-mapping.js";
import type { SentItem } from "../../store.js";
import { statement } from "../statement.js";

export interface FinishSentInput {
  owner: string;
  items: readonly SentItem[];
  now: number;
}

/**
 * Many "sent" outcomes in one statement (the hot path), each only while this owner still holds the lease.
 * The document's names differ from the table's so neither side of the join needs qualifying.
 */
export const finishSent = statement<FinishSentInput>({
  name: "finish-sent",
  returns: "rows",
  sql: (dialect, tables) => `
    UPDATE ${tables.messages}
       SET state = 'sent', lease_owner = NULL, reconcile = false, attempts = attempts + s.added,
           sent_at = s.sent, cnt = s.parts, cost = s.price, updated_at = ${dialect.param(2)},
           last_attempt_at = COALESCE(s.attempted, last_attempt_at)
      FROM ${dialect.jsonRecords(1, "s", {
        id: "bigint",
        added: "integer",
        sent: "bigint",
        parts: "integer",
        price: "numeric",
        attempted: "bigint",
      })}
     WHERE row_id = s.id AND state = 'sending' AND lease_owner = ${dialect.param(3)}
    RETURNING ${ROW_COLUMNS}`,
  parameters: (input) => [
    JSON.stringify(
      input.items.map((item) => ({
        id: item.rowId,
        added: item.countAttempt ? 1 : 0,
        sent: item.at,
        parts: item.cnt,
        price: item.cost,
        attempted: item.attemptedAt,
      })),
    ),
    input.now,
    input.owner,
  ],
});
