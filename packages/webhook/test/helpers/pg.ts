/** Real PostgreSQL for the tests: 127.0.0.1:5432, database `test`, one fresh schema per caller. */
import { randomBytes } from "node:crypto";
import pg from "pg";

export interface TestPg {
  pool: pg.Pool;
  schema: string;
  drop(): Promise<void>;
}

export async function openTestPg(label: string): Promise<TestPg> {
  const pool = new pg.Pool({
    host: process.env.PGHOST ?? "127.0.0.1",
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? "postgres",
    database: process.env.PGDATABASE ?? "test",
    max: 8,
    connectionTimeoutMillis: 5_000,
  });
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end();
    // Loud on purpose: these suites must never pass by skipping the database.
    throw new Error(`PostgreSQL is required on 127.0.0.1:5432 (database test) for the ${label} tests`, {
      cause: error,
    });
  }
  const schema = `webhook_${label}_${randomBytes(4).toString("hex")}`;
  return {
    pool,
    schema,
    async drop() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}
