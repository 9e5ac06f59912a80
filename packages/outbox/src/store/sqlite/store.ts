import Database from "better-sqlite3";
import { OutboxConfigError } from "../../errors.js";
import {
  chunked,
  type FinishPlan,
  foldStats,
  matchEnqueued,
  pendingMigrations,
  planFinish,
  planStatus,
  skippedKeys,
  statusTarget,
} from "../planner.js";
import {
  checkIdentifier,
  type DbRow,
  toClaimedRow,
  toPendingStatus,
  toRecentRow,
  toRecipientStatus,
  toStoredRow,
} from "../row-mapping.js";
import { type SqlValue, sqliteDialect, sqliteParameters } from "../sql/dialect.js";
import { renderStatement, type Statement, type Tables } from "../sql/statement.js";
import * as statements from "../sql/statements/index.js";
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
  SentItem,
  StoredRow,
  StoreStats,
  SyncEnqueue,
  TransitionRule,
} from "../store.js";
import { sqliteMigrations } from "./migrations.js";

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

interface Executed {
  rows: DbRow[];
  count: number;
}

/** Rows per statement of a large enqueue (SQLite allows JSON documents of any size; this bounds the memory). */
const INSERT_CHUNK = 5_000;

type Prepared = Database.Statement<[Record<string, SqlValue>], DbRow>;

/**
 * SQLite store on better-sqlite3 in WAL mode. better-sqlite3 is synchronous, so every method finishes its
 * statement before returning; the async signatures only match the store contract. It executes the statements
 * of ../sql/statements as ../planner.ts decides; nothing here restates a rule the PostgreSQL store has.
 */
export class SqliteStore implements OutboxStore, SyncEnqueue {
  readonly kind = "sqlite" as const;
  readonly db: SqliteDatabase;
  readonly sync: SyncEnqueue = this;
  private readonly ownsDb: boolean;
  private readonly tables: Tables;
  /** Prepared statements per connection: the caller's transaction handle may differ from the store's own. */
  private readonly prepared = new WeakMap<SqliteDatabase, Map<string, Prepared>>();

