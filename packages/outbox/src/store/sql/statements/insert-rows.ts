import type { NewRow } from "../../store.js";
import { statement } from "../statement.js";

/**
 * A chunk of new rows in one statement: the rows travel as one JSON document. A repeated idempotency key is
 * skipped here (also within the chunk) and looked up afterwards by rows-by-idempotency-key.
 */
export const insertRows = statement<readonly NewRow[]>({
  name: "insert-rows",
  returns: "rows",
  sql: (dialect, tables) => `
    INSERT INTO ${tables.messages} (smsc_id, idempotency_key, request, recipients, meta, state, run_at, statuses_open,
                               created_at, updated_at)
    SELECT smsc_id, idempotency_key, request, recipients, meta, 'queued', run_at, statuses_open, created_at, created_at
      FROM ${dialect.jsonRecords(1, "r", {
        smsc_id: "text",
        idempotency_key: "text",
        request: "text",
        recipients: "text",
        meta: "text",
        run_at: "bigint",
        statuses_open: "integer",
        created_at: "bigint",
      })}
     WHERE true
    ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING row_id, smsc_id`,
  parameters: (rows) => [
    JSON.stringify(
      rows.map((row) => ({
        smsc_id: row.smscId,
        idempotency_key: row.idempotencyKey,
        request: row.request,
        recipients: row.recipients,
        meta: row.meta,
        run_at: row.runAt,
        statuses_open: row.recipients.length,
        created_at: row.createdAt,
      })),
    ),
  ],
});
