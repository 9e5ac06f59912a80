/**
 * PostgreSQL store (pg). Each group-committed batch is one transaction: per-message advisory locks taken
 * in a fixed order serialise concurrent receivers (several processes may share the tables), then the
 * shared plan decides replays and transitions, and the rows are written with multi-row statements.
 */

import { createGroupCommit } from "@smsc-kit/runtime";
import type { Pool, PoolClient } from "pg";
import type { IncomingSms, StatusCallback } from "../callback.js";
import { type MessageState, messageKey, replayKey } from "../state-machine.js";
import { migratePgWebhookStore } from "./pg-migrations.js";
import { DEFAULT_MAX_EVENTS_PER_MESSAGE, type PendingStatus, planStatusBatch } from "./plan.js";
import { checkTablePrefix, incomingReplayKey } from "./shared.js";
import type {
  IncomingRecordResult,
  StatusRecordResult,
  StoredIncomingSms,
  StoredStatusEvent,
  WebhookStore,
} from "./types.js";

export interface PgWebhookStoreOptions {
  pool: Pool;
  /** Schema of the store's own tables (created when missing). Default `public`. */
  schema?: string;
  /** Prefix of the store's own tables. Default `smsc_webhook_`. */
  tablePrefix?: string;
  /**
   * Batches committed at once, each on its own pooled connection (default 2): one batch fills while
   * another waits for the server. Overlapping batches are serialised per message by advisory locks.
   */
  writeConcurrency?: number;
  /**
   * Status callbacks stored per message and phone, at most (default 32). Replays are stored once per signed
   * (id, phone, status), so this only bounds a message sent more distinct statuses than SMSC defines.
   */
  maxEventsPerMessage?: number;
}

interface MessageRow {
  msg_id: string;
  phone: string;
  status: number;
  err: number | null;
  final: boolean;
  status_at: string;
  first_heard_at: string;
  last_heard_at: string;
  events: number;
}

interface EventRow {
  seq: string;
  msg_id: string;
  phone: string;
  status: number;
  err: number | null;
  applied: boolean;
  event_at: string | null;
  received_at: string;
  raw: Record<string, string>;
}

interface IncomingRow {
  seq: string;
  sms_id: string | null;
  phone: string;
  mes: string;
  to_phone: string | null;
  received_at: string;
  raw: Record<string, string>;
}

