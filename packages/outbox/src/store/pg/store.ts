import type pg from "pg";
import { OutboxConfigError } from "../../errors.js";
import type { Executed, Operation, Step } from "../operations.js";
import * as operations from "../operations.js";
import { chunked } from "../planner.js";
import { checkIdentifier, type DbRow } from "../row-mapping.js";
import { pgDialect } from "../sql/dialect.js";
import { migrationsFor } from "../sql/migrations.js";
import { type Execute, renderStatement, type Statement, type Tables } from "../sql/statement.js";
import { SqlStore } from "../sql-store.js";
import type { EnqueuedRow, NewRow } from "../store.js";

export interface PgStoreOptions {
  /** The service's own pool; the store never ends it. */
  pool: pg.Pool;
  /** Schema holding the outbox tables (created if missing; default "smsc_outbox"). */
  schema?: string;
  /** Prefix of the table and index names (default "smsc_outbox_"), so a shared schema stays collision-free. */
  tablePrefix?: string;
  /** Rows per INSERT statement when enqueueing a large batch. */
  insertChunk?: number;
}

/** Anything with pg's `query`: a Pool, or the caller's PoolClient inside BEGIN. */
type Queryable = Pick<pg.PoolClient, "query">;

/** Pools whose clients already carry the error listener below (several stores may share one pool). */
const listenedPools = new WeakSet<pg.Pool>();

/**
 * PostgreSQL store: many workers in many processes share it; claims use FOR UPDATE SKIP LOCKED. It runs the
 * operations of ../operations.ts, awaiting each statement; transactions are on one pooled client.
 */
export class PgStore extends SqlStore {
  readonly kind = "pg" as const;
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly tables: Tables;
  private readonly prefix: string;
  private readonly insertChunk: number;
  private readonly sqlText = new Map<string, string>();

  constructor(options: PgStoreOptions) {
    super();
    this.pool = options.pool;
    this.schema = checkIdentifier(options.schema ?? "smsc_outbox", "schema");
    this.prefix = checkIdentifier(options.tablePrefix ?? "smsc_outbox_", "tablePrefix");
    const qualified = (name: string) => `"${this.schema}"."${this.prefix}${name}"`;
    this.tables = {
      messages: qualified("messages"),
      statuses: qualified("statuses"),
      migrations: qualified("migrations"),
      slots: qualified("budget_slots"),
      holds: qualified("budget_holds"),
      windows: qualified("budget_windows"),
      floodRuns: qualified("flood_runs"),
      attempts: qualified("attempts"),
      readings: qualified("readings"),
    };
    this.insertChunk = Math.max(1, Math.floor(options.insertChunk ?? 5000));
    // An idle client whose backend dies (failover, pg_terminate_backend) makes the pool emit "error"; without a
    // listener that would crash the process. The pool drops the client and the next query reconnects.
    if (this.pool.listenerCount("error") === 0) this.pool.on("error", () => {});
    // A query that failed because its backend died hands its client back to the pool with the error, and the
    // pool discards it; the dying connection may still emit "error" on that client, which by then has no
    // listener (seen under pg_terminate_backend in test/pg-outbox.test.ts). Every client of the pool gets one;
    // the failed query has already reported the error.
    if (!listenedPools.has(this.pool)) {
      listenedPools.add(this.pool);
      this.pool.on("connect", (client) => client.on("error", () => {}));
    }
  }

  private async run<Input>(statement: Statement<Input>, input: Input, db: Queryable): Promise<Executed> {
    let text = this.sqlText.get(statement.name);
    if (text === undefined) {
      text = renderStatement(statement, pgDialect, this.tables);
      this.sqlText.set(statement.name, text);
    }
    const result = await db.query<DbRow>(text, statement.parameters(input));
    return { rows: result.rows, count: result.rowCount ?? 0 };
  }

