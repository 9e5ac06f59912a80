import Database from "better-sqlite3";
import { OutboxConfigError } from "../../errors.js";
import type { Executed, Operation, Step } from "../operations.js";
import * as operations from "../operations.js";
import { chunked } from "../planner.js";
import { checkIdentifier, type DbRow } from "../row-mapping.js";
import { type SqlValue, sqliteDialect, sqliteParameters } from "../sql/dialect.js";
import { migrationsFor, type SchemaNames } from "../sql/migrations.js";
import { type Execute, renderStatement, type Statement } from "../sql/statement.js";
import { SqlStore } from "../sql-store.js";
import type { EnqueuedRow, NewRow, SyncEnqueue } from "../store.js";

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

/** Rows per statement of a large enqueue (SQLite takes JSON documents of any size; this bounds the memory). */
const INSERT_CHUNK = 5_000;

type Prepared = Database.Statement<[Record<string, SqlValue>], DbRow>;

/**
 * SQLite store on better-sqlite3 in WAL mode. better-sqlite3 is synchronous, so every operation of
 * ../operations.ts runs to its end before the method returns (atomic ones inside an IMMEDIATE transaction);
 * the async signatures only match the store contract.
 */
export class SqliteStore extends SqlStore implements SyncEnqueue {
  readonly kind = "sqlite" as const;
  readonly db: SqliteDatabase;
  readonly sync: SyncEnqueue = this;
  private readonly ownsDb: boolean;
  private readonly tables: SchemaNames;
  /** Prepared statements per connection: the caller's transaction handle may differ from the store's own. */
  private readonly prepared = new WeakMap<SqliteDatabase, Map<string, Prepared>>();

  constructor(options: SqliteStoreOptions) {
    super();
    const prefix = checkIdentifier(options.tablePrefix ?? "smsc_outbox_", "tablePrefix");
    this.tables = {
      messages: `${prefix}messages`,
      statuses: `${prefix}statuses`,
      migrations: `${prefix}migrations`,
      slots: `${prefix}budget_slots`,
      holds: `${prefix}budget_holds`,
      windows: `${prefix}budget_windows`,
      floodRuns: `${prefix}flood_runs`,
      attempts: `${prefix}attempts`,
      readings: `${prefix}readings`,
      prefix,
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

  private run<Input>(statement: Statement<Input>, input: Input, db: SqliteDatabase): Executed {
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

  private step(step: Step, db: SqliteDatabase): Executed {
    if ("script" in step) {
      db.exec(step.script);
      return { rows: [], count: 0 };
    }
    const execute: Execute<Executed> = (statement, input) => this.run(statement, input, db);
    return step(execute);
  }

  private performSync<T>(operation: Operation<T>, db: SqliteDatabase = this.db): T {
    let next = operation.next();
    while (!next.done) next = operation.next(this.step(next.value, db));
    return next.value;
  }

  protected async perform<T>(operation: Operation<T>): Promise<T> {
    return this.performSync(operation);
  }

  protected async performAtomically<T>(operation: Operation<T>): Promise<T> {
    return this.db.transaction(() => this.performSync(operation)).immediate();
  }

  async migrate(): Promise<void> {
    this.migrateSync();
  }

  migrateSync(): void {
    const migrate = this.db.transaction(() =>
      this.performSync(operations.migrate(migrationsFor(sqliteDialect, this.tables), Date.now)),
    );
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
      chunked(rows, INSERT_CHUNK).flatMap((chunk) => this.performSync(operations.insertChunk(chunk), db));
    // Inside the caller's transaction we only write; otherwise all rows commit together in ours.
    return db.inTransaction ? work() : db.transaction(work).immediate();
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
