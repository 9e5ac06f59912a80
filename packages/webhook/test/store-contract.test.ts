/**
 * One behavioural suite, run against both durable stores: SQLite (a real file) and PostgreSQL (the real
 * server, a schema of its own).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openPgWebhookStore,
  openSqliteWebhookStore,
  parseCallback,
  type WebhookStore,
} from "../src/index.js";
import { statusCallback } from "./helpers/callbacks.js";
import { openTestPg, type TestPg } from "./helpers/pg.js";

const at = (second: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, second));
let uniq = 0;
const newId = () => `m${process.pid}-${++uniq}`;

interface StoreFactory {
  name: string;
  open(): Promise<WebhookStore>;
  /** The same tables, opened with a history cap of `maxEventsPerMessage`. */
  openCapped(maxEventsPerMessage: number): Promise<WebhookStore>;
  cleanup(): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), "webhook-store-"));
let pgHandle: TestPg | undefined;

const factories: StoreFactory[] = [
  {
    name: "sqlite",
    async open() {
      return openSqliteWebhookStore({ filename: join(dir, "store.db") });
    },
    async openCapped(maxEventsPerMessage) {
      return openSqliteWebhookStore({ filename: join(dir, "store.db"), maxEventsPerMessage });
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  },
  {
    name: "postgres",
    async open() {
      pgHandle ??= await openTestPg("store");
      return openPgWebhookStore({ pool: pgHandle.pool, schema: pgHandle.schema });
    },
    async openCapped(maxEventsPerMessage) {
      pgHandle ??= await openTestPg("store");
      return openPgWebhookStore({ pool: pgHandle.pool, schema: pgHandle.schema, maxEventsPerMessage });
    },
    async cleanup() {
      await pgHandle?.drop();
    },
  },
];

describe.each(factories)("webhook store on $name", (factory) => {
  let store: WebhookStore;
  beforeAll(async () => {
    store = await factory.open();
  });
  afterAll(async () => {
    await store.close();
    await factory.cleanup();
  });

  it("stores the first callback of a message as its state", async () => {
    const id = newId();
    const result = await store.recordStatus(statusCallback({ id, phone: "79990000001", status: 0 }), at(1));
    expect(result).toMatchObject({ duplicate: false, applied: true });
    expect(result.previous).toBeUndefined();
    const state = await store.getMessage(id, "79990000001");
    expect(state).toMatchObject({ id, phone: "79990000001", status: 0, final: false, events: 1 });
    expect(state?.firstHeardAt.getTime()).toBe(at(1).getTime());
  });

  it("stores a replay once and reports it as a duplicate", async () => {
    const id = newId();
    const cb = statusCallback({ id, phone: "79990000002", status: 20, err: 1 });
    await store.recordStatus(cb, at(1));
    const replay = await store.recordStatus(cb, at(2));
    expect(replay).toMatchObject({ duplicate: true, applied: false });
    expect(replay.current.status).toBe(20);
    expect(await store.history(id)).toHaveLength(1);
    expect((await store.getMessage(id, "79990000002"))?.events).toBe(1);
  });

  it("counts messages, stored callbacks and incoming SMS", async () => {
    const before = await store.stats();
    const id = newId();
    await store.recordStatus(statusCallback({ id, phone: "1", status: 0 }), at(1));
    await store.recordStatus(statusCallback({ id, phone: "1", status: 0 }), at(2));
    await store.recordStatus(statusCallback({ id, phone: "2", status: 1 }), at(3));
    const after = await store.stats();
    expect(after.messages - before.messages).toBe(2);
    expect(after.events - before.events).toBe(2);
    expect(after.incoming).toBe(before.incoming);
  });

  it("reads the history of several messages in one call, each callback once, in stored order", async () => {
    const [first, second, untouched] = [newId(), newId(), newId()];
    await store.recordStatus(statusCallback({ id: first, phone: "79990000011", status: 0 }), at(1));
    await store.recordStatus(statusCallback({ id: second, phone: "79990000012", status: 0 }), at(2));
    await store.recordStatus(statusCallback({ id: first, phone: "79990000011", status: 1 }), at(3));
    await store.recordStatus(statusCallback({ id: untouched, phone: "79990000013", status: 1 }), at(4));
    const events = await store.historyOf([first, second, "never-heard"]);
    expect(events.map((e) => [e.id, e.status])).toEqual([
      [first, 0],
      [second, 0],
      [first, 1],
    ]);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    expect(await store.historyOf([])).toEqual([]);
  });

  it("treats the same status with another err as a replay: unsigned fields never add a row", async () => {
    const id = newId();
    await store.recordStatus(statusCallback({ id, phone: "79990000003", status: 20, err: 1 }), at(1));
    const other = await store.recordStatus(
      statusCallback({ id, phone: "79990000003", status: 20, err: 6, cost: "9.99" }),
      at(2),
    );
    expect(other.duplicate).toBe(true);
    const history = await store.history(id);
    expect(history).toHaveLength(1);
    expect(history[0]?.err).toBe(1);
    expect((await store.getMessage(id, "79990000003"))?.err).toBe(1);
  });

  it("caps a message's stored history, while later callbacks still move its state", async () => {
    const capped = await factory.openCapped(2);
    try {
      const id = newId();
      const phone = "79990000013";
      for (const [second, status] of [
        [1, -1],
        [2, 0],
        [3, 1],
      ] as const) {
        await capped.recordStatus(statusCallback({ id, phone, status }), at(second));
      }
      expect((await capped.history(id, phone)).map((e) => e.status)).toEqual([-1, 0]);
      expect(await capped.getMessage(id, phone)).toMatchObject({ status: 1, final: true, events: 2 });
    } finally {
      await capped.close();
    }
  });

  it("keeps a late intermediate callback in history without moving a final state back", async () => {
    const id = newId();
    const phone = "79990000004";
    await store.recordStatus(statusCallback({ id, phone, status: 1, err: 0 }), at(1));
    const late = await store.recordStatus(statusCallback({ id, phone, status: 0 }), at(2));
    expect(late).toMatchObject({ duplicate: false, applied: false });
    const state = await store.getMessage(id, phone);
    expect(state).toMatchObject({ status: 1, final: true, err: 0, events: 2 });
    expect(state?.lastHeardAt.getTime()).toBe(at(2).getTime());
    const history = await store.history(id, phone);
    expect(history.map((e) => [e.status, e.applied])).toEqual([
      [1, true],
      [0, false],
    ]);
  });

  it("lets delivered become read, and a failure never return to waiting", async () => {
    const id = newId();
    await store.recordStatus(statusCallback({ id, phone: "1", status: -1 }), at(1));
    await store.recordStatus(statusCallback({ id, phone: "1", status: 0 }), at(2));
    await store.recordStatus(statusCallback({ id, phone: "1", status: 1 }), at(3));
    const read = await store.recordStatus(statusCallback({ id, phone: "1", status: 2 }), at(4));
    expect(read).toMatchObject({ applied: true, current: { status: 2 } });

    const failed = newId();
    await store.recordStatus(statusCallback({ id: failed, phone: "1", status: 20, err: 13 }), at(1));
    const back = await store.recordStatus(statusCallback({ id: failed, phone: "1", status: -1 }), at(2));
    expect(back.applied).toBe(false);
    expect((await store.getMessage(failed, "1"))?.status).toBe(20);
  });

  it("tracks each phone of a multi-recipient message separately", async () => {
    const id = newId();
    await store.recordStatus(statusCallback({ id, phone: "79990000011", status: 1 }), at(1));
    await store.recordStatus(statusCallback({ id, phone: "79990000012", status: 20, err: 6 }), at(2));
    await store.recordStatus(statusCallback({ id, phone: "79990000013", status: 0 }), at(3));
    const states = await store.listMessage(id);
    expect(states.map((s) => [s.phone, s.status])).toEqual([
      ["79990000011", 1],
      ["79990000012", 20],
      ["79990000013", 0],
    ]);
    expect((await store.lastHeard(id))?.getTime()).toBe(at(3).getTime());
    expect((await store.lastHeard(id, "79990000011"))?.getTime()).toBe(at(1).getTime());
    expect(await store.lastHeard(newId())).toBeUndefined();
  });

  it("lists non-final messages that have been quiet since a moment, for reconcile polling", async () => {
    const quiet = newId();
    const done = newId();
    const recent = newId();
    const old = new Date(Date.UTC(2020, 0, 1));
    await store.recordStatus(statusCallback({ id: quiet, phone: "1", status: 0 }), old);
    await store.recordStatus(statusCallback({ id: done, phone: "1", status: 1 }), old);
    await store.recordStatus(statusCallback({ id: recent, phone: "1", status: 0 }), at(1));
    const candidates = await store.quietSince(new Date(Date.UTC(2021, 0, 1)));
    const ids = candidates.map((c) => c.id);
    expect(ids).toContain(quiet);
    expect(ids).not.toContain(done);
    expect(ids).not.toContain(recent);
  });

  it("keeps fields it does not know, raw, in the history", async () => {
    const id = newId();
    await store.recordStatus(
      statusCallback({ id, phone: "1", status: 1, imsi: "250011234567890", mystery: "Привет" }),
      at(1),
    );
    const [event] = await store.history(id);
    expect(event?.raw).toMatchObject({ imsi: "250011234567890", mystery: "Привет" });
  });

  it("applies concurrent callbacks for one message in arrival order within one commit", async () => {
    const id = newId();
    const phone = "79990000020";
    const results = await Promise.all([
      store.recordStatus(statusCallback({ id, phone, status: 1 }), at(1)),
      store.recordStatus(statusCallback({ id, phone, status: 0 }), at(2)),
      store.recordStatus(statusCallback({ id, phone, status: 1 }), at(3)),
      store.recordStatus(statusCallback({ id, phone, status: 2 }), at(4)),
    ]);
    expect(results.map((r) => [r.duplicate, r.applied])).toEqual([
      [false, true],
      [false, false],
      [true, false],
      [false, true],
    ]);
    expect((await store.getMessage(id, phone))?.status).toBe(2);
    expect(await store.history(id)).toHaveLength(3);
  });

  it("ends in the same state whatever order a storm of concurrent callbacks and replays arrives in", async () => {
    const ids = Array.from({ length: 15 }, () => newId());
    // Every message hears 0, 1 and 2 (read), each twice, in an order that differs per message.
    const calls = ids.flatMap((id, i) => {
      const order = [0, 1, 2, 0, 1, 2];
      for (let k = 0; k < i % 6; k++) order.push(order.shift()!);
      return order.map(
        (status, k) => () => store.recordStatus(statusCallback({ id, phone: "5", status }), at(k)),
      );
    });
    const results = await Promise.all(calls.map((call) => call()));
    expect(results.filter((r) => r.duplicate)).toHaveLength(ids.length * 3);
    for (const id of ids) {
      expect(await store.getMessage(id, "5")).toMatchObject({ status: 2, events: 3 });
      expect((await store.history(id)).map((e) => e.status).sort()).toEqual([0, 1, 2]);
    }
  });

  it("stores incoming SMS and deduplicates them on SMSC's id", async () => {
    const sms = parseCallback({ id: newId(), phone: "79991112233", mes: "Ответ: да", to: "79990000000" });
    if (sms.kind !== "incoming") throw new Error("expected incoming");
    const first = await store.recordIncoming(sms, at(1));
    const again = await store.recordIncoming(sms, at(2));
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ duplicate: true, seq: first.seq });
    const listed = await store.listIncoming({ afterSeq: first.seq - 1 });
    expect(listed[0]).toMatchObject({
      id: sms.id,
      phone: "79991112233",
      mes: "Ответ: да",
      to: "79990000000",
    });
  });
});

describe("postgres store with two receivers sharing the tables", () => {
  let handle: TestPg;
  beforeAll(async () => {
    handle = await openTestPg("shared");
  });
  afterAll(async () => {
    await handle.drop();
  });

  it("never lets one receiver move a message back that the other moved forward", async () => {
    const a = await openPgWebhookStore({ pool: handle.pool, schema: handle.schema });
    const b = await openPgWebhookStore({ pool: handle.pool, schema: handle.schema });
    const ids = Array.from({ length: 20 }, () => newId());
    // Each message gets its final status through one receiver and a late intermediate through the other.
    await Promise.all(
      ids.flatMap((id, i) => [
        (i % 2 ? a : b).recordStatus(statusCallback({ id, phone: "1", status: 1 }), at(1)),
        (i % 2 ? b : a).recordStatus(statusCallback({ id, phone: "1", status: 0 }), at(2)),
      ]),
    );
    for (const id of ids) {
      const state = await a.getMessage(id, "1");
      expect(state?.status).toBe(1);
      expect(state?.events).toBe(2);
    }
    await a.close();
    await b.close();
  });
});
