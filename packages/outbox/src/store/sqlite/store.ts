import Database from "better-sqlite3";
import { OutboxConfigError } from "../../errors.js";
import { acceptsRecipient } from "../../recipients.js";
import {
  checkIdentifier,
  type DbRow,
  ROW_COLUMNS,
  toRecentRow,
  toRecipientStatus,
  toStoredRow,
} from "../row-mapping.js";
import type {
  ApplyStatusResult,
  ClaimedRow,
  EnqueuedRow,
  NewRow,
  OutboxStore,
  Outcome,
  PendingStatus,
  RecentCursor,
  RecentRow,
  RecipientStatus,
  RowState,
  SentItem,
  StoredRow,
  StoreStats,
  TransitionRule,
} from "../store.js";
import { ROW_STATES } from "../store.js";
import { type SqliteTables, sqliteMigrations } from "./migrations.js";

export type SqliteDatabase = Database.Database;

export type SqliteStoreOptions = (
  | { filename: string; database?: undefined }
  | { database: SqliteDatabase; filename?: undefined }
) & {
  /** Prefix of the outbox's tables, so several outboxes (or your own tables) can share one file. */
  tablePrefix?: string;
  /** How long a writer waits for SQLite's lock before giving up (ms). */
  busyTimeoutMs?: number;
};

/**
 * SQLite store on better-sqlite3 in WAL mode. better-sqlite3 is synchronous, so every method finishes its
 * statement before returning; the async signatures only match the store contract.
 */
export class SqliteStore implements OutboxStore {
  readonly kind = "sqlite" as const;
  readonly db: SqliteDatabase;
  private readonly ownsDb: boolean;
  private readonly t: SqliteTables;
  private readonly statements = new WeakMap<SqliteDatabase, Map<string, Database.Statement>>();

  constructor(options: SqliteStoreOptions) {
    const prefix = checkIdentifier(options.tablePrefix ?? "smsc_outbox_", "tablePrefix");
    this.t = {
      messages: `${prefix}messages`,
      statuses: `${prefix}statuses`,
      migrations: `${prefix}migrations`,
    };
    if (options.database) {
      this.db = options.database;
      this.ownsDb = false;
    } else if (options.filename) {
      this.db = new Database(options.filename);
      this.ownsDb = true;
    } else {
      throw new OutboxConfigError("filename", "give either filename or database");
    }
    if (this.db.memory === false) this.db.pragma("journal_mode = WAL");
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  }

  private stmt(sql: string, db: SqliteDatabase = this.db): Database.Statement {
    let cache = this.statements.get(db);
    if (!cache) {
      cache = new Map();
      this.statements.set(db, cache);
    }
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  }

  async migrate(): Promise<void> {
    this.migrateSync();
  }

