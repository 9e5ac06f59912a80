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
      const { rows } = await pool.query(`SELECT version FROM "${schema}".migrations ORDER BY version`);
      expect(rows.map((r) => r.version)).toEqual([1]);
    } finally {
      await dropSchema(pool, schema);
    }
  });
});
