import type pg from "pg";
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

/** PostgreSQL store: many workers in many processes share it; claims use FOR UPDATE SKIP LOCKED. */
export class PgStore implements OutboxStore {
  readonly kind = "pg" as const;
  readonly pool: pg.Pool;
  readonly schema: string;
  private readonly m: string;
  private readonly st: string;
  private readonly mig: string;
  private readonly prefix: string;
  private readonly insertChunk: number;

  constructor(options: PgStoreOptions) {
    this.pool = options.pool;
    this.schema = checkIdentifier(options.schema ?? "smsc_outbox", "schema");
    this.prefix = checkIdentifier(options.tablePrefix ?? "smsc_outbox_", "tablePrefix");
    this.m = `"${this.schema}"."${this.prefix}messages"`;
    this.st = `"${this.schema}"."${this.prefix}statuses"`;
    this.mig = `"${this.schema}"."${this.prefix}migrations"`;
    this.insertChunk = Math.max(1, Math.floor(options.insertChunk ?? 5000));
    // An idle client whose backend dies (failover, pg_terminate_backend) makes the pool emit "error"; without a
    // listener that would crash the process. The pool drops the client and the next query reconnects.
    if (this.pool.listenerCount("error") === 0) this.pool.on("error", () => {});
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      // One migrator at a time across every instance starting now; the others then find nothing to do.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
        `smsc-kit/outbox:${this.schema}`,
      ]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.mig} (version integer PRIMARY KEY, applied_at bigint NOT NULL)`,
      );
      const { rows } = await client.query<{ v: number | null }>(`SELECT MAX(version) AS v FROM ${this.mig}`);
      const current = rows[0]?.v ?? 0;
      for (const m of pgMigrations({ messages: this.m, statuses: this.st, prefix: this.prefix })) {
        if (m.version <= current) continue;
        await client.query(m.sql);
        await client.query(`INSERT INTO ${this.mig} (version, applied_at) VALUES ($1, $2)`, [
          m.version,
          Date.now(),
        ]);
      }
      await client.query("COMMIT");
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async insert(rows: NewRow[], tx?: unknown): Promise<EnqueuedRow[]> {
    if (rows.length === 0) return [];
    if (tx !== undefined) return this.insertWith(asQueryable(tx), rows);
    if (rows.length <= this.insertChunk) return this.insertWith(this.pool, rows);
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const out = await this.insertWith(client, rows);
      await client.query("COMMIT");
      return out;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
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
    for (let i = 0; i < rows.length; i += this.insertChunk) {
      out.push(...(await this.insertChunkWith(db, rows.slice(i, i + this.insertChunk))));
    }
    return out;
  }

  private async insertChunkWith(db: Queryable, rows: NewRow[]): Promise<EnqueuedRow[]> {
    // One statement for the whole chunk: the batch travels as a single JSON document.
    const doc = JSON.stringify(
      rows.map((r) => ({
        smsc_id: r.smscId,
        idempotency_key: r.idempotencyKey,
        request: r.request,
        recipients: r.recipients,
        meta: r.meta,
        run_at: r.runAt,
        statuses_open: r.recipients.length,
        created_at: r.createdAt,
      })),
    );
    const { rows: inserted } = await db.query<{ row_id: string; smsc_id: string }>(
      `INSERT INTO ${this.m} (smsc_id, idempotency_key, request, recipients, meta, run_at, statuses_open, created_at, updated_at)
       SELECT smsc_id, idempotency_key, request, recipients, meta, run_at, statuses_open, created_at, created_at
         FROM json_to_recordset($1::json) AS x(smsc_id text, idempotency_key text, request text, recipients text,
              meta text, run_at bigint, statuses_open integer, created_at bigint)
       ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING row_id, smsc_id`,
      [doc],
    );
    const bySmscId = new Map(inserted.map((r) => [r.smsc_id, Number(r.row_id)]));
    const missingKeys = rows.filter((r) => !bySmscId.has(r.smscId)).map((r) => r.idempotencyKey);
    const byKey = new Map<string, { rowId: number; smscId: string }>();
    if (missingKeys.length > 0) {
      const { rows: found } = await db.query<{ row_id: string; smsc_id: string; idempotency_key: string }>(
        `SELECT row_id, smsc_id, idempotency_key FROM ${this.m} WHERE idempotency_key = ANY($1::text[])`,
        [missingKeys],
      );
      for (const f of found) byKey.set(f.idempotency_key, { rowId: Number(f.row_id), smscId: f.smsc_id });
    }
    return rows.map((r) => {
      const rowId = bySmscId.get(r.smscId);
      if (rowId !== undefined)
        return { rowId, smscId: r.smscId, idempotencyKey: r.idempotencyKey, created: true };
      const existing = r.idempotencyKey === null ? undefined : byKey.get(r.idempotencyKey);
      if (!existing)
        throw new Error(`outbox row for idempotency key ${r.idempotencyKey} vanished during enqueue`);
      return { ...existing, idempotencyKey: r.idempotencyKey, created: false };
    });
  }

  async claim(owner: string, limit: number, leaseUntil: number, now: number): Promise<ClaimedRow[]> {
    const { rows } = await this.pool.query<DbRow>(
      `WITH due AS (
         SELECT row_id FROM ${this.m}
          WHERE state IN ('queued', 'unknown', 'sending') AND run_at <= $1
          ORDER BY run_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE ${this.m} m
          SET state = 'sending', lease_owner = $3, reconcile = (m.state <> 'queued'), run_at = $4, updated_at = $1
         FROM due WHERE m.row_id = due.row_id
       RETURNING m.*`,
      [now, limit, owner, leaseUntil],
    );
    return rows.map((r) => ({ ...toStoredRow(r), reconcile: r.reconcile === true }));
  }

  async heartbeat(owner: string, rowIds: number[], leaseUntil: number): Promise<number> {
    if (rowIds.length === 0) return 0;
    const res = await this.pool.query(
      `UPDATE ${this.m} SET run_at = $1 WHERE state = 'sending' AND lease_owner = $2 AND row_id = ANY($3::bigint[])`,
      [leaseUntil, owner, rowIds],
    );
    return res.rowCount ?? 0;
  }

  async release(owner: string, rowIds: number[], now: number): Promise<number> {
    if (rowIds.length === 0) return 0;
    const res = await this.pool.query(
      `UPDATE ${this.m}
          SET state = CASE WHEN reconcile THEN 'unknown' ELSE 'queued' END, lease_owner = NULL, run_at = $1, updated_at = $1
        WHERE state = 'sending' AND lease_owner = $2 AND row_id = ANY($3::bigint[])`,
      [now, owner, rowIds],
    );
    return res.rowCount ?? 0;
  }

  async finish(owner: string, rowId: number, outcome: Outcome, now: number): Promise<StoredRow | null> {
    const guard = `WHERE row_id = $1 AND state = 'sending' AND lease_owner = $2 RETURNING ${ROW_COLUMNS}`;
    let res: pg.QueryResult<DbRow>;
    switch (outcome.kind) {
      case "sent":
        res = await this.pool.query<DbRow>(
          `UPDATE ${this.m} SET state = 'sent', lease_owner = NULL, reconcile = false, attempts = attempts + $3,
             sent_at = $4, cnt = $5, cost = $6, updated_at = $7, last_attempt_at = COALESCE($8, last_attempt_at) ${guard}`,
          [
            rowId,
            owner,
            outcome.countAttempt ? 1 : 0,
            outcome.at,
            outcome.cnt,
            outcome.cost,
            now,
            outcome.attemptedAt,
          ],
        );
        break;
      case "retry":
        res = await this.pool.query<DbRow>(
          `UPDATE ${this.m} SET state = $3, lease_owner = NULL, reconcile = false, attempts = attempts + $4, run_at = $5,
             last_error_code = $6, last_error_class = $7, last_error = $8, updated_at = $9,
             last_attempt_at = COALESCE($10, last_attempt_at) ${guard}`,
          [
            rowId,
            owner,
            outcome.unknown ? "unknown" : "queued",
            outcome.countAttempt ? 1 : 0,
            outcome.runAt,
            outcome.error.code,
            outcome.error.errorClass,
            outcome.error.message,
            now,
            outcome.attemptedAt,
          ],
        );
        break;
      case "dead":
        res = await this.pool.query<DbRow>(
          `UPDATE ${this.m} SET state = 'dead', lease_owner = NULL, reconcile = false, attempts = attempts + $3, dead_at = $4,
             last_error_code = $5, last_error_class = $6, last_error = $7, updated_at = $8,
             last_attempt_at = COALESCE($9, last_attempt_at) ${guard}`,
          [
            rowId,
            owner,
            outcome.countAttempt ? 1 : 0,
            outcome.at,
            outcome.error.code,
            outcome.error.errorClass,
            outcome.error.message,
            now,
            outcome.attemptedAt,
          ],
        );
        break;
      case "defer":
        res = await this.pool.query<DbRow>(
          `UPDATE ${this.m} SET state = CASE WHEN reconcile THEN 'unknown' ELSE 'queued' END, lease_owner = NULL,
             run_at = $3, updated_at = $4, last_attempt_at = COALESCE($5, last_attempt_at) ${guard}`,
          [rowId, owner, outcome.runAt, now, outcome.attemptedAt],
        );
        break;
    }
    const row = res.rows[0];
    return row ? toStoredRow(row) : null;
  }

  async finishSent(owner: string, items: SentItem[], now: number): Promise<Map<number, StoredRow>> {
    if (items.length === 0) return new Map();
    const doc = JSON.stringify(
      items.map((i) => ({
        row_id: i.rowId,
        inc: i.countAttempt ? 1 : 0,
        at: i.at,
        cnt: i.cnt,
        cost: i.cost,
        attempted: i.attemptedAt,
      })),
    );
    const { rows } = await this.pool.query<DbRow>(
      `UPDATE ${this.m} m SET state = 'sent', lease_owner = NULL, reconcile = false, attempts = m.attempts + v.inc,
              sent_at = v.at, cnt = v.cnt, cost = v.cost, updated_at = $2,
              last_attempt_at = COALESCE(v.attempted, m.last_attempt_at)
         FROM json_to_recordset($1::json) AS v(row_id bigint, inc integer, at bigint, cnt integer, cost numeric, attempted bigint)
        WHERE m.row_id = v.row_id AND m.state = 'sending' AND m.lease_owner = $3
       RETURNING m.*`,
      [doc, now, owner],
    );
    return new Map(rows.map((r) => [Number(r.row_id), toStoredRow(r)]));
  }

  async get(rowId: number): Promise<StoredRow | null> {
    const { rows } = await this.pool.query<DbRow>(`SELECT ${ROW_COLUMNS} FROM ${this.m} WHERE row_id = $1`, [
      rowId,
    ]);
    return rows[0] ? toStoredRow(rows[0]) : null;
  }

  async getBySmscId(smscId: string): Promise<StoredRow | null> {
    const { rows } = await this.pool.query<DbRow>(`SELECT ${ROW_COLUMNS} FROM ${this.m} WHERE smsc_id = $1`, [
      smscId,
    ]);
    return rows[0] ? toStoredRow(rows[0]) : null;
  }

  async applyStatus(
    update: RecipientStatus,
    rule: TransitionRule,
    isFinal: (status: number) => boolean,
  ): Promise<ApplyStatusResult> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      // Locking the message row serialises concurrent updates for one message (callback racing a poll).
      const msg = await client.query<DbRow>(
        `SELECT ${ROW_COLUMNS} FROM ${this.m} WHERE smsc_id = $1 FOR NO KEY UPDATE`,
        [update.smscId],
      );
      const found = msg.rows[0];
      let result: ApplyStatusResult;
      if (!found) {
        result = { applied: false, reason: "unknown_message", previous: null };
      } else if (!acceptsRecipient(toStoredRow(found).recipients, update.phone)) {
        result = { applied: false, reason: "unknown_recipient", previous: null };
      } else {
        result = await this.applyLocked(client, toStoredRow(found), update, rule, isFinal);
      }
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  private async applyLocked(
    client: pg.PoolClient,
    row: StoredRow,
    update: RecipientStatus,
    rule: TransitionRule,
    isFinal: (status: number) => boolean,
  ): Promise<ApplyStatusResult> {
    const prev = await client.query<DbRow>(`SELECT * FROM ${this.st} WHERE smsc_id = $1 AND phone = $2`, [
      update.smscId,
      update.phone,
    ]);
    const prevRow = prev.rows[0];
    const previous = prevRow ? toRecipientStatus(prevRow) : null;
    if (!rule(previous, update)) return { applied: false, reason: "stale", previous };
    const final = isFinal(update.status);
    await client.query(
      `INSERT INTO ${this.st} (smsc_id, phone, status, err, at, source, final) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (smsc_id, phone) DO UPDATE SET status = excluded.status, err = excluded.err, at = excluded.at,
         source = excluded.source, final = excluded.final`,
      [update.smscId, update.phone, update.status, update.err, update.at, update.source, final],
    );
    if (final && prevRow?.final !== true) {
      await client.query(
        `UPDATE ${this.m} SET statuses_open = GREATEST(statuses_open - 1, 0), updated_at = $2 WHERE smsc_id = $1`,
        [update.smscId, update.at],
      );
    }
    return { applied: true, previous, row };
  }

  async recipientStatuses(smscId: string): Promise<RecipientStatus[]> {
    const { rows } = await this.pool.query<DbRow>(
      `SELECT * FROM ${this.st} WHERE smsc_id = $1 ORDER BY phone`,
      [smscId],
    );
    return rows.map(toRecipientStatus);
  }

  async pendingStatuses(sentBefore: number, limit: number): Promise<PendingStatus[]> {
    const { rows } = await this.pool.query<DbRow>(
      `SELECT m.row_id, m.smsc_id, m.sent_at, r.phone, s.status
         FROM ${this.m} m
        CROSS JOIN LATERAL json_array_elements_text(m.recipients::json) AS r(phone)
         LEFT JOIN ${this.st} s ON s.smsc_id = m.smsc_id AND s.phone = r.phone
        WHERE m.state = 'sent' AND m.statuses_open > 0 AND m.sent_at < $1 AND COALESCE(s.final, false) = false
        ORDER BY m.sent_at, m.row_id LIMIT $2`,
      [sentBefore, limit],
    );
    return rows.map((r) => ({
      rowId: Number(r.row_id),
      smscId: String(r.smsc_id),
      phone: String(r.phone),
      sentAt: Number(r.sent_at),
      status: r.status === null || r.status === undefined ? null : Number(r.status),
    }));
  }

  async listDead(limit: number, offset: number): Promise<StoredRow[]> {
    const { rows } = await this.pool.query<DbRow>(
      `SELECT ${ROW_COLUMNS} FROM ${this.m} WHERE state = 'dead' ORDER BY dead_at, row_id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map(toStoredRow);
  }

  async recent(limit: number, before?: RecentCursor): Promise<RecentRow[]> {
    // Row comparison matches the (updated_at, row_id) index, so this is a backward index scan with a limit.
    const { rows } = before
      ? await this.pool.query<DbRow>(
          `SELECT ${ROW_COLUMNS}, updated_at FROM ${this.m} WHERE (updated_at, row_id) < ($1, $2)
            ORDER BY updated_at DESC, row_id DESC LIMIT $3`,
          [before.updatedAt, before.rowId, limit],
        )
      : await this.pool.query<DbRow>(
          `SELECT ${ROW_COLUMNS}, updated_at FROM ${this.m} ORDER BY updated_at DESC, row_id DESC LIMIT $1`,
          [limit],
        );
    return rows.map(toRecentRow);
  }

  async redrive(rowId: number, now: number): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE ${this.m} SET state = 'queued', attempts = 0, run_at = $2, dead_at = NULL, reconcile = false, updated_at = $2
        WHERE row_id = $1 AND state = 'dead'`,
      [rowId, now],
    );
    return res.rowCount === 1;
  }

  async purgeDead(deadBefore: number): Promise<number> {
    const res = await this.pool.query(`DELETE FROM ${this.m} WHERE state = 'dead' AND dead_at < $1`, [
      deadBefore,
    ]);
    return res.rowCount ?? 0;
  }

  async prune(sentBefore: number, limit: number): Promise<number> {
    const res = await this.pool.query(
      `WITH gone AS (
         DELETE FROM ${this.m} WHERE row_id IN (
           SELECT row_id FROM ${this.m} WHERE state = 'sent' AND sent_at < $1 ORDER BY sent_at LIMIT $2)
         RETURNING smsc_id),
       statuses AS (DELETE FROM ${this.st} s USING gone WHERE s.smsc_id = gone.smsc_id)
       SELECT COUNT(*)::int AS n FROM gone`,
      [sentBefore, limit],
    );
    return Number((res.rows[0] as { n: number } | undefined)?.n ?? 0);
  }

  async stats(now: number): Promise<StoreStats> {
    const { rows } = await this.pool.query<{ state: string; n: number; oldest: string | null }>(
      `SELECT state, COUNT(*)::int AS n,
              MIN(run_at) FILTER (WHERE state IN ('queued', 'unknown') AND run_at <= $1) AS oldest
         FROM ${this.m} GROUP BY state`,
      [now],
    );
    const byState = Object.fromEntries(ROW_STATES.map((s) => [s, 0])) as Record<RowState, number>;
    let oldestDueAt: number | null = null;
    for (const r of rows) {
      byState[r.state as RowState] = r.n;
      if (r.oldest !== null)
        oldestDueAt = oldestDueAt === null ? Number(r.oldest) : Math.min(oldestDueAt, Number(r.oldest));
    }
    return { byState, oldestDueAt, deadLetterDepth: byState.dead };
  }

  async close(): Promise<void> {
    // The pool belongs to the service that passed it in.
  }
}

function asQueryable(tx: unknown): Queryable {
  if (typeof tx === "object" && tx !== null && typeof (tx as { query?: unknown }).query === "function") {
    return tx as Queryable;
  }
  throw new OutboxConfigError("tx", "a PostgreSQL outbox takes the caller's pg client (inside BEGIN) as tx");
}

export function openPgStore(options: PgStoreOptions): PgStore {
  return new PgStore(options);
}
