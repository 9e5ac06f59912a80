/**
 * The outbox's schema, as versions applied in order by the migrate operation (../operations.ts) under each
 * store's migration lock. Append new versions; never edit an applied one. A version is written once for both
 * databases through the dialect, as version 2 is; version 1 predates that and keeps the two texts it was applied
 * with (PostgreSQL's identity column, boolean and partial unique index; SQLite's INTEGER affinities).
 */
import type { Migration } from "../planner.js";
import type { Dialect } from "./dialect.js";
import type { Tables } from "./statement.js";

export interface SchemaNames extends Tables {
  /** The unquoted table prefix, for index names (an index lives in its table's schema on PostgreSQL). */
  readonly prefix: string;
}

interface Version {
  readonly version: number;
  sql(dialect: Dialect, names: SchemaNames): string;
}

const VERSIONS: readonly Version[] = [
  {
    version: 1,
    sql: (dialect, names) => (dialect.name === "pg" ? pgVersion1(names) : sqliteVersion1(names)),
  },
  {
    version: 2,
    // The status page's "recent messages" (store.recent): newest change first without scanning the table.
    sql: (_dialect, names) =>
      `CREATE INDEX ${names.prefix}messages_recent ON ${names.messages} (updated_at, row_id);`,
  },
  {
    version: 3,
    // SMSC's per-login limits shared by every process on the store (../../budget/shared-slots.ts): one row per
    // slot of a rule's budget, held by `owner` until `expires_at` (a crashed holder's slot frees itself).
    sql: (_dialect, names) => `
CREATE TABLE ${names.slots} (
  login text NOT NULL,
  rule text NOT NULL,
  slot integer NOT NULL,
  owner text,
  expires_at bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (login, rule, slot)
);`,
  },
  {
    version: 4,
    // Pause (funds, credentials) and IP-block state per SMSC login, shared by every process
    // (../../budget/shared-holds.ts), with the lease of the one process that probes the balance while paused.
    sql: (_dialect, names) => `
CREATE TABLE ${names.holds} (
  login text PRIMARY KEY,
  paused_reason text,
  paused_since bigint,
  paused_error text,
  blocked_until bigint NOT NULL DEFAULT 0,
  blocked_error text,
  probe_owner text,
  probe_until bigint NOT NULL DEFAULT 0
);`,
  },
  {
    version: 5,
    // Sliding windows of SMSC's per-login counted rules (e.g. status requests per message), shared by every
    // process (../../budget/shared-window.ts): the times of the hits still inside the window, as a JSON array.
    sql: (_dialect, names) => `
CREATE TABLE ${names.windows} (
  login text NOT NULL,
  rule text NOT NULL,
  window_key text NOT NULL,
  hits text NOT NULL,
  expires_at bigint NOT NULL,
  PRIMARY KEY (login, rule, window_key)
);`,
  },
  {
    version: 6,
    // The dashboard's activity over time (store.activity, store.failureCodes): each count reads its window only.
    sql: (_dialect, names) => `
CREATE INDEX ${names.prefix}messages_created ON ${names.messages} (created_at);
CREATE INDEX ${names.prefix}messages_sent ON ${names.messages} (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX ${names.prefix}statuses_at ON ${names.statuses} (at);`,
  },
  {
    version: 7,
    // Every attempt's outcome (sent, retry, unknown, dead, reconciled, deferred), written in the same transaction
    // as the outcome on its row (../operations.ts finish/finishSent), read in order for one message and pruned
    // with it. `seq` orders the attempts of one row (its finishes take turns under the lease).
    sql: (_dialect, names) => `
CREATE TABLE ${names.attempts} (
  row_id bigint NOT NULL,
  seq integer NOT NULL,
  at bigint NOT NULL,
  finished_at bigint NOT NULL,
  outcome text NOT NULL,
  error_code integer,
  error_class text,
  error text,
  PRIMARY KEY (row_id, seq)
);
-- The last reading of a per-login figure SMSC limits the polling of (the balance), shared by every process
-- (../../balance-reader.ts): a process that may not ask SMSC shows what another one read.
CREATE TABLE ${names.readings} (
  login text NOT NULL,
  kind text NOT NULL,
  value text NOT NULL,
  read_at bigint NOT NULL,
  PRIMARY KEY (login, kind)
);`,
  },
  {
    version: 8,
    // Many messages per request (../../coalesce/): the SMSC id of the request that carried the row with others.
    // SMSC knows the row's message as (batch_id, phone) from then on; status callbacks and polls find the row by
    // it. NULL: the row travels under its own smsc_id.
    sql: (_dialect, names) => `
ALTER TABLE ${names.messages} ADD COLUMN batch_id text;
CREATE INDEX ${names.prefix}messages_batch ON ${names.messages} (batch_id) WHERE batch_id IS NOT NULL;`,
  },
  // Versions apply by what is recorded, not by the highest one (../operations.ts migrate), so 8 (coalescing)
  // and 9 (the flood runs), written on parallel branches, land in either order.
  {
    version: 9,
    // SMSC's per-subscriber flood rule counted across every process (../../flood/shared-admission.ts): per
    // (login, phone) the current run's length and when it ends (its last message plus the spacing), with how
    // many messages the last admission granted (what RETURNING reports). Updated in place on the hot path and
    // never through an index column, so PostgreSQL keeps room on each page for HOT updates.
    sql: (dialect, names) => `
CREATE TABLE ${names.floodRuns} (
  login text NOT NULL,
  phone text NOT NULL,
  run_length integer NOT NULL,
  ends_at bigint NOT NULL,
  granted integer NOT NULL,
  PRIMARY KEY (login, phone)
)${dialect.name === "pg" ? " WITH (fillfactor = 80)" : ""};`,
  },
  {
    version: 10,
    // Proof that a claimed row was never sent (./statements/claim.ts): the owner that claimed it, cleared when a
    // request is about to leave for it. NULL on every existing row, so rows a process left "sending" before this
    // version are reconciled as before.
    sql: (_dialect, names) => `ALTER TABLE ${names.messages} ADD COLUMN unsent_owner text;`,
  },
];