  constructor(options: SqliteStoreOptions) {
    const prefix = checkIdentifier(options.tablePrefix ?? "smsc_outbox_", "tablePrefix");
    this.tables = {
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

  private run<Input>(statement: Statement<Input>, input: Input, db: SqliteDatabase = this.db): Executed {
    let cache = this.prepared.get(db);
    if (!cache) {
      cache = new Map();
      this.prepared.set(db, cache);
    }
    let prepared = cache.get(statement.name);
    if (!prepared) {
      prepared = db.prepare<Record<string, SqlValue>, DbRow>(
        renderStatement(statement, sqliteDialect, this.tables),
      );
      cache.set(statement.name, prepared);
    }
    const parameters = sqliteParameters(statement.parameters(input));
    if (statement.returns === "rows") {
      const rows = prepared.all(parameters);
      return { rows, count: rows.length };
    }
    return { rows: [], count: prepared.run(parameters).changes };
  }

  async migrate(): Promise<void> {
    this.migrateSync();
  }

  migrateSync(): void {
    const migrate = this.db.transaction(() => {
      this.run(statements.createMigrationsTable, null);
      const { rows } = this.run(statements.migrationVersion, null);
      for (const migration of pendingMigrations(sqliteMigrations(this.tables), rows[0])) {
        this.db.exec(migration.sql);
        this.run(statements.recordMigration, { version: migration.version, appliedAt: Date.now() });
      }
    });
    // IMMEDIATE takes the write lock up front, so two processes migrating at once serialise instead of deadlocking.
    migrate.immediate();
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
    const work = (): EnqueuedRow[] =>
      chunked(rows, INSERT_CHUNK).flatMap((chunk) => {
        const inserted = this.run(statements.insertRows, chunk, db).rows;
        const keys = skippedKeys(chunk, inserted);
        const existing = keys.length === 0 ? [] : this.run(statements.rowsByIdempotencyKey, keys, db).rows;
        return matchEnqueued(chunk, inserted, existing);
      });
    // Inside the caller's transaction we only write; otherwise all rows commit together in ours.
    return db.inTransaction ? work() : db.transaction(work).immediate();
  }

  async claim(owner: string, limit: number, leaseUntil: number, now: number): Promise<ClaimedRow[]> {
    return this.run(statements.claim, { owner, limit, leaseUntil, now }).rows.map(toClaimedRow);
  }

  async heartbeat(owner: string, rowIds: number[], leaseUntil: number): Promise<number> {
    if (rowIds.length === 0) return 0;
    return this.run(statements.heartbeat, { owner, rowIds, leaseUntil }).count;
  }

  async release(owner: string, rowIds: number[], now: number): Promise<number> {
    if (rowIds.length === 0) return 0;
    return this.run(statements.release, { owner, rowIds, now }).count;
  }

  async finish(owner: string, rowId: number, outcome: Outcome, now: number): Promise<StoredRow | null> {
    const row = this.runFinish(planFinish(owner, rowId, outcome, now), owner, now).rows[0];
    return row ? toStoredRow(row) : null;
  }

  private runFinish(plan: FinishPlan, owner: string, now: number): Executed {
    switch (plan.statement) {
      case "finish-sent":
        return this.run(statements.finishSent, { owner, items: plan.items, now });
      case "finish-failed":
        return this.run(statements.finishFailed, plan.plan);
      case "finish-deferred":
        return this.run(statements.finishDeferred, plan.plan);
    }
  }

  async finishSent(owner: string, items: SentItem[], now: number): Promise<Map<number, StoredRow>> {
    if (items.length === 0) return new Map();
    const { rows } = this.run(statements.finishSent, { owner, items, now });
    return new Map(rows.map((row) => [Number(row.row_id), toStoredRow(row)]));
  }

  async get(rowId: number): Promise<StoredRow | null> {
    const row = this.run(statements.rowById, rowId).rows[0];
    return row ? toStoredRow(row) : null;
  }

  async getBySmscId(smscId: string): Promise<StoredRow | null> {
    const row = this.run(statements.rowBySmscId, smscId).rows[0];
    return row ? toStoredRow(row) : null;
  }

  async applyStatus(
    update: RecipientStatus,
    rule: TransitionRule,
    isFinal: (status: number) => boolean,
  ): Promise<ApplyStatusResult> {
    const apply = this.db.transaction((): ApplyStatusResult => {
      const target = statusTarget(this.run(statements.lockMessage, update.smscId).rows[0], update);
      if (target.refused) return target.refused;
      const stored = this.run(statements.recipientStatus, update).rows[0] ?? null;
      const { result, write } = planStatus(target.message, stored, update, rule, isFinal);
      if (write) {
        this.run(statements.saveRecipientStatus, write);
        if (write.closesRecipient)
          this.run(statements.closeRecipient, { smscId: update.smscId, at: update.at });
      }
      return result;
    });
    return apply.immediate();
  }

  async recipientStatuses(smscId: string): Promise<RecipientStatus[]> {
    return this.run(statements.recipientStatuses, smscId).rows.map(toRecipientStatus);
  }

  async pendingStatuses(sentBefore: number, limit: number): Promise<PendingStatus[]> {
    return this.run(statements.pendingStatuses, { sentBefore, limit }).rows.map(toPendingStatus);
  }

  async listDead(limit: number, offset: number): Promise<StoredRow[]> {
    return this.run(statements.listDead, { limit, offset }).rows.map(toStoredRow);
  }

  async recent(limit: number, before?: RecentCursor): Promise<RecentRow[]> {
    const { rows } = before
      ? this.run(statements.recentBefore, { limit, before })
      : this.run(statements.recent, limit);
    return rows.map(toRecentRow);
  }

  async redrive(rowId: number, now: number): Promise<boolean> {
    return this.run(statements.redrive, { rowId, now }).count === 1;
  }

  async purgeDead(deadBefore: number): Promise<number> {
    return this.run(statements.purgeDead, deadBefore).count;
  }

  async prune(sentBefore: number, limit: number): Promise<number> {
    const prune = this.db.transaction((): number => {
      const smscIds = this.run(statements.prunable, { sentBefore, limit }).rows.map((row) =>
        String(row.smsc_id),
      );
      if (smscIds.length === 0) return 0;
      this.run(statements.deleteStatuses, smscIds);
      return this.run(statements.deleteSent, smscIds).count;
    });
    return prune.immediate();
  }

  async stats(now: number): Promise<StoreStats> {
    return foldStats(this.run(statements.stats, now).rows);
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
