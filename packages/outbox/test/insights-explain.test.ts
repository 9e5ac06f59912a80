import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInsightCalls } from "../src/insights.js";
import { openPgStore } from "../src/store/pg/store.js";
import { dropSchema, openTestPool, uniqueSchema } from "./support/pg.js";

let pool: pg.Pool;
beforeAll(async () => {
  pool = await openTestPool(2);
});
afterAll(async () => {
  await pool.end();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ROWS = 60_000;

type Plan = { "QUERY PLAN": string };

/** The dashboard's statements as the store sends them, explained on a store with 60 days of history. */
describe("PostgreSQL dashboard reads", () => {
  it("read only their window through indexes, never a whole table, as the history grows", async () => {
    const schema = uniqueSchema("insights");
    const spied = await openTestPool(2);
    const sent: { text: string; values: unknown[] }[] = [];
    const query = spied.query.bind(spied) as (text: string, values?: unknown[]) => Promise<unknown>;
    (spied as unknown as { query: typeof query }).query = (text: string, values?: unknown[]) => {
      if (text.startsWith("/* smsc-outbox:")) sent.push({ text, values: values ?? [] });
      return query(text, values);
    };
    try {
      const store = openPgStore({ pool: spied, schema });
      await store.migrate();
      const now = 60 * DAY;
      const messages = `"${schema}".smsc_outbox_messages`;
      const statuses = `"${schema}".smsc_outbox_statuses`;
      // One message a ~86 s over 60 days: sent a second after creation, most delivered, some dead.
      await pool.query(
        `INSERT INTO ${messages} (smsc_id, request, recipients, meta, state, run_at, statuses_open, created_at,
                                  updated_at, sent_at, dead_at, cost, last_error_code)
         SELECT 'm' || g, '{}', '["7999' || lpad((g % 10000)::text, 7, '0') || '"]', '{"order":"' || g || '"}',
                CASE WHEN g % 50 = 0 THEN 'dead' WHEN g % 97 = 0 THEN 'queued' ELSE 'sent' END,
                g * ($1::bigint / $2), 0, g * ($1::bigint / $2), g * ($1::bigint / $2) + 2000,
                CASE WHEN g % 50 = 0 THEN NULL ELSE g * ($1::bigint / $2) + 1000 END,
                CASE WHEN g % 50 = 0 THEN g * ($1::bigint / $2) + 1000 END, 1.5,
                CASE WHEN g % 50 = 0 THEN 8 END
           FROM generate_series(1, $2::int) AS g`,
        [now, ROWS],
      );
      await pool.query(
        `INSERT INTO ${statuses} (smsc_id, phone, status, err, at, source, final)
         SELECT smsc_id, recipients::json->>0, CASE WHEN row_id % 10 = 0 THEN 20 ELSE 1 END,
                CASE WHEN row_id % 10 = 0 THEN 11 END, sent_at + 5000, 'callback', true
           FROM ${messages} WHERE state = 'sent'`,
      );
      await pool.query(`ANALYZE ${messages}`);
      await pool.query(`ANALYZE ${statuses}`);

      const insights = createInsightCalls({
        store,
        now: () => now,
        migrated: async () => {},
        balance: () => Promise.reject(new Error("the balance is not read by this test")),
      });
      sent.length = 0;
      const lastHour = await insights.activity({ windowMs: HOUR, bucketMs: 60_000 });
      const lastDay = await insights.activity({ windowMs: DAY, bucketMs: HOUR });
      await insights.failures({ windowMs: DAY });
      await insights.queue();
      // The figures are the window's, not the table's: ~1000 messages a day.
      expect(lastDay.totals.accepted).toBeGreaterThan(900);
      expect(lastDay.totals.accepted).toBeLessThan(1100);
      expect(lastHour.buckets).toHaveLength(60);
      expect(sent.map((s) => s.text.slice(0, 40))).toHaveLength(4);

      // The planner's own choice on analysed tables: no sequential scan of either table.
      for (const statement of sent) {
        const plan = await pool.query<Plan>(`EXPLAIN ${statement.text}`, statement.values);
        const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
        expect(text, statement.text).not.toMatch(/Seq Scan/);
        expect(text).toMatch(/Index/);
      }

      // Searches walk the recent index (or the SMSC id's unique index), whichever filter they carry.
      sent.length = 0;
      const byPhone = await insights.search({ phone: "8 (999) 000-00-30", limit: 20 });
      expect(byPhone.length).toBeGreaterThan(0);
      expect(byPhone.every((r) => r.recipients.includes("79990000030"))).toBe(true);
      await insights.search({ smscId: "m30", limit: 20 });
      await insights.search({ state: "dead", since: now - DAY, limit: 20 });
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query("SET LOCAL enable_seqscan = off");
        for (const statement of sent) {
          const plan = await client.query<Plan>(`EXPLAIN ${statement.text}`, statement.values);
          const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
          expect(text, statement.text).not.toMatch(/Seq Scan/);
        }
        await client.query("ROLLBACK");
      } finally {
        client.release();
      }
    } finally {
      await dropSchema(pool, schema);
      await spied.end();
    }
  }, 60_000);
});