/** Every version's DDL for one database. */
export function migrationsFor(dialect: Dialect, names: SchemaNames): Migration[] {
  return VERSIONS.map(({ version, sql }) => ({ version, sql: sql(dialect, names) }));
}

function pgVersion1(names: SchemaNames): string {
  return `
CREATE TABLE ${names.messages} (
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
CREATE UNIQUE INDEX ${names.prefix}messages_idempotency ON ${names.messages} (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ${names.prefix}messages_due ON ${names.messages} (run_at) WHERE state IN ('queued', 'unknown', 'sending');
CREATE INDEX ${names.prefix}messages_open ON ${names.messages} (sent_at) WHERE state = 'sent' AND statuses_open > 0;
CREATE INDEX ${names.prefix}messages_dead ON ${names.messages} (dead_at) WHERE state = 'dead';
CREATE TABLE ${names.statuses} (
  smsc_id text NOT NULL,
  phone text NOT NULL,
  status integer NOT NULL,
  err integer,
  at bigint NOT NULL,
  source text NOT NULL,
  final boolean NOT NULL,
  PRIMARY KEY (smsc_id, phone)
);`;
}

function sqliteVersion1(names: SchemaNames): string {
  return `
CREATE TABLE ${names.messages} (
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
CREATE INDEX ${names.messages}_due ON ${names.messages} (run_at) WHERE state IN ('queued', 'unknown', 'sending');
CREATE INDEX ${names.messages}_open ON ${names.messages} (sent_at) WHERE state = 'sent' AND statuses_open > 0;
CREATE INDEX ${names.messages}_dead ON ${names.messages} (dead_at) WHERE state = 'dead';
CREATE TABLE ${names.statuses} (
  smsc_id TEXT NOT NULL,
  phone TEXT NOT NULL,
  status INTEGER NOT NULL,
  err INTEGER,
  at INTEGER NOT NULL,
  source TEXT NOT NULL,
  final INTEGER NOT NULL,
  PRIMARY KEY (smsc_id, phone)
);`;
}