export async function openPgWebhookStore(options: PgWebhookStoreOptions): Promise<WebhookStore> {
  const { pool } = options;
  const schema = checkTablePrefix(options.schema ?? "public", "schema");
  const prefix = checkTablePrefix(options.tablePrefix ?? "smsc_webhook_");
  const t = (name: string) => `"${schema}"."${prefix}${name}"`;
  const lockNamespace = `${schema}.${prefix}`;

  await migratePgWebhookStore(pool, { schema, prefix, table: t });
  const maxEvents = options.maxEventsPerMessage ?? DEFAULT_MAX_EVENTS_PER_MESSAGE;

  const writeStatuses = async (items: PendingStatus[]): Promise<StatusRecordResult[]> => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const results = await writeBatch(client, items);
      await client.query("COMMIT");
      return results;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  const writeBatch = async (client: PoolClient, items: PendingStatus[]): Promise<StatusRecordResult[]> => {
    const ids = items.map((i) => i.callback.id);
    const phones = items.map((i) => i.callback.phone);
    const lockKeys = items.map((i) => `${lockNamespace}:${messageKey(i.callback.id, i.callback.phone)}`);
    // Ordered lock acquisition: two receivers locking overlapping batches cannot deadlock.
    await client.query(
      `SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h
         FROM unnest($1::text[]) AS k) AS locks ORDER BY h`,
      [lockKeys],
    );
    const current = new Map<string, MessageState>();
    const states = await client.query<MessageRow>(
      `SELECT m.* FROM ${t("messages")} m JOIN unnest($1::text[], $2::text[]) AS k(msg_id, phone)
         ON m.msg_id = k.msg_id AND m.phone = k.phone`,
      [ids, phones],
    );
    for (const row of states.rows) current.set(messageKey(row.msg_id, row.phone), toState(row));
    const candidateKeys = items.map((i) => replayKey(i.callback));
    const stored = await client.query<{ replay_key: string }>(
      `SELECT replay_key FROM ${t("events")} WHERE replay_key = ANY($1::text[])`,
      [candidateKeys],
    );
    const plan = planStatusBatch(items, current, new Set(stored.rows.map((r) => r.replay_key)), maxEvents);

    if (plan.events.length > 0) {
      const e = plan.events;
      await client.query(
        `INSERT INTO ${t("events")} (replay_key, msg_id, phone, status, err, applied, event_at, received_at, raw)
         SELECT k, i, p, s, e, a, ea, ra, r::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::int[],
           $5::int[], $6::bool[], $7::bigint[], $8::bigint[], $9::text[]) AS x(k, i, p, s, e, a, ea, ra, r)`,
        [
          e.map((x) => x.key),
          e.map((x) => x.callback.id),
          e.map((x) => x.callback.phone),
          e.map((x) => x.callback.status),
          e.map((x) => x.callback.err ?? null),
          e.map((x) => x.applied),
          e.map((x) => x.callback.eventAt?.getTime() ?? null),
          e.map((x) => x.receivedAt.getTime()),
          e.map((x) => JSON.stringify(x.callback.raw)),
        ],
      );
    }
    if (plan.states.size > 0) {
      const s = [...plan.states.values()];
      await client.query(
        `INSERT INTO ${t("messages")} (msg_id, phone, status, err, final, status_at, first_heard_at, last_heard_at, events)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::bool[], $6::bigint[],
           $7::bigint[], $8::bigint[], $9::int[])
         ON CONFLICT (msg_id, phone) DO UPDATE SET status = excluded.status, err = excluded.err,
           final = excluded.final, status_at = excluded.status_at, last_heard_at = excluded.last_heard_at,
           events = excluded.events`,
        [
          s.map((x) => x.id),
          s.map((x) => x.phone),
          s.map((x) => x.status),
          s.map((x) => x.err ?? null),
          s.map((x) => x.final),
          s.map((x) => x.statusAt.getTime()),
          s.map((x) => x.firstHeardAt.getTime()),
          s.map((x) => x.lastHeardAt.getTime()),
          s.map((x) => x.events),
        ],
      );
    }
    return plan.results;
  };

  const statusCommits = createGroupCommit<PendingStatus, StatusRecordResult>(writeStatuses, {
    concurrency: options.writeConcurrency ?? 2,
  });

  return {
    recordStatus(callback: StatusCallback, receivedAt: Date) {
      return statusCommits.submit({ callback, receivedAt });
    },

    async recordIncoming(sms: IncomingSms, receivedAt: Date): Promise<IncomingRecordResult> {
      const key = incomingReplayKey(sms);
      const inserted = await pool.query<{ seq: string }>(
        `INSERT INTO ${t("incoming")} (replay_key, sms_id, phone, mes, to_phone, event_at, received_at, raw)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) ON CONFLICT (replay_key) DO NOTHING RETURNING seq`,
        [
          key,
          sms.id ?? null,
          sms.phone,
          sms.mes,
          sms.to ?? null,
          sms.eventAt?.getTime() ?? null,
          receivedAt.getTime(),
          JSON.stringify(sms.raw),
        ],
      );
      const row = inserted.rows[0];
      if (row) return { duplicate: false, seq: Number(row.seq) };
      const existing = await pool.query<{ seq: string }>(
        `SELECT seq FROM ${t("incoming")} WHERE replay_key = $1`,
        [key],
      );
      return { duplicate: true, seq: Number(existing.rows[0]?.seq ?? 0) };
    },

    async getMessage(id, phone) {
      const { rows } = await pool.query<MessageRow>(
        `SELECT * FROM ${t("messages")} WHERE msg_id = $1 AND phone = $2`,
        [id, phone],
      );
      return rows[0] ? toState(rows[0]) : undefined;
    },

    async listMessage(id) {
      const { rows } = await pool.query<MessageRow>(
        `SELECT * FROM ${t("messages")} WHERE msg_id = $1 ORDER BY phone`,
        [id],
      );
      return rows.map(toState);
    },

    async history(id, phone) {
      const { rows } = await pool.query<EventRow>(
        `SELECT * FROM ${t("events")} WHERE msg_id = $1 AND ($2::text IS NULL OR phone = $2) ORDER BY seq`,
        [id, phone ?? null],
      );
      return rows.map(toEvent);
    },

    async historyOf(ids) {
      const { rows } = await pool.query<EventRow>(
        `SELECT * FROM ${t("events")} WHERE msg_id = ANY($1::text[]) ORDER BY seq`,
        [ids],
      );
      return rows.map(toEvent);
    },

    async lastHeard(id, phone) {
      const { rows } = await pool.query<{ at: string | null }>(
        `SELECT max(last_heard_at) AS at FROM ${t("messages")} WHERE msg_id = $1 AND ($2::text IS NULL OR phone = $2)`,
        [id, phone ?? null],
      );
      const at = rows[0]?.at;
      return at === null || at === undefined ? undefined : fromMillis(at);
    },

    async quietSince(before, options = {}) {
      const { rows } = await pool.query<MessageRow>(
        `SELECT * FROM ${t("messages")} WHERE NOT final AND last_heard_at < $1 ORDER BY last_heard_at LIMIT $2`,
        [before.getTime(), options.limit ?? 1000],
      );
      return rows.map(toState);
    },

    async listIncoming(options = {}) {
      const { rows } = await pool.query<IncomingRow>(
        `SELECT * FROM ${t("incoming")} WHERE seq > $1 ORDER BY seq LIMIT $2`,
        [options.afterSeq ?? 0, options.limit ?? 1000],
      );
      return rows.map(toIncoming);
    },

    async stats() {
      const { rows } = await pool.query<{ messages: string; events: string; incoming: string }>(
        `SELECT (SELECT count(*) FROM ${t("messages")}) AS messages, (SELECT count(*) FROM ${t("events")}) AS events,
           (SELECT count(*) FROM ${t("incoming")}) AS incoming`,
      );
      const row = rows[0];
      return {
        messages: Number(row?.messages),
        events: Number(row?.events),
        incoming: Number(row?.incoming),
      };
    },

    async close() {
      // The pool belongs to the caller; only pending writes are awaited.
      await statusCommits.drain();
    },
  };
}

