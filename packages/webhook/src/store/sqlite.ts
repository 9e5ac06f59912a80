/**
 * SQLite store (better-sqlite3). WAL with synchronous=FULL by default: a commit is on disk before the
 * receiver answers 200. Concurrent callbacks share one transaction through group commit.
 */

import { createGroupCommit } from "@smsc-kit/runtime";
import Database from "better-sqlite3";
import type { IncomingSms, StatusCallback } from "../callback.js";
import { type MessageState, messageKey, replayKey } from "../state-machine.js";
import { DEFAULT_MAX_EVENTS_PER_MESSAGE, type PendingStatus, planStatusBatch } from "./plan.js";
import { checkTablePrefix, incomingReplayKey } from "./shared.js";
import { migrateSqliteWebhookStore } from "./sqlite-migrations.js";
import type {
  IncomingRecordResult,
  StatusRecordResult,
  StoredIncomingSms,
  StoredStatusEvent,
  WebhookStore,
} from "./types.js";

export interface SqliteWebhookStoreOptions {
  /** A file path (or ":memory:"). Ignored when `database` is given. */
  filename?: string;
  /** An already open better-sqlite3 database; the store will not close it. */
  database?: Database.Database;
  /** Prefix of the store's own tables. Default `smsc_webhook_`. */
  tablePrefix?: string;
  /** FULL (default) survives power loss; NORMAL survives a process crash only. */
  synchronous?: "FULL" | "NORMAL";
  /** How long a write waits for another connection's lock (ms, default 5000), e.g. an outbox on the same file. */
  busyTimeoutMs?: number;
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
  final: number;
  status_at: number;
  first_heard_at: number;
  last_heard_at: number;
  events: number;
}

interface EventRow {
  seq: number;
  msg_id: string;
  phone: string;
  status: number;
  err: number | null;
  applied: number;
  event_at: number | null;
  received_at: number;
  raw: string;
}

interface IncomingRow {
  seq: number;
  sms_id: string | null;
  phone: string;
  mes: string;
  to_phone: string | null;
  received_at: number;
  raw: string;
}

