/**
 * Versioned PostgreSQL schema of the webhook store. One migrator at a time per schema and prefix (a
 * transaction-scoped advisory lock), so replicas starting together do not race; the others then find
 * nothing to do. Append new versions; never edit an applied one.
 */
import type { Pool } from "pg";
import type { Migration } from "./sqlite-migrations.js";

export interface PgWebhookTables {
  readonly schema: string;
  readonly prefix: string;
  /** Quoted, schema-qualified table name. */
  table(name: string): string;
}

const millis = (column: string) =>
  `ALTER COLUMN ${column} TYPE bigint USING round(extract(epoch FROM ${column}) * 1000)::bigint`;

export function pgWebhookMigrations({ prefix, table: t }: PgWebhookTables): Migration[] {
  return [
    {
      // The tables as every store before versioning created them; IF NOT EXISTS adopts such a schema as v1.
      version: 1,
      sql: `
CREATE TABLE IF NOT EXISTS ${t("messages")} (
  msg_id text NOT NULL, phone text NOT NULL, status integer NOT NULL, err integer, final boolean NOT NULL,
  status_at timestamptz NOT NULL, first_heard_at timestamptz NOT NULL, last_heard_at timestamptz NOT NULL,
  events integer NOT NULL, PRIMARY KEY (msg_id, phone));
CREATE INDEX IF NOT EXISTS "${prefix}messages_quiet" ON ${t("messages")} (last_heard_at) WHERE NOT final;
CREATE TABLE IF NOT EXISTS ${t("events")} (
  seq bigserial PRIMARY KEY, replay_key text NOT NULL UNIQUE, msg_id text NOT NULL, phone text NOT NULL,
  status integer NOT NULL, err integer, applied boolean NOT NULL, event_at timestamptz,
  received_at timestamptz NOT NULL, raw jsonb NOT NULL);
CREATE INDEX IF NOT EXISTS "${prefix}events_message" ON ${t("events")} (msg_id, phone, seq);
CREATE TABLE IF NOT EXISTS ${t("incoming")} (
  seq bigserial PRIMARY KEY, replay_key text UNIQUE, sms_id text, phone text NOT NULL, mes text NOT NULL,
  to_phone text, event_at timestamptz, received_at timestamptz NOT NULL, raw jsonb NOT NULL);`,
    },
    {
      // One time representation with the outbox: bigint milliseconds since the epoch (as in its tables and
      // in the SQLite store). Replays keyed on the signed fields only, as in SQLite's version 2.
      version: 2,
      sql: `
ALTER TABLE ${t("messages")} ${millis("status_at")}, ${millis("first_heard_at")}, ${millis("last_heard_at")};
ALTER TABLE ${t("events")} ${millis("event_at")}, ${millis("received_at")};
ALTER TABLE ${t("incoming")} ${millis("event_at")}, ${millis("received_at")};
UPDATE ${t("events")} AS e SET replay_key = CASE WHEN e.seq = f.first
    THEN e.msg_id || ':' || e.status || ':' || e.phone ELSE 'legacy:' || e.seq END
  FROM (SELECT msg_id, phone, status, min(seq) AS first FROM ${t("events")} GROUP BY msg_id, phone, status) AS f
  WHERE f.msg_id = e.msg_id AND f.phone = e.phone AND f.status = e.status;`,
    },
  ];
}

export async function migratePgWebhookStore(pool: Pool, tables: PgWebhookTables): Promise<void> {
  const client = await pool.connect();
  const versions = tables.table("migrations");
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `smsc-kit/webhook:${tables.schema}.${tables.prefix}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${tables.schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${versions} (version integer PRIMARY KEY, applied_at bigint NOT NULL)`,
    );
    const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${versions}`);
    const current = rows[0]?.v ?? 0;
    for (const migration of pgWebhookMigrations(tables)) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${versions} (version, applied_at) VALUES ($1, $2)`, [
        migration.version,
        Date.now(),
      ]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
