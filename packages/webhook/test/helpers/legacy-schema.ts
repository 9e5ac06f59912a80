/**
 * The webhook store's tables exactly as every release before versioned migrations created them (its DDL ran
 * on every open), and rows written the way those releases wrote them: replay keys that included `err`, and
 * PostgreSQL times as timestamptz. The upgrade tests build a database with this and open today's store on it.
 */
import type Database from "better-sqlite3";
import type pg from "pg";

export function createLegacySqlite(db: Database.Database, prefix = "smsc_webhook_"): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${prefix}messages (
      msg_id TEXT NOT NULL, phone TEXT NOT NULL, status INTEGER NOT NULL, err INTEGER, final INTEGER NOT NULL,
      status_at INTEGER NOT NULL, first_heard_at INTEGER NOT NULL, last_heard_at INTEGER NOT NULL,
      events INTEGER NOT NULL, PRIMARY KEY (msg_id, phone)) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${prefix}messages_quiet ON ${prefix}messages (final, last_heard_at);
    CREATE TABLE IF NOT EXISTS ${prefix}events (
      seq INTEGER PRIMARY KEY, replay_key TEXT NOT NULL UNIQUE, msg_id TEXT NOT NULL, phone TEXT NOT NULL,
      status INTEGER NOT NULL, err INTEGER, applied INTEGER NOT NULL, event_at INTEGER, received_at INTEGER NOT NULL,
      raw TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ${prefix}events_message ON ${prefix}events (msg_id, phone, seq);
    CREATE TABLE IF NOT EXISTS ${prefix}incoming (
      seq INTEGER PRIMARY KEY, replay_key TEXT UNIQUE, sms_id TEXT, phone TEXT NOT NULL, mes TEXT NOT NULL,
      to_phone TEXT, event_at INTEGER, received_at INTEGER NOT NULL, raw TEXT NOT NULL);
  `);
}

export async function createLegacyPg(pool: pg.Pool, schema: string, prefix = "smsc_webhook_"): Promise<void> {
  const t = (name: string) => `"${schema}"."${prefix}${name}"`;
  await pool.query(`
    CREATE SCHEMA IF NOT EXISTS "${schema}";
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
      to_phone text, event_at timestamptz, received_at timestamptz NOT NULL, raw jsonb NOT NULL);
  `);
}

/** One legacy event row: the old replay key was JSON of id, phone, status and err. */
export interface LegacyEvent {
  id: string;
  phone: string;
  status: number;
  err: number | null;
  applied: boolean;
  eventAt: Date | null;
  receivedAt: Date;
}

export const legacyReplayKey = (e: LegacyEvent) => JSON.stringify([e.id, e.phone, e.status, e.err]);