export function openSqliteWebhookStore(options: SqliteWebhookStoreOptions = {}): WebhookStore {
  const prefix = checkTablePrefix(options.tablePrefix ?? "smsc_webhook_");
  const ownsDatabase = options.database === undefined;
  const db = options.database ?? new Database(options.filename ?? ":memory:");
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  migrateSqliteWebhookStore(db, prefix);
  const maxEvents = options.maxEventsPerMessage ?? DEFAULT_MAX_EVENTS_PER_MESSAGE;

  const selectState = db.prepare<[string, string], MessageRow>(
    `SELECT * FROM ${prefix}messages WHERE msg_id = ? AND phone = ?`,
  );
  const selectStates = db.prepare<[string], MessageRow>(
    `SELECT * FROM ${prefix}messages WHERE msg_id = ? ORDER BY phone`,
  );
  const hasReplayKey = db.prepare<[string], { one: number }>(
    `SELECT 1 AS one FROM ${prefix}events WHERE replay_key = ?`,
  );
  const insertEvent = db.prepare(
    `INSERT INTO ${prefix}events (replay_key, msg_id, phone, status, err, applied, event_at, received_at, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertState = db.prepare(
    `INSERT INTO ${prefix}messages (msg_id, phone, status, err, final, status_at, first_heard_at, last_heard_at, events)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (msg_id, phone) DO UPDATE SET status = excluded.status, err = excluded.err, final = excluded.final,
       status_at = excluded.status_at, last_heard_at = excluded.last_heard_at, events = excluded.events`,
  );
  const insertIncoming = db.prepare(
    `INSERT INTO ${prefix}incoming (replay_key, sms_id, phone, mes, to_phone, event_at, received_at, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (replay_key) DO NOTHING`,
  );
  const selectIncomingByKey = db.prepare<[string], { seq: number }>(
    `SELECT seq FROM ${prefix}incoming WHERE replay_key = ?`,
  );

  const writeStatuses = db.transaction((items: PendingStatus[]): StatusRecordResult[] => {
    const current = new Map<string, MessageState>();
    const stored = new Set<string>();
    for (const { callback } of items) {
      const mKey = messageKey(callback.id, callback.phone);
      if (!current.has(mKey)) {
        const row = selectState.get(callback.id, callback.phone);
        if (row) current.set(mKey, toState(row));
      }
      const key = replayKey(callback);
      if (hasReplayKey.get(key)) stored.add(key);
    }
    const plan = planStatusBatch(items, current, stored, maxEvents);
    for (const event of plan.events) {
      const cb = event.callback;
      insertEvent.run(
        event.key,
        cb.id,
        cb.phone,
        cb.status,
        cb.err ?? null,
        event.applied ? 1 : 0,
        cb.eventAt?.getTime() ?? null,
        event.receivedAt.getTime(),
        JSON.stringify(cb.raw),
      );
    }
    for (const state of plan.states.values()) {
      upsertState.run(
        state.id,
        state.phone,
        state.status,
        state.err ?? null,
        state.final ? 1 : 0,
        state.statusAt.getTime(),
        state.firstHeardAt.getTime(),
        state.lastHeardAt.getTime(),
        state.events,
      );
    }
    return plan.results;
  });

  // IMMEDIATE takes the write lock up front, so a second process cannot interleave between read and write.
  const statusCommits = createGroupCommit<PendingStatus, StatusRecordResult>((items) =>
    writeStatuses.immediate(items),
  );

  return {
    recordStatus(callback: StatusCallback, receivedAt: Date) {
      return statusCommits.submit({ callback, receivedAt });
    },

    async recordIncoming(sms: IncomingSms, receivedAt: Date): Promise<IncomingRecordResult> {
      const key = incomingReplayKey(sms);
      const info = insertIncoming.run(
        key,
        sms.id ?? null,
        sms.phone,
        sms.mes,
        sms.to ?? null,
        sms.eventAt?.getTime() ?? null,
        receivedAt.getTime(),
        JSON.stringify(sms.raw),
      );
      if (info.changes === 1) return { duplicate: false, seq: Number(info.lastInsertRowid) };
      return { duplicate: true, seq: key === null ? 0 : (selectIncomingByKey.get(key)?.seq ?? 0) };
    },

    async getMessage(id, phone) {
      const row = selectState.get(id, phone);
      return row ? toState(row) : undefined;
    },

    async listMessage(id) {
      return selectStates.all(id).map(toState);
    },

    async history(id, phone) {
      const rows =
        phone === undefined
          ? db
              .prepare<[string], EventRow>(`SELECT * FROM ${prefix}events WHERE msg_id = ? ORDER BY seq`)
              .all(id)
          : db
              .prepare<[string, string], EventRow>(
                `SELECT * FROM ${prefix}events WHERE msg_id = ? AND phone = ? ORDER BY seq`,
              )
              .all(id, phone);
      return rows.map(toEvent);
    },

    async historyOf(ids) {
      // One bound JSON array instead of one placeholder per id: no statement per page size.
      return db
        .prepare<[string], EventRow>(
          `SELECT * FROM ${prefix}events WHERE msg_id IN (SELECT value FROM json_each(?)) ORDER BY seq`,
        )
        .all(JSON.stringify(ids))
        .map(toEvent);
    },

    async lastHeard(id, phone) {
      const row =
        phone === undefined
          ? db
              .prepare<[string], { at: number | null }>(
                `SELECT max(last_heard_at) AS at FROM ${prefix}messages WHERE msg_id = ?`,
              )
              .get(id)
          : db
              .prepare<[string, string], { at: number | null }>(
                `SELECT last_heard_at AS at FROM ${prefix}messages WHERE msg_id = ? AND phone = ?`,
              )
              .get(id, phone);
      return row?.at == null ? undefined : new Date(row.at);
    },

    async quietSince(before, options = {}) {
      return db
        .prepare<[number, number], MessageRow>(
          `SELECT * FROM ${prefix}messages WHERE final = 0 AND last_heard_at < ? ORDER BY last_heard_at LIMIT ?`,
        )
        .all(before.getTime(), options.limit ?? 1000)
        .map(toState);
    },

    async listIncoming(options = {}) {
      return db
        .prepare<[number, number], IncomingRow>(
          `SELECT * FROM ${prefix}incoming WHERE seq > ? ORDER BY seq LIMIT ?`,
        )
        .all(options.afterSeq ?? 0, options.limit ?? 1000)
        .map(toIncoming);
    },

    async stats() {
      const count = (table: string) =>
        db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${prefix}${table}`).get()?.n ?? 0;
      return { messages: count("messages"), events: count("events"), incoming: count("incoming") };
    },

    async close() {
      await statusCommits.drain();
      if (ownsDatabase && db.open) db.close();
    },
  };
}

function toState(row: MessageRow): MessageState {
  return {
    id: row.msg_id,
    phone: row.phone,
    status: row.status,
    final: row.final === 1,
    statusAt: new Date(row.status_at),
    firstHeardAt: new Date(row.first_heard_at),
    lastHeardAt: new Date(row.last_heard_at),
    events: row.events,
    ...(row.err !== null ? { err: row.err } : {}),
  };
}

function toEvent(row: EventRow): StoredStatusEvent {
  return {
    seq: row.seq,
    id: row.msg_id,
    phone: row.phone,
    status: row.status,
    applied: row.applied === 1,
    receivedAt: new Date(row.received_at),
    raw: JSON.parse(row.raw) as Record<string, string>,
    ...(row.err !== null ? { err: row.err } : {}),
    ...(row.event_at !== null ? { eventAt: new Date(row.event_at) } : {}),
  };
}

function toIncoming(row: IncomingRow): StoredIncomingSms {
  return {
    seq: row.seq,
    phone: row.phone,
    mes: row.mes,
    receivedAt: new Date(row.received_at),
    raw: JSON.parse(row.raw) as Record<string, string>,
    ...(row.sms_id !== null ? { id: row.sms_id } : {}),
    ...(row.to_phone !== null ? { to: row.to_phone } : {}),
  };
}