function toState(row: MessageRow): MessageState {
  return {
    id: row.msg_id,
    phone: row.phone,
    status: row.status,
    final: row.final,
    statusAt: fromMillis(row.status_at),
    firstHeardAt: fromMillis(row.first_heard_at),
    lastHeardAt: fromMillis(row.last_heard_at),
    events: row.events,
    ...(row.err !== null ? { err: row.err } : {}),
  };
}

function toEvent(row: EventRow): StoredStatusEvent {
  return {
    seq: Number(row.seq),
    id: row.msg_id,
    phone: row.phone,
    status: row.status,
    applied: row.applied,
    receivedAt: fromMillis(row.received_at),
    raw: row.raw,
    ...(row.err !== null ? { err: row.err } : {}),
    ...(row.event_at !== null ? { eventAt: fromMillis(row.event_at) } : {}),
  };
}

function toIncoming(row: IncomingRow): StoredIncomingSms {
  return {
    seq: Number(row.seq),
    phone: row.phone,
    mes: row.mes,
    receivedAt: fromMillis(row.received_at),
    raw: row.raw,
    ...(row.sms_id !== null ? { id: row.sms_id } : {}),
    ...(row.to_phone !== null ? { to: row.to_phone } : {}),
  };
}

/** Times are bigint milliseconds since the epoch (as in the outbox's tables); pg returns bigint as a string. */
function fromMillis(value: string): Date {
  return new Date(Number(value));
}
