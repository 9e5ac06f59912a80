import { createSmscClient } from "@smsc-kit/core";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createOutbox, type Outbox, openPgStore } from "../src/index.js";
import { BALANCE_POLLING, MAX_CONCURRENT_REQUESTS } from "../src/protocol.js";
import { FAST } from "./support/harness.js";
import { dropSchema, openTestPool, uniqueSchema } from "./support/pg.js";
import { spawnWorker, stopWorker, type WorkerProc } from "./support/workers.js";

let pool: pg.Pool;
let sim: RunningSimulator;
let schema: string | undefined;
const workers: WorkerProc[] = [];
const outboxes: Outbox[] = [];

beforeAll(async () => {
  pool = await openTestPool(6);
});
afterAll(async () => {
  await pool.end();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map(stopWorker));
  await Promise.all(outboxes.splice(0).map((o) => o.stop({ timeoutMs: 2_000 })));
  await sim?.close();
  if (schema) await dropSchema(pool, schema);
  schema = undefined;
});

async function startSmsc(): Promise<void> {
  sim = await startSimulator({
    rules: { lifecycle: { handoffMs: 10, deliveryMs: 10 }, rateLimits: { "send-duplicate": false } },
    accounts: [{ login: "demo", psw: "demo", balance: 1_000_000 }],
    faults: [{ latencyMs: 40 }],
  });
}

function outboxOn(options: { probeIntervalMs: number }): Outbox {
  const client = createSmscClient(
    { login: "demo", psw: "demo" },
    {
      baseUrl: new URL(sim.url).origin,
      fallbackUrls: [],
      retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
    },
  );
  const outbox = createOutbox({ ...FAST, store: openPgStore({ pool, schema: schema! }), client, ...options });
  outboxes.push(outbox);
  return outbox;
}

const sends = () => {
  const byOperation = sim.inspector.counters().byOperation;
  return (byOperation.send_sms ?? 0) + (byOperation.send_sms2 ?? 0);
};
const probes = () => sim.inspector.counters().byOperation.get_balance ?? 0;

function expectExactlyOnce(smscIds: string[]): void {
  const seen = new Map<string, number>();
  for (const m of sim.inspector.messages()) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
  expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
  expect(seen.size).toBe(smscIds.length);
  for (const id of smscIds) expect(seen.get(id)).toBe(1);
}

describe("pause state shared by every process of an SMSC login", () => {
  it("of two outboxes on one store, the one SMSC never refused pauses through the store; both resume after a top-up", async () => {
    await startSmsc();
    schema = uniqueSchema("pause");
    sim.inspector.setBalance("demo", 0);
    const pair = [outboxOn({ probeIntervalMs: 1 }), outboxOn({ probeIntervalMs: 1 })];
    await pair[0]!.store.migrate();
    const paused: string[] = [];
    const resumed: string[] = [];
    pair.forEach((outbox, i) => {
      outbox.on("paused", (e) => paused.push(`${i}:${e.reason}`));
      outbox.on("resumed", () => resumed.push(String(i)));
    });
    const [row] = await pair[0]!.enqueue({ phones: "79990007777", mes: "pay me" });
    for (const outbox of pair) outbox.start({ concurrency: 1 });
    await vi.waitFor(async () => expect(paused.length === 2, "both paused").toBe(true), {
      timeout: 15_000,
      interval: 20,
    });
    expect(paused.sort()).toEqual(["0:funds", "1:funds"]);
    // One row, one refused send: whichever outbox did not send it learnt of the pause from the store.
    expect(sends()).toBe(1);
    for (const outbox of pair) expect(await outbox.stats()).toMatchObject({ paused: "funds" });
    sim.inspector.setBalance("demo", 100);
    await vi.waitFor(async () => expect(resumed.length === 2, "both resumed").toBe(true), {
      timeout: 15_000,
      interval: 20,
    });
    await vi.waitFor(
      async () => expect((await pair[0]!.get(row!.rowId))?.state === "sent", "sent after resume").toBe(true),
      { timeout: 15_000, interval: 20 },
    );
    expect(sim.inspector.messages().filter((m) => m.id === row!.smscId)).toHaveLength(1);
  }, 60_000);

  it("funds run out while three processes send: all stop, one probes, all resume after a top-up, none lost or doubled", async () => {
    await startSmsc();
    schema = uniqueSchema("pause3");
    const enqueuer = outboxOn({ probeIntervalMs: 1 });
    await enqueuer.store.migrate();
    // The catalog's balance-polling rule: probes are never more often than this, whatever the option says.
    const probeIntervalMs = Math.ceil(BALANCE_POLLING.windowMs / BALANCE_POLLING.limit);
    for (let i = 0; i < 3; i++) {
      workers.push(
        await spawnWorker({
          schema,
          simOrigin: new URL(sim.url).origin,
          appName: `pause${i}`,
          // One row per request, so sending is still under way when the funds run out.
          coalesce: false,
          concurrency: 6,
          leaseMs: 10_000,
          clientTimeoutMs: 8_000,
          probeIntervalMs,
        }),
      );
    }
    const rows = await enqueuer.enqueue(
      Array.from({ length: 900 }, (_, i) => ({ phones: `7995${String(i).padStart(7, "0")}`, mes: `p${i}` })),
    );
    await vi.waitFor(
      async () => expect((await enqueuer.stats()).byState.sent >= 150, "150 sent").toBe(true),
      { timeout: 60_000, interval: 20 },
    );
    sim.inspector.setBalance("demo", 0);
    await vi.waitFor(
      async () =>
        expect(
          workers.every((w) => w.paused.length > 0),
          "every process paused",
        ).toBe(true),
      { timeout: 30_000, interval: 20 },
    );
    const paused = workers.map((w) => w.paused[0]!);
    expect(Math.max(...paused) - Math.min(...paused)).toBeLessThan(1_000);
    const sendsWhenPaused = sends();
    const pausedAt = Math.max(...paused);
    const probesBefore = probes();
    // Two rounds of probing while the balance is still 0; one process probes per round.
    await vi.waitFor(async () => expect(probes() - probesBefore >= 2, "two balance probes").toBe(true), {
      timeout: 60_000,
      interval: 20,
    });
    const rounds = Math.floor((Date.now() - pausedAt) / probeIntervalMs) + 1;
    expect(probes() - probesBefore).toBeLessThanOrEqual(rounds);
    // Nothing new went out while paused: at most the requests already open when the last process paused.
    expect(sends() - sendsWhenPaused).toBeLessThanOrEqual(MAX_CONCURRENT_REQUESTS);
    expect(workers.every((w) => w.resumed.length === 0)).toBe(true);
    sim.inspector.setBalance("demo", 1_000_000);
    await vi.waitFor(
      async () =>
        expect(
          workers.every((w) => w.resumed.length > 0),
          "every process resumed",
        ).toBe(true),
      { timeout: 60_000, interval: 20 },
    );
    const resumed = workers.map((w) => w.resumed[0]!);
    expect(Math.max(...resumed) - Math.min(...resumed)).toBeLessThan(1_000);
    await vi.waitFor(
      async () => expect((await enqueuer.stats()).byState.sent === 900, "900 sent").toBe(true),
      { timeout: 120_000, interval: 20 },
    );
    expectExactlyOnce(rows.map((r) => r.smscId));
    expect((await enqueuer.stats()).deadLetterDepth).toBe(0);
  }, 240_000);
});
