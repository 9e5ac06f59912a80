/** Versioned SQLite schema. Append new versions; never edit an applied one. */
export interface SqliteTables {
  messages: string;
  statuses: string;
  migrations: string;
}

export function sqliteMigrations(t: SqliteTables): { version: number; sql: string }[] {
  return [
    {
      version: 1,
      sql: `
CREATE TABLE ${t.messages} (
  row_id INTEGER PRIMARY KEY AUTOINCREMENT,
  smsc_id TEXT NOT NULL UNIQUE,
  idempotency_key TEXT UNIQUE,
  request TEXT NOT NULL,
  recipients TEXT NOT NULL,
  meta TEXT,
  state TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  run_at INTEGER NOT NULL,
  lease_owner TEXT,
  reconcile INTEGER NOT NULL DEFAULT 0,
  last_error_code INTEGER,
  last_error_class TEXT,
  last_error TEXT,
  last_attempt_at INTEGER,
  cnt INTEGER,
  cost REAL,
  statuses_open INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  dead_at INTEGER
);
CREATE INDEX ${t.messages}_due ON ${t.messages} (run_at) WHERE state IN ('queued', 'unknown', 'sending');
CREATE INDEX ${t.messages}_open ON ${t.messages} (sent_at) WHERE state = 'sent' AND statuses_open > 0;
CREATE INDEX ${t.messages}_dead ON ${t.messages} (dead_at) WHERE state = 'dead';
CREATE TABLE ${t.statuses} (
  smsc_id TEXT NOT NULL,
  phone TEXT NOT NULL,
  status INTEGER NOT NULL,
  err INTEGER,
  at INTEGER NOT NULL,
  source TEXT NOT NULL,
  final INTEGER NOT NULL,
  PRIMARY KEY (smsc_id, phone)
);`,
    },
    {
      version: 2,
      // The status page's "recent messages" (store.recent): newest change first without scanning the table.
      sql: `CREATE INDEX ${t.messages}_recent ON ${t.messages} (updated_at, row_id);`,
    },
  ];
}
