import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL server these tests need. No server means a loud failure, never a silent skip. */
export const PG_URL = process.env.OUTBOX_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export async function openTestPool(max = 10): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: PG_URL, max });
  pool.on("error", () => {});
  try {
    await pool.query("SELECT 1");
  } catch (err) {
    await pool.end().catch(() => {});
    throw new Error(`outbox tests need PostgreSQL at ${PG_URL} (trust auth): ${(err as Error).message}`, {
      cause: err,
    });
  }
  return pool;
}

export function uniqueSchema(label: string): string {
  return `t_${label}_${randomBytes(5).toString("hex")}`;
}

export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
