import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgStore } from "../src/store/pg/store.js";
import { observePool } from "./support/observe-statements.js";
import { dropSchema, openTestPool, uniqueSchema } from "./support/pg.js";
import { describeStoreConformance } from "./support/store-conformance.js";

let pool: pg.Pool;
beforeAll(async () => {
  pool = await openTestPool(12);
});
afterAll(async () => {
  await pool.end();
});

describeStoreConformance("PostgreSQL", async (ran) => {
  const schema = uniqueSchema("conf");
  return {
    store: openPgStore({ pool: observePool(pool, ran), schema, insertChunk: 1_000 }),
    async inCallerTx(fn, end) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await fn(client);
        await client.query(end === "commit" ? "COMMIT" : "ROLLBACK");
      } finally {
        client.release();
      }
    },
    async peer() {
      return openPgStore({ pool, schema });
    },
    async onMessages(sql) {
      await pool.query(sql.replaceAll("{messages}", `"${schema}".smsc_outbox_messages`));
    },
    async cleanup() {
      await dropSchema(pool, schema);
    },
  };
});

describe("PostgreSQL migrations", () => {
  it("migrate once when five instances start on an empty schema at the same moment", async () => {
    const schema = uniqueSchema("mig");
    try {
      const stores = Array.from({ length: 5 }, () => openPgStore({ pool, schema }));
      await Promise.all(stores.map((s) => s.migrate()));
      const { rows } = await pool.query(
        `SELECT version FROM "${schema}".smsc_outbox_migrations ORDER BY version`,
      );
      // Each version exactly once: 1 (tables), 2 (the recent-messages index), 3 to 5 (the shared budget),
      // 6 (the dashboard's indexes), 7 (attempts, readings), 8 (the batch id of many messages per request),
      // 9 (the subscriber-flood runs).
      expect(rows.map((r) => r.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    } finally {
      await dropSchema(pool, schema);
    }
  });

  it("adds the recent-messages index, the budget slots, the dashboard indexes and the attempts table to a schema created by version 1", async () => {
    const schema = uniqueSchema("upgrade");
    try {
      const store = openPgStore({ pool, schema });
      await store.migrate();
      // Back to what a version-1 deployment has on disk.
      await pool.query(`DROP INDEX "${schema}".smsc_outbox_messages_recent`);
      await pool.query(
        `DROP TABLE "${schema}".smsc_outbox_budget_slots, "${schema}".smsc_outbox_budget_holds, "${schema}".smsc_outbox_budget_windows, "${schema}".smsc_outbox_attempts, "${schema}".smsc_outbox_readings, "${schema}".smsc_outbox_flood_runs`,
      );
      await pool.query(
        `DROP INDEX "${schema}".smsc_outbox_messages_created, "${schema}".smsc_outbox_messages_sent, "${schema}".smsc_outbox_statuses_at`,
      );
      await pool.query(
        `ALTER TABLE "${schema}".smsc_outbox_messages DROP COLUMN batch_id, DROP COLUMN unsent_owner`,
      );
      await pool.query(`DELETE FROM "${schema}".smsc_outbox_migrations WHERE version >= 2`);
      await openPgStore({ pool, schema }).migrate();
      const batch = await pool.query(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'smsc_outbox_messages_batch'",
        [schema],
      );
      expect(batch.rows.map((r) => r.indexdef)).toEqual([
        expect.stringMatching(/\(batch_id\) WHERE \(batch_id IS NOT NULL\)$/),
      ]);
      const slots = await pool.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2", [
        schema,
        "smsc_outbox_budget_slots",
      ]);
      expect(slots.rowCount).toBe(1);
      const attempts = await pool.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2", [
        schema,
        "smsc_outbox_attempts",
      ]);
      expect(attempts.rowCount).toBe(1);
      const { rows } = await pool.query(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'smsc_outbox_messages_recent'",
        [schema],
      );
      expect(rows.map((r) => r.indexdef)).toEqual([
        expect.stringMatching(/USING btree \(updated_at, row_id\)$/),
      ]);
      const dashboard = await pool.query(
        "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname IN ('smsc_outbox_messages_created', 'smsc_outbox_messages_sent', 'smsc_outbox_statuses_at') ORDER BY 1",
        [schema],
      );
      expect(dashboard.rows.map((r) => r.indexname)).toEqual([
        "smsc_outbox_messages_created",
        "smsc_outbox_messages_sent",
        "smsc_outbox_statuses_at",
      ]);
    } finally {
      await dropSchema(pool, schema);
    }
  });

  it("keeps two outboxes in one shared schema apart by table prefix", async () => {
    const schema = uniqueSchema("shared");
    try {
      const a = openPgStore({ pool, schema, tablePrefix: "shop_" });
      const b = openPgStore({ pool, schema, tablePrefix: "bank_" });
      await Promise.all([a.migrate(), b.migrate()]);
      await a.insert([
        {
          smscId: "shared-1",
          idempotencyKey: "k",
          request: {},
          recipients: ["7"],
          meta: null,
          runAt: 1,
          createdAt: 1,
        },
      ]);
      expect((await a.stats(2)).byState.queued).toBe(1);
      expect((await b.stats(2)).byState.queued).toBe(0);
      const { rows } = await pool.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename",
        [schema],
      );
      expect(rows.map((r) => r.tablename)).toEqual([
        "bank_attempts",
        "bank_budget_holds",
        "bank_budget_slots",
        "bank_budget_windows",
        "bank_flood_runs",
        "bank_messages",
        "bank_migrations",
        "bank_readings",
        "bank_statuses",
        "shop_attempts",
        "shop_budget_holds",
        "shop_budget_slots",
        "shop_budget_windows",
        "shop_flood_runs",
        "shop_messages",
        "shop_migrations",
        "shop_readings",
        "shop_statuses",
      ]);
    } finally {
      await dropSchema(pool, schema);
    }
  });
});

