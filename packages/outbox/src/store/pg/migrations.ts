/** Versioned PostgreSQL schema. Append new versions; never edit an applied one. */
export interface PgTables {
  /** Quoted, schema-qualified names. */
  messages: string;
  statuses: string;
  /** Unquoted prefix for index names (unique per schema). */
  prefix: string;
}

export function pgMigrations(t: PgTables): { version: number; sql: string }[] {
  return [
    {
      version: 1,
      sql: `
CREATE TABLE ${t.messages} (
  row_id bigserial PRIMARY KEY,
  smsc_id text NOT NULL UNIQUE,
  idempotency_key text,
  request text NOT NULL,
  recipients text NOT NULL,
  meta text,
  state text NOT NULL DEFAULT 'queued',
  attempts integer NOT NULL DEFAULT 0,
  run_at bigint NOT NULL,
  lease_owner text,
  reconcile boolean NOT NULL DEFAULT false,
  last_error_code integer,
  last_error_class text,
  last_error text,
  last_attempt_at bigint,
  cnt integer,
  cost numeric,
  statuses_open integer NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  sent_at bigint,
  dead_at bigint
);
-- Partial: rows without a key (most of a bulk enqueue) add nothing to this index.
CREATE UNIQUE INDEX ${t.prefix}messages_idempotency ON ${t.messages} (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ${t.prefix}messages_due ON ${t.messages} (run_at) WHERE state IN ('queued', 'unknown', 'sending');
CREATE INDEX ${t.prefix}messages_open ON ${t.messages} (sent_at) WHERE state = 'sent' AND statuses_open > 0;
CREATE INDEX ${t.prefix}messages_dead ON ${t.messages} (dead_at) WHERE state = 'dead';
CREATE TABLE ${t.statuses} (
  smsc_id text NOT NULL,
  phone text NOT NULL,
  status integer NOT NULL,
  err integer,
  at bigint NOT NULL,
  source text NOT NULL,
  final boolean NOT NULL,
  PRIMARY KEY (smsc_id, phone)
);`,
    },
    {
      version: 2,
      // The status page's "recent messages" (store.recent): newest change first without scanning the table.
      sql: `CREATE INDEX ${t.prefix}messages_recent ON ${t.messages} (updated_at, row_id);`,
    },
  ];
}
