import type pg from "pg";
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
import { pgDialect } from "../sql/dialect.js";
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
  TransitionRule,
} from "../store.js";
import { pgMigrations } from "./migrations.js";

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

interface Executed {
  rows: DbRow[];
  count: number;
}

/**
 * PostgreSQL store: many workers in many processes share it; claims use FOR UPDATE SKIP LOCKED. It executes the
 * statements of ../sql/statements as ../planner.ts decides; nothing here restates a rule the SQLite store has.
 */
export class PgStore implements OutboxStore {
  readonly kind = "pg" as const;
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly tables: Tables;
  private readonly prefix: string;
  private readonly insertChunk: number;
  private readonly sqlText = new Map<string, string>();

  constructor(options: PgStoreOptions) {
    this.pool = options.pool;
    this.schema = checkIdentifier(options.schema ?? "smsc_outbox", "schema");
    this.prefix = checkIdentifier(options.tablePrefix ?? "smsc_outbox_", "tablePrefix");
    const qualified = (name: string) => `"${this.schema}"."${this.prefix}${name}"`;
    this.tables = {
      messages: qualified("messages"),
      statuses: qualified("statuses"),
      migrations: qualified("migrations"),
    };
    this.insertChunk = Math.max(1, Math.floor(options.insertChunk ?? 5000));
    // An idle client whose backend dies (failover, pg_terminate_backend) makes the pool emit "error"; without a
    // listener that would crash the process. The pool drops the client and the next query reconnects.
    if (this.pool.listenerCount("error") === 0) this.pool.on("error", () => {});
  }

  private async run<Input>(
    statement: Statement<Input>,
    input: Input,
    db: Queryable = this.pool,
  ): Promise<Executed> {
    let text = this.sqlText.get(statement.name);
    if (text === undefined) {
      text = renderStatement(statement, pgDialect, this.tables);
      this.sqlText.set(statement.name, text);
    }
    const result = await db.query<DbRow>(text, statement.parameters(input));
    return { rows: result.rows, count: result.rowCount ?? 0 };
  }

  /** Runs `work` in a transaction of its own on one pooled client. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const out = await work(client);
      await client.query("COMMIT");
      return out;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      // One migrator at a time across every instance starting now; the others then find nothing to do.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
        `smsc-kit/outbox:${this.schema}`,
      ]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await this.run(statements.createMigrationsTable, null, client);
      const { rows } = await this.run(statements.migrationVersion, null, client);
      const all = pgMigrations({ ...this.tables, prefix: this.prefix });
      for (const migration of pendingMigrations(all, rows[0])) {
        await client.query(migration.sql);
        await this.run(
          statements.recordMigration,
          { version: migration.version, appliedAt: Date.now() },
          client,
        );
      }
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
      const inserted = await this.run(statements.insertRows, chunk, db);
      const keys = skippedKeys(chunk, inserted.rows);
      const existing =
        keys.length === 0 ? [] : (await this.run(statements.rowsByIdempotencyKey, keys, db)).rows;
      out.push(...matchEnqueued(chunk, inserted.rows, existing));
    }
    return out;
  }

  async claim(owner: string, limit: number, leaseUntil: number, now: number): Promise<ClaimedRow[]> {
    const { rows } = await this.run(statements.claim, { owner, limit, leaseUntil, now });
    return rows.map(toClaimedRow);
  }

  async heartbeat(owner: string, rowIds: number[], leaseUntil: number): Promise<number> {
    if (rowIds.length === 0) return 0;
    return (await this.run(statements.heartbeat, { owner, rowIds, leaseUntil })).count;
  }

  async release(owner: string, rowIds: number[], now: number): Promise<number> {
    if (rowIds.length === 0) return 0;
    return (await this.run(statements.release, { owner, rowIds, now })).count;
  }

  async finish(owner: string, rowId: number, outcome: Outcome, now: number): Promise<StoredRow | null> {
    const { rows } = await this.runFinish(planFinish(owner, rowId, outcome, now), owner, now);
    return rows[0] ? toStoredRow(rows[0]) : null;
  }

  private runFinish(plan: FinishPlan, owner: string, now: number): Promise<Executed> {
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
    const { rows } = await this.run(statements.finishSent, { owner, items, now });
    return new Map(rows.map((row) => [Number(row.row_id), toStoredRow(row)]));
  }

  async get(rowId: number): Promise<StoredRow | null> {
    const { rows } = await this.run(statements.rowById, rowId);
    return rows[0] ? toStoredRow(rows[0]) : null;
  }

  async getBySmscId(smscId: string): Promise<StoredRow | null> {
    const { rows } = await this.run(statements.rowBySmscId, smscId);
    return rows[0] ? toStoredRow(rows[0]) : null;
  }

  async applyStatus(
    update: RecipientStatus,
    rule: TransitionRule,
    isFinal: (status: number) => boolean,
  ): Promise<ApplyStatusResult> {
    return this.transaction(async (client) => {
      const target = statusTarget(
        (await this.run(statements.lockMessage, update.smscId, client)).rows[0],
        update,
      );
      if (target.refused) return target.refused;
      const stored = (await this.run(statements.recipientStatus, update, client)).rows[0] ?? null;
      const { result, write } = planStatus(target.message, stored, update, rule, isFinal);
      if (write) {
        await this.run(statements.saveRecipientStatus, write, client);
        if (write.closesRecipient) {
          await this.run(statements.closeRecipient, { smscId: update.smscId, at: update.at }, client);
        }
      }
      return result;
    });
  }

  async recipientStatuses(smscId: string): Promise<RecipientStatus[]> {
    return (await this.run(statements.recipientStatuses, smscId)).rows.map(toRecipientStatus);
  }

  async pendingStatuses(sentBefore: number, limit: number): Promise<PendingStatus[]> {
    return (await this.run(statements.pendingStatuses, { sentBefore, limit })).rows.map(toPendingStatus);
  }

  async listDead(limit: number, offset: number): Promise<StoredRow[]> {
    return (await this.run(statements.listDead, { limit, offset })).rows.map(toStoredRow);
  }

  async recent(limit: number, before?: RecentCursor): Promise<RecentRow[]> {
    const { rows } = before
      ? await this.run(statements.recentBefore, { limit, before })
      : await this.run(statements.recent, limit);
    return rows.map(toRecentRow);
  }

  async redrive(rowId: number, now: number): Promise<boolean> {
    return (await this.run(statements.redrive, { rowId, now })).count === 1;
  }

  async purgeDead(deadBefore: number): Promise<number> {
    return (await this.run(statements.purgeDead, deadBefore)).count;
  }

  async prune(sentBefore: number, limit: number): Promise<number> {
    return this.transaction(async (client) => {
      const smscIds = (await this.run(statements.prunable, { sentBefore, limit }, client)).rows.map((row) =>
        String(row.smsc_id),
      );
      if (smscIds.length === 0) return 0;
      await this.run(statements.deleteStatuses, smscIds, client);
      return (await this.run(statements.deleteSent, smscIds, client)).count;
    });
  }

  async stats(now: number): Promise<StoreStats> {
    return foldStats((await this.run(statements.stats, now)).rows);
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
