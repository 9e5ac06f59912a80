/**
 * Versioned, locked migrations of the webhook store: a database created by the DDL every earlier release
 * ran (test/helpers/legacy-schema.ts) is upgraded in place with its rows intact, on SQLite files and on
 * PostgreSQL; concurrent migrators (processes on one file, pools on one schema) serialise.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openPgWebhookStore, openSqliteWebhookStore, type WebhookStore } from "../src/index.js";
import { statusCallback } from "./helpers/callbacks.js";
import {
  createLegacyPg,
  createLegacySqlite,
  type LegacyEvent,
  legacyReplayKey,
} from "./helpers/legacy-schema.js";
import { openTestPg, type TestPg } from "./helpers/pg.js";

const PHONE = "79990000001";
const t = (second: number) => new Date(Date.UTC(2026, 10, 20, 8, 0, second, 123));
// Today's rows: a final message with two status-20 rows that differ only in err (the replay attack the old
// key allowed), and a quiet, non-final message.
const EVENTS: LegacyEvent[] = [
  { id: "101", phone: PHONE, status: 20, err: 1, applied: true, eventAt: t(1), receivedAt: t(2) },
  { id: "101", phone: PHONE, status: 20, err: 6, applied: false, eventAt: null, receivedAt: t(3) },
  { id: "102", phone: PHONE, status: 0, err: null, applied: true, eventAt: null, receivedAt: t(4) },
];
const MESSAGES = [
  { id: "101", status: 20, err: 1, final: true, statusAt: t(1), first: t(2), last: t(3), events: 2 },
  { id: "102", status: 0, err: null, final: false, statusAt: t(4), first: t(4), last: t(4), events: 1 },
];

async function expectUpgraded(store: WebhookStore): Promise<void> {
  const history = await store.history("101", PHONE);
  expect(history.map((e) => [e.status, e.err, e.applied, e.receivedAt.getTime()])).toEqual([
    [20, 1, true, t(2).getTime()],
    [20, 6, false, t(3).getTime()],
  ]);
  expect(history[0]?.eventAt?.getTime()).toBe(t(1).getTime());
  expect(history[0]?.raw).toEqual({ legacy: "yes" });
  const state = await store.getMessage("101", PHONE);
  expect(state).toMatchObject({ status: 20, err: 1, final: true, events: 2 });
  expect([state?.statusAt, state?.firstHeardAt, state?.lastHeardAt].map((d) => d?.getTime())).toEqual([
    t(1).getTime(),
    t(2).getTime(),
    t(3).getTime(),
  ]);
  const quiet = await store.quietSince(new Date(t(4).getTime() + 1));
  expect(quiet.map((m) => m.id)).toEqual(["102"]);
  expect(await store.lastHeard("102")).toEqual(t(4));
  const [incoming] = await store.listIncoming();
  expect(incoming).toMatchObject({ id: "900", phone: PHONE, mes: "old text" });
  expect(incoming?.receivedAt.getTime()).toBe(t(5).getTime());

  // The rewritten replay keys: an old callback replayed with another unsigned err is a replay now.
  const replay = await store.recordStatus(
    statusCallback({ id: "101", phone: PHONE, status: 20, err: 9 }),
    t(9),
  );
  expect(replay.duplicate).toBe(true);
  const quietReplay = await store.recordStatus(
    statusCallback({ id: "102", phone: PHONE, status: 0, err: 3 }),
    t(9),
  );
  expect(quietReplay.duplicate).toBe(true);
  expect(await store.history("101", PHONE)).toHaveLength(2);
  // And new callbacks are stored and fold into the converted state.
  const next = await store.recordStatus(statusCallback({ id: "102", phone: PHONE, status: 1 }), t(10));
  expect(next).toMatchObject({ duplicate: false, applied: true });
  expect((await store.getMessage("102", PHONE))?.firstHeardAt.getTime()).toBe(t(4).getTime());
}

describe("webhook store migrations on SQLite files", () => {
  const dir = mkdtempSync(join(tmpdir(), "webhook-migrations-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const legacyFile = (name: string) => {
    const file = join(dir, name);
    const db = new Database(file);
    // As every earlier store left its file: in WAL mode (it set journal_mode on each open).
    db.pragma("journal_mode = WAL");
    createLegacySqlite(db);
    const insertEvent = db.prepare(
      `INSERT INTO smsc_webhook_events (replay_key, msg_id, phone, status, err, applied, event_at, received_at, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{"legacy":"yes"}')`,
    );
    for (const e of EVENTS) {
      insertEvent.run(
        legacyReplayKey(e),
        e.id,
        e.phone,
        e.status,
        e.err,
        e.applied ? 1 : 0,
        e.eventAt?.getTime() ?? null,
        e.receivedAt.getTime(),
      );
    }
    const insertMessage = db.prepare(
      `INSERT INTO smsc_webhook_messages VALUES (?, '${PHONE}', ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const m of MESSAGES) {
      insertMessage.run(
        m.id,
        m.status,
        m.err,
        m.final ? 1 : 0,
        m.statusAt.getTime(),
        m.first.getTime(),
        m.last.getTime(),
        m.events,
      );
    }
    db.prepare(
      `INSERT INTO smsc_webhook_incoming (replay_key, sms_id, phone, mes, received_at, raw) VALUES (?, '900', ?, 'old text', ?, '{}')`,
    ).run(JSON.stringify(["900", PHONE]), PHONE, t(5).getTime());
    db.close();
    return file;
  };
  const versions = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare("SELECT version FROM smsc_webhook_migrations ORDER BY version").all();
    } finally {
      db.close();
    }
  };

  it("upgrades a file created by today's DDL, keeping every row and its times", async () => {
    const file = legacyFile("legacy.db");
    const store = openSqliteWebhookStore({ filename: file });
    try {
      await expectUpgraded(store);
    } finally {
      await store.close();
    }
    expect(versions(file)).toEqual([{ version: 1 }, { version: 2 }]);
    // Opening again applies nothing twice.
    await openSqliteWebhookStore({ filename: file }).close();
    expect(versions(file)).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it("serialises processes that open one file at the same moment", async () => {
    const file = legacyFile("concurrent.db");
    const child = fileURLToPath(new URL("./helpers/open-sqlite-child.ts", import.meta.url));
    const processes = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ["--import", "tsx", child, file], { stdio: ["pipe", "pipe", "pipe"] }),
    );
    const outputs = processes.map((p) => {
      let out = "";
      let err = "";
      p.stdout.on("data", (chunk: Buffer) => {
        out += chunk;
      });
      p.stderr.on("data", (chunk: Buffer) => {
        err += chunk;
      });
      return {
        ready: new Promise<void>((resolve) => p.stdout.on("data", () => out.includes("ready") && resolve())),
        exit: new Promise<{ code: number | null; out: () => string; err: () => string }>((resolve) =>
          p.on("exit", (code) => resolve({ code, out: () => out, err: () => err })),
        ),
      };
    });
    await Promise.all(outputs.map((o) => o.ready));
    for (const p of processes) p.stdin.write("go\n");
    const results = await Promise.all(outputs.map((o) => o.exit));
    for (const r of results) {
      expect({ code: r.code, stderr: r.err(), migrated: r.out().includes("migrated") }).toEqual({
        code: 0,
        stderr: "",
        migrated: true,
      });
    }
    expect(versions(file)).toEqual([{ version: 1 }, { version: 2 }]);
    const store = openSqliteWebhookStore({ filename: file });
    try {
      await expectUpgraded(store);
    } finally {
      await store.close();
    }
  });
});

describe("webhook store migrations on PostgreSQL", () => {
  const handles: TestPg[] = [];
  afterAll(async () => {
    for (const handle of handles) await handle.drop();
  });
  const legacySchema = async (label: string): Promise<TestPg> => {
    const handle = await openTestPg(label);
    handles.push(handle);
    const { pool, schema } = handle;
    await createLegacyPg(pool, schema);
    const q = (name: string) => `"${schema}"."smsc_webhook_${name}"`;
    for (const e of EVENTS) {
      await pool.query(
        `INSERT INTO ${q("events")} (replay_key, msg_id, phone, status, err, applied, event_at, received_at, raw)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{"legacy":"yes"}')`,
        [legacyReplayKey(e), e.id, e.phone, e.status, e.err, e.applied, e.eventAt, e.receivedAt],
      );
    }
    for (const m of MESSAGES) {
      await pool.query(`INSERT INTO ${q("messages")} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        m.id,
        PHONE,
        m.status,
        m.err,
        m.final,
        m.statusAt,
        m.first,
        m.last,
        m.events,
      ]);
    }
    await pool.query(
      `INSERT INTO ${q("incoming")} (replay_key, sms_id, phone, mes, received_at, raw)
       VALUES ($1, '900', $2, 'old text', $3, '{}')`,
      [JSON.stringify(["900", PHONE]), PHONE, t(5)],
    );
    return handle;
  };
  const versions = async ({ pool, schema }: TestPg) =>
    (await pool.query(`SELECT version FROM "${schema}".smsc_webhook_migrations ORDER BY version`)).rows;

  it("upgrades a schema created by today's DDL to the outbox's time representation, keeping every row", async () => {
    const handle = await legacySchema("upgrade");
    const store = await openPgWebhookStore({ pool: handle.pool, schema: handle.schema });
    try {
      await expectUpgraded(store);
    } finally {
      await store.close();
    }
    expect(await versions(handle)).toEqual([{ version: 1 }, { version: 2 }]);
    const types = await handle.pool.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = $1 AND column_name LIKE '%_at' ORDER BY 1, 2`,
      [handle.schema],
    );
    expect(new Set(types.rows.map((r) => r.data_type))).toEqual(new Set(["bigint"]));
    // messages 3, events 2, incoming 2, and the migrations table's applied_at.
    expect(types.rows).toHaveLength(8);
    await (await openPgWebhookStore({ pool: handle.pool, schema: handle.schema })).close();
    expect(await versions(handle)).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it("serialises migrators starting together on one legacy schema (separate pools, as separate replicas)", async () => {
    const handle = await legacySchema("race");
    const pools = Array.from(
      { length: 4 },
      () => new pg.Pool({ host: "127.0.0.1", port: 5432, user: "postgres", database: "test", max: 2 }),
    );
    try {
      const stores = await Promise.all(
        pools.map((pool) => openPgWebhookStore({ pool, schema: handle.schema })),
      );
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
    expect(await versions(handle)).toEqual([{ version: 1 }, { version: 2 }]);
    const store = await openPgWebhookStore({ pool: handle.pool, schema: handle.schema });
    try {
      await expectUpgraded(store);
    } finally {
      await store.close();
    }
  });
});
