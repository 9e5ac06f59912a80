import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgStore } from "../src/store/pg/store.js";
import { dropSchema, openTestPool, uniqueSchema } from "./support/pg.js";
import { describeStoreConformance } from "./support/store-conformance.js";

let pool: pg.Pool;
beforeAll(async () => {
  pool = await openTestPool(12);
});
afterAll(async () => {
  await pool.end();
});

describeStoreConformance("PostgreSQL", async () => {
  const schema = uniqueSchema("conf");
  return {
    store: openPgStore({ pool, schema, insertChunk: 1_000 }),
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
      expect(rows.map((r) => r.version)).toEqual([1]);
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
        "bank_messages",
        "bank_migrations",
        "bank_statuses",
        "shop_messages",
        "shop_migrations",
        "shop_statuses",
      ]);
    } finally {
      await dropSchema(pool, schema);
    }
  });
});