  migrateSync(): void {
    const run = this.db.transaction(() => {
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS ${this.t.migrations} (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`,
      );
      const row = this.db.prepare(`SELECT MAX(version) AS v FROM ${this.t.migrations}`).get() as {
        v: number | null;
      };
      const current = row.v ?? 0;
      for (const m of sqliteMigrations(this.t)) {
        if (m.version <= current) continue;
        this.db.exec(m.sql);
        this.db
          .prepare(`INSERT INTO ${this.t.migrations} (version, applied_at) VALUES (?, ?)`)
          .run(m.version, Date.now());
      }
    });
    // IMMEDIATE takes the write lock up front, so two processes migrating at once serialise instead of deadlocking.
    run.immediate();
  }

  async insert(rows: NewRow[], tx?: unknown): Promise<EnqueuedRow[]> {
    return this.insertSync(rows, tx);
  }

  async insertChunks(chunks: Iterable<NewRow[]>, tx?: unknown): Promise<EnqueuedRow[]> {
    // Preparing everything first keeps "all or none" trivially: nothing is written before the last chunk is valid.
    return this.insertSync([...chunks].flat(), tx);
  }

  /** Synchronous insert, usable inside the caller's `db.transaction(() => …)`. */
  insertSync(rows: NewRow[], tx?: unknown): EnqueuedRow[] {
    const db = tx === undefined ? this.db : asDatabase(tx);
    const insert = this.stmt(
      `INSERT INTO ${this.t.messages} (smsc_id, idempotency_key, request, recipients, meta, state, run_at, statuses_open, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING row_id`,
      db,
    );
    const existing = this.stmt(
      `SELECT row_id, smsc_id FROM ${this.t.messages} WHERE idempotency_key = ?`,
      db,
    );
    const work = (): EnqueuedRow[] =>
      rows.map((r) => {
        const inserted = insert.get(
          r.smscId,
          r.idempotencyKey,
          JSON.stringify(r.request),
          JSON.stringify(r.recipients),
          r.meta === null ? null : JSON.stringify(r.meta),
          r.runAt,
          r.recipients.length,
          r.createdAt,
          r.createdAt,
        ) as { row_id: number } | undefined;
        if (inserted)
          return {
            rowId: inserted.row_id,
            smscId: r.smscId,
            idempotencyKey: r.idempotencyKey,
            created: true,
          };
        const found = existing.get(r.idempotencyKey) as { row_id: number; smsc_id: string };
        return {
          rowId: found.row_id,
          smscId: found.smsc_id,
          idempotencyKey: r.idempotencyKey,
          created: false,
        };
      });
    // Inside the caller's transaction we only write; otherwise all rows commit together in ours.
    return db.inTransaction ? work() : db.transaction(work).immediate();
  }

  async claim(owner: string, limit: number, leaseUntil: number, now: number): Promise<ClaimedRow[]> {
    const rows = this.stmt(
      `UPDATE ${this.t.messages}
         SET state = 'sending', lease_owner = ?, reconcile = (state <> 'queued'), run_at = ?, updated_at = ?
       WHERE row_id IN (SELECT row_id FROM ${this.t.messages}
                        WHERE state IN ('queued', 'unknown', 'sending') AND run_at <= ? ORDER BY run_at, row_id LIMIT ?)
       RETURNING ${ROW_COLUMNS}, reconcile`,
    ).all(owner, leaseUntil, now, now, limit) as DbRow[];
    return rows.map((r) => ({ ...toStoredRow(r), reconcile: Number(r.reconcile) === 1 }));
  }

  async heartbeat(owner: string, rowIds: number[], leaseUntil: number): Promise<number> {
    if (rowIds.length === 0) return 0;
    const res = this.stmt(
      `UPDATE ${this.t.messages} SET run_at = ? WHERE state = 'sending' AND lease_owner = ?
         AND row_id IN (SELECT value FROM json_each(?))`,
    ).run(leaseUntil, owner, JSON.stringify(rowIds));
    return res.changes;
  }

  async release(owner: string, rowIds: number[], now: number): Promise<number> {
    if (rowIds.length === 0) return 0;
    const res = this.stmt(
      `UPDATE ${this.t.messages}
         SET state = CASE WHEN reconcile = 1 THEN 'unknown' ELSE 'queued' END, lease_owner = NULL, run_at = ?, updated_at = ?
       WHERE state = 'sending' AND lease_owner = ? AND row_id IN (SELECT value FROM json_each(?))`,
    ).run(now, now, owner, JSON.stringify(rowIds));
    return res.changes;
  }

  async finish(owner: string, rowId: number, outcome: Outcome, now: number): Promise<StoredRow | null> {
    const guard = `WHERE row_id = ? AND state = 'sending' AND lease_owner = ? RETURNING ${ROW_COLUMNS}`;
    const attempted = "last_attempt_at = COALESCE(?, last_attempt_at)";
    let row: DbRow | undefined;
    switch (outcome.kind) {
      case "sent":
        row = this.stmt(
          `UPDATE ${this.t.messages} SET state = 'sent', lease_owner = NULL, reconcile = 0, attempts = attempts + ?,
             sent_at = ?, cnt = ?, cost = ?, updated_at = ?, ${attempted} ${guard}`,
        ).get(
          outcome.countAttempt ? 1 : 0,
          outcome.at,
          outcome.cnt,
          outcome.cost,
          now,
          outcome.attemptedAt,
          rowId,
          owner,
        ) as DbRow | undefined;
        break;
      case "retry":
        row = this.stmt(
          `UPDATE ${this.t.messages} SET state = ?, lease_owner = NULL, reconcile = 0, attempts = attempts + ?, run_at = ?,
             last_error_code = ?, last_error_class = ?, last_error = ?, updated_at = ?, ${attempted} ${guard}`,
        ).get(
          outcome.unknown ? "unknown" : "queued",
          outcome.countAttempt ? 1 : 0,
          outcome.runAt,
          outcome.error.code,
          outcome.error.errorClass,
          outcome.error.message,
          now,
          outcome.attemptedAt,
          rowId,
          owner,
        ) as DbRow | undefined;
        break;
      case "dead":
        row = this.stmt(
          `UPDATE ${this.t.messages} SET state = 'dead', lease_owner = NULL, reconcile = 0, attempts = attempts + ?, dead_at = ?,
             last_error_code = ?, last_error_class = ?, last_error = ?, updated_at = ?, ${attempted} ${guard}`,
        ).get(
          outcome.countAttempt ? 1 : 0,
          outcome.at,
          outcome.error.code,
          outcome.error.errorClass,
          outcome.error.message,
          now,
          outcome.attemptedAt,
          rowId,
          owner,
        ) as DbRow | undefined;
        break;
      case "defer":
        row = this.stmt(
          `UPDATE ${this.t.messages}
             SET state = CASE WHEN reconcile = 1 THEN 'unknown' ELSE 'queued' END, lease_owner = NULL, run_at = ?, updated_at = ?, ${attempted} ${guard}`,
        ).get(outcome.runAt, now, outcome.attemptedAt, rowId, owner) as DbRow | undefined;
        break;
    }
    return row ? toStoredRow(row) : null;
  }

  async finishSent(owner: string, items: SentItem[], now: number): Promise<Map<number, StoredRow>> {
    // A local file: one statement per row costs microseconds, no batching needed.
    const out = new Map<number, StoredRow>();
    for (const item of items) {
      const row = await this.finish(owner, item.rowId, { kind: "sent", ...item }, now);
      if (row) out.set(item.rowId, row);
    }
    return out;
  }

  async get(rowId: number): Promise<StoredRow | null> {
    const r = this.stmt(`SELECT ${ROW_COLUMNS} FROM ${this.t.messages} WHERE row_id = ?`).get(rowId) as
      | DbRow
      | undefined;
    return r ? toStoredRow(r) : null;
  }

  async getBySmscId(smscId: string): Promise<StoredRow | null> {
    const r = this.stmt(`SELECT ${ROW_COLUMNS} FROM ${this.t.messages} WHERE smsc_id = ?`).get(smscId) as
      | DbRow
      | undefined;
    return r ? toStoredRow(r) : null;
  }

  async applyStatus(
    update: RecipientStatus,
    rule: TransitionRule,
    isFinal: (status: number) => boolean,
  ): Promise<ApplyStatusResult> {
    const run = this.db.transaction((): ApplyStatusResult => {
      const msg = this.stmt(`SELECT ${ROW_COLUMNS} FROM ${this.t.messages} WHERE smsc_id = ?`).get(
        update.smscId,
      ) as DbRow | undefined;
      if (!msg) return { applied: false, reason: "unknown_message", previous: null };
      const row = toStoredRow(msg);
      if (!acceptsRecipient(row.recipients, update.phone)) {
        return { applied: false, reason: "unknown_recipient", previous: null };
      }
      const prevRow = this.stmt(`SELECT * FROM ${this.t.statuses} WHERE smsc_id = ? AND phone = ?`).get(
        update.smscId,
        update.phone,
      ) as DbRow | undefined;
      const previous = prevRow ? toRecipientStatus(prevRow) : null;
      if (!rule(previous, update)) return { applied: false, reason: "stale", previous };
      const final = isFinal(update.status);
      this.stmt(
        `INSERT INTO ${this.t.statuses} (smsc_id, phone, status, err, at, source, final) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (smsc_id, phone) DO UPDATE SET status = excluded.status, err = excluded.err, at = excluded.at,
           source = excluded.source, final = excluded.final`,
      ).run(update.smscId, update.phone, update.status, update.err, update.at, update.source, final ? 1 : 0);
      const wasFinal = prevRow ? Number(prevRow.final) === 1 : false;
      if (final && !wasFinal) {
        this.stmt(
          `UPDATE ${this.t.messages} SET statuses_open = MAX(statuses_open - 1, 0), updated_at = ? WHERE smsc_id = ?`,
        ).run(update.at, update.smscId);
      }
      return { applied: true, previous, row };
    });
    return run.immediate();
  }

  async recipientStatuses(smscId: string): Promise<RecipientStatus[]> {
    const rows = this.stmt(`SELECT * FROM ${this.t.statuses} WHERE smsc_id = ? ORDER BY phone`).all(
      smscId,
    ) as DbRow[];
    return rows.map(toRecipientStatus);
  }

  async pendingStatuses(sentBefore: number, limit: number): Promise<PendingStatus[]> {
    const rows = this.stmt(
      `SELECT m.row_id, m.smsc_id, m.sent_at, r.value AS phone, s.status, s.final
         FROM ${this.t.messages} m, json_each(m.recipients) r
         LEFT JOIN ${this.t.statuses} s ON s.smsc_id = m.smsc_id AND s.phone = r.value
        WHERE m.state = 'sent' AND m.statuses_open > 0 AND m.sent_at < ? AND COALESCE(s.final, 0) = 0
        ORDER BY m.sent_at, m.row_id LIMIT ?`,
    ).all(sentBefore, limit) as DbRow[];
    return rows.map((r) => ({
      rowId: Number(r.row_id),
      smscId: String(r.smsc_id),
      phone: String(r.phone),
      sentAt: Number(r.sent_at),
      status: r.status === null || r.status === undefined ? null : Number(r.status),
    }));
  }

  async listDead(limit: number, offset: number): Promise<StoredRow[]> {
    const rows = this.stmt(
      `SELECT ${ROW_COLUMNS} FROM ${this.t.messages} WHERE state = 'dead' ORDER BY dead_at, row_id LIMIT ? OFFSET ?`,
    ).all(limit, offset) as DbRow[];
    return rows.map(toStoredRow);
  }

  async recent(limit: number, before?: RecentCursor): Promise<RecentRow[]> {
    const rows = before
      ? (this.stmt(
          `SELECT ${ROW_COLUMNS}, updated_at FROM ${this.t.messages} WHERE (updated_at, row_id) < (?, ?)
            ORDER BY updated_at DESC, row_id DESC LIMIT ?`,
        ).all(before.updatedAt, before.rowId, limit) as DbRow[])
      : (this.stmt(
          `SELECT ${ROW_COLUMNS}, updated_at FROM ${this.t.messages} ORDER BY updated_at DESC, row_id DESC LIMIT ?`,
        ).all(limit) as DbRow[]);
    return rows.map(toRecentRow);
  }

  async redrive(rowId: number, now: number): Promise<boolean> {
    const res = this.stmt(
      `UPDATE ${this.t.messages} SET state = 'queued', attempts = 0, run_at = ?, dead_at = NULL, reconcile = 0, updated_at = ?
       WHERE row_id = ? AND state = 'dead'`,
    ).run(now, now, rowId);
    return res.changes === 1;
  }

  async purgeDead(deadBefore: number): Promise<number> {
    return this.stmt(`DELETE FROM ${this.t.messages} WHERE state = 'dead' AND dead_at < ?`).run(deadBefore)
      .changes;
  }

  async prune(sentBefore: number, limit: number): Promise<number> {
    const run = this.db.transaction((): number => {
      const ids = this.stmt(
        `SELECT smsc_id FROM ${this.t.messages} WHERE state = 'sent' AND sent_at < ? ORDER BY sent_at LIMIT ?`,
      )
        .all(sentBefore, limit)
        .map((r) => String((r as DbRow).smsc_id));
      if (ids.length === 0) return 0;
      const list = JSON.stringify(ids);
      this.stmt(`DELETE FROM ${this.t.statuses} WHERE smsc_id IN (SELECT value FROM json_each(?))`).run(list);
      return this.stmt(
        `DELETE FROM ${this.t.messages} WHERE smsc_id IN (SELECT value FROM json_each(?))`,
      ).run(list).changes;
    });
    return run.immediate();
  }

  async stats(now: number): Promise<StoreStats> {
    const counts = this.stmt(
      `SELECT state, COUNT(*) AS n FROM ${this.t.messages} GROUP BY state`,
    ).all() as DbRow[];
    const byState = Object.fromEntries(ROW_STATES.map((s) => [s, 0])) as Record<RowState, number>;
    for (const c of counts) byState[String(c.state) as RowState] = Number(c.n);
    const oldest = this.stmt(
      `SELECT MIN(run_at) AS t FROM ${this.t.messages} WHERE state IN ('queued', 'unknown') AND run_at <= ?`,
    ).get(now) as DbRow;
    return {
      byState,
      oldestDueAt: oldest.t === null || oldest.t === undefined ? null : Number(oldest.t),
      deadLetterDepth: byState.dead,
    };
  }

  async close(): Promise<void> {
    if (this.ownsDb && this.db.open) this.db.close();
  }
}

function asDatabase(tx: unknown): SqliteDatabase {
  if (tx instanceof Database) return tx;
  throw new OutboxConfigError("tx", "a SQLite outbox takes the caller's better-sqlite3 Database as tx");
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(options);
}