describe("PostgreSQL recent()", () => {
  it("reads the newest rows from the index, first page and later pages alike, without a full scan", async () => {
    const schema = uniqueSchema("recent");
    // The store's own statements, captured so the plan below is of the SQL it really sends.
    const spied = await openTestPool(2);
    const sent: { text: string; values: unknown[] }[] = [];
    const query = spied.query.bind(spied) as (text: string, values?: unknown[]) => Promise<unknown>;
    (spied as unknown as { query: typeof query }).query = (text: string, values?: unknown[]) => {
      sent.push({ text, values: values ?? [] });
      return query(text, values);
    };
    try {
      const store = openPgStore({ pool: spied, schema });
      await store.migrate();
      await store.insert(
        Array.from({ length: 50 }, (_, i) => ({
          smscId: `recent-${i}`,
          idempotencyKey: null,
          request: {},
          recipients: ["79990000001"],
          meta: null,
          runAt: 1_000 + i,
          createdAt: 1_000 + i,
        })),
      );
      sent.length = 0;
      const top = await store.recent(5);
      expect(top.map((r) => r.smscId)).toEqual([
        "recent-49",
        "recent-48",
        "recent-47",
        "recent-46",
        "recent-45",
      ]);
      const last = top[4]!;
      const next = await store.recent(5, { updatedAt: last.updatedAt, rowId: last.rowId });
      expect(next[0]?.smscId).toBe("recent-44");
      expect(sent).toHaveLength(2);

      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        // A 50-row table would be seq-scanned anyway; forbid it to see whether an ordered index path exists.
        await client.query("SET LOCAL enable_seqscan = off");
        await client.query("SET LOCAL enable_sort = off");
        for (const statement of sent) {
          const plan = await client.query(`EXPLAIN ${statement.text}`, statement.values);
          const text = plan.rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("\n");
          expect(text).toMatch(/Index Scan Backward using smsc_outbox_messages_recent/);
          expect(text).not.toMatch(/Seq Scan|Sort/);
        }
        await client.query("ROLLBACK");
      } finally {
        client.release();
      }
    } finally {
      await dropSchema(pool, schema);
      await spied.end();
    }
  });
});