  private async step(step: Step, db: Queryable): Promise<Executed> {
    if ("script" in step) {
      await db.query(step.script);
      return { rows: [], count: 0 };
    }
    const execute: Execute<Promise<Executed>> = (statement, input) => this.run(statement, input, db);
    return step(execute);
  }

  private async performOn<T>(operation: Operation<T>, db: Queryable): Promise<T> {
    let next = operation.next();
    while (!next.done) next = operation.next(await this.step(next.value, db));
    return next.value;
  }

  protected perform<T>(operation: Operation<T>): Promise<T> {
    return this.performOn(operation, this.pool);
  }

  protected performAtomically<T>(operation: Operation<T>): Promise<T> {
    return this.transaction((client) => this.performOn(operation, client));
  }

  /** Runs `work` in a transaction of its own on one pooled client. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client has no pool listener: a backend killed between queries (failover,
    // pg_terminate_backend) would emit "error" with none and crash the host. The failed query reports it.
    const ignore = () => {};
    client.on("error", ignore);
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const out = await work(client);
      await client.query("COMMIT");
      return out;
    } catch (err) {
      await client.query("ROLLBACK").catch((rollbackError: unknown) => {
        // The connection itself failed: give the pool back a client it must discard, not reuse.
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw err;
    } finally {
      client.removeListener("error", ignore);
      client.release(broken);
    }
  }

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      // One migrator at a time across every instance starting now; the others then find nothing to do.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
        `smsc-kit/outbox:${this.schema}`,
      ]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      const migrations = migrationsFor(pgDialect, { ...this.tables, prefix: this.prefix });
      await this.performOn(operations.migrate(migrations, Date.now), client);
    });
  }

  async insert(rows: NewRow[], tx?: unknown): Promise<EnqueuedRow[]> {
    if (rows.length === 0) return [];
    if (tx !== undefined) return this.insertWith(asQueryable(tx), rows);
    if (rows.length <= this.insertChunk) return this.insertWith(this.pool, rows);
    return this.transaction((client) => this.insertWith(client, rows));
  }

  async insertChunks(chunks: Iterable<NewRow[]>, tx?: unknown): Promise<EnqueuedRow[]> {
    const own = tx === undefined;
    const client = own ? await this.pool.connect() : null;
    const db: Queryable = client ?? asQueryable(tx);
    let pending: Promise<EnqueuedRow[]> | null = null;
    try {
      await db.query(own ? "BEGIN" : "SAVEPOINT smsc_outbox_enqueue");
      try {
        const out: EnqueuedRow[] = [];
        // The generator prepares chunk k+1 while PostgreSQL is still inserting chunk k (one query at a time).
        for (const rows of chunks) {
          if (pending) out.push(...(await pending));
          pending = rows.length > 0 ? this.insertWith(db, rows) : null;
        }
        if (pending) out.push(...(await pending));
        pending = null;
        await db.query(own ? "COMMIT" : "RELEASE SAVEPOINT smsc_outbox_enqueue");
        return out;
      } catch (err) {
        if (pending) await pending.catch(() => {});
        await db.query(own ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT smsc_outbox_enqueue").catch(() => {});
        throw err;
      }
    } finally {
      client?.release();
    }
  }

  private async insertWith(db: Queryable, rows: NewRow[]): Promise<EnqueuedRow[]> {
    const out: EnqueuedRow[] = [];
    for (const chunk of chunked(rows, this.insertChunk)) {
      out.push(...(await this.performOn(operations.insertChunk(chunk), db)));
    }
    return out;
  }

  async close(): Promise<void> {
    // The pool belongs to the service that passed it in.
  }
}

function isQueryable(tx: unknown): tx is Queryable {
  return typeof tx === "object" && tx !== null && "query" in tx && typeof tx.query === "function";
}

function asQueryable(tx: unknown): Queryable {
  if (isQueryable(tx)) return tx;
  throw new OutboxConfigError("tx", "a PostgreSQL outbox takes the caller's pg client (inside BEGIN) as tx");
}

export function openPgStore(options: PgStoreOptions): PgStore {
  return new PgStore(options);
}
