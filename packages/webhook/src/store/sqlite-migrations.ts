/**
 * Versioned SQLite schema of the webhook store, applied under SQLite's write lock (BEGIN IMMEDIATE), so two
 * processes opening one file serialise and the second finds nothing to do. Append new versions; never edit
 * an applied one. Times are integer milliseconds since the epoch, as in the outbox's tables.
 */
import type Database from "better-sqlite3";

export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export function sqliteWebhookMigrations(prefix: string): Migration[] {
  return [
    {
      // The tables as every store before versioning created them; IF NOT EXISTS adopts such a file as v1.
      version: 1,
      sql: `
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
  to_phone TEXT, event_at INTEGER, received_at INTEGER NOT NULL, raw TEXT NOT NULL);`,
    },
    {
      // Replays are keyed on the signed fields only (id, status, phone; state-machine.ts replayKey). The first
      // event of each key takes the new key; later ones (the same status with another unsigned err) keep
      // their row under a key no callback can produce.
      version: 2,
      sql: `
UPDATE ${prefix}events SET replay_key = CASE
  WHEN seq = (SELECT min(first.seq) FROM ${prefix}events AS first WHERE first.msg_id = ${prefix}events.msg_id
    AND first.phone = ${prefix}events.phone AND first.status = ${prefix}events.status)
  THEN msg_id || ':' || status || ':' || phone
  ELSE 'legacy:' || seq END;`,
    },
  ];
}

export function migrateSqliteWebhookStore(db: Database.Database, prefix: string): void {
  const table = `${prefix}migrations`;
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`);
    const row = db.prepare<[], { v: number | null }>(`SELECT max(version) AS v FROM ${table}`).get();
    const current = row?.v ?? 0;
    for (const migration of sqliteWebhookMigrations(prefix)) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.prepare(`INSERT INTO ${table} (version, applied_at) VALUES (?, ?)`).run(
        migration.version,
        Date.now(),
      );
    }
  });
  // IMMEDIATE takes the write lock first: a second migrator waits (busy_timeout), then sees the new version.
  run.immediate();
}
