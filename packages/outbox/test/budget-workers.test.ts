import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient } from "@smsc-kit/core";
import { type FaultRule, type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createOutbox, type Outbox, type OutboxStore, openPgStore, openSqliteStore } from "../src/index.js";
import { MAX_CONCURRENT_REQUESTS } from "../src/protocol.js";
import { type ConcurrencyProxy, startConcurrencyProxy } from "./support/concurrency-proxy.js";
import { dropSchema, openTestPool, uniqueSchema } from "./support/pg.js";
import { spawnWorker, stopWorker, type WorkerProc } from "./support/workers.js";

let pool: pg.Pool;
let sim: RunningSimulator;
let proxy: ConcurrencyProxy;
let schema: string | undefined;
let dir: string | undefined;
let stores: OutboxStore[] = [];
const workers: WorkerProc[] = [];

beforeAll(async () => {
  pool = await openTestPool(4);
});
afterAll(async () => {
  await pool.end();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map(stopWorker));
  await proxy?.close();
  await sim?.close();
  for (const store of stores) await store.close();
  stores = [];
  if (schema) await dropSchema(pool, schema);
  if (dir) rmSync(dir, { recursive: true, force: true });
  schema = undefined;
  dir = undefined;
});

/**
 * The simulator with the catalog's rate rules on (the per-login concurrency rule answers error 9) and every
 * request answered after a delay, so requests overlap as they do against SMSC; a proxy counts them in flight.
 */
async function startSmsc(faults: FaultRule[] = []): Promise<void> {
  sim = await startSimulator({
    rules: { lifecycle: { handoffMs: 10, deliveryMs: 10 }, rateLimits: { "send-duplicate": false } },
    accounts: [{ login: "demo", psw: "demo", balance: 1_000_000 }],
    faults: [...faults, { latencyMs: 40 }],
  });
  proxy = await startConcurrencyProxy(new URL(sim.url).origin);
}

function enqueuer(store: OutboxStore): Outbox {
  stores.push(store);
  const client = createSmscClient(
    { login: "demo", psw: "demo" },
    { baseUrl: proxy.origin, fallbackUrls: [] },
  );
  return createOutbox({ store, client });
}

function messages(n: number, prefix: string): { phones: string; mes: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    phones: `${prefix}${String(i).padStart(6, "0")}`,
    mes: `b${i}`,
  }));
}

/** Every row accepted exactly once by the simulator, none refused for concurrency, the login's cap kept. */
async function expectOneBudget(outbox: Outbox, smscIds: string[]): Promise<void> {
  await vi.waitFor(
    async () => expect((await outbox.stats()).byState.sent === smscIds.length, "all sent").toBe(true),
    { timeout: 150_000, interval: 20 },
  );
  const seen = new Map<string, number>();
  for (const m of sim.inspector.messages()) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
  expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
  expect(seen.size).toBe(smscIds.length);
  for (const id of smscIds) expect(seen.get(id)).toBe(1);
  const counters = sim.inspector.counters();
  expect(counters.errors["9"] ?? 0).toBe(0);
  // The simulator's own count per login, and the proxy's count of requests open at once.
  expect(counters.logins.demo?.error9).toBe(0);
  expect(counters.logins.demo?.highestConcurrency.send).toBeLessThanOrEqual(MAX_CONCURRENT_REQUESTS);
  expect(proxy.maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENT_REQUESTS);
  const reported = () => workers.reduce((n, w) => n + w.sent.length, 0);
  await vi.waitFor(async () => expect(reported() >= smscIds.length, "every worker report read").toBe(true), {
    timeout: 10_000,
    interval: 20,
  });
  for (const w of workers) expect(w.sent.length).toBeGreaterThan(0);
}

describe("one SMSC budget per login, shared by every worker process on the store", () => {
  it("four processes on one PostgreSQL schema, each with the default cap: no error 9, each message once", async () => {
    await startSmsc();
    schema = uniqueSchema("budget");
    const outbox = enqueuer(openPgStore({ pool, schema }));
    await outbox.store.migrate();
    for (let i = 0; i < 4; i++) {
      workers.push(
        await spawnWorker({
          // One row per request: this proves the shared request budget, which batches would leave mostly idle.
          coalesce: false,
          schema,
          simOrigin: proxy.origin,
          appName: `budget${i}`,
          concurrency: MAX_CONCURRENT_REQUESTS,
          maxRequests: "default",
          leaseMs: 10_000,
          clientTimeoutMs: 8_000,
        }),
      );
    }
    const rows = await outbox.enqueue(messages(1_200, "7997"));
    await expectOneBudget(
      outbox,
      rows.map((r) => r.smscId),
    );
  }, 180_000);

  it("two processes on one SQLite file, each with the default cap: no error 9, each message once", async () => {
    await startSmsc();
    dir = mkdtempSync(join(tmpdir(), "outbox-budget-"));
    const sqliteFile = join(dir, "outbox.db");
    const outbox = enqueuer(openSqliteStore({ filename: sqliteFile }));
    await outbox.store.migrate();
    for (let i = 0; i < 2; i++) {
      workers.push(
        await spawnWorker({
          // One row per request: this proves the shared request budget, which batches would leave mostly idle.
          coalesce: false,
          schema: "unused",
          sqliteFile,
          simOrigin: proxy.origin,
          appName: `sqlite${i}`,
          concurrency: MAX_CONCURRENT_REQUESTS,
          maxRequests: "default",
          leaseMs: 10_000,
          clientTimeoutMs: 8_000,
        }),
      );
    }
    const rows = await outbox.enqueue(messages(600, "7996"));
    await expectOneBudget(
      outbox,
      rows.map((r) => r.smscId),
    );
  }, 180_000);

  it("a process killed while it holds every slot: its slots come back within one lease and another process sends", async () => {
    // The victim's first 14 requests (to 7990…) hang at SMSC, so it holds the login's whole budget when it dies.
    await startSmsc([{ match: { phonePrefix: "7990" }, latencyMs: 5_000, times: MAX_CONCURRENT_REQUESTS }]);
    schema = uniqueSchema("budgetkill");
    const outbox = enqueuer(openPgStore({ pool, schema }));
    await outbox.store.migrate();
    await outbox.enqueue(messages(MAX_CONCURRENT_REQUESTS, "7990"));
    const budgetLeaseMs = 2_000;
    const victim = await spawnWorker({
      // One row per request: this proves the shared request budget, which batches would leave mostly idle.
      coalesce: false,
      schema,
      simOrigin: proxy.origin,
      appName: "victim",
      concurrency: MAX_CONCURRENT_REQUESTS,
      maxRequests: "default",
      leaseMs: 30_000,
      clientTimeoutMs: 25_000,
      budgetLeaseMs,
    });
    workers.push(victim);
    const heldSlots = () =>
      pool.query(
        `SELECT owner, expires_at FROM "${schema}".smsc_outbox_budget_slots WHERE owner IS NOT NULL`,
      );
    await vi.waitFor(
      async () =>
        expect(
          (await heldSlots()).rowCount === MAX_CONCURRENT_REQUESTS,
          "the victim holding every slot",
        ).toBe(true),
      { timeout: 30_000, interval: 20 },
    );
    victim.child.kill("SIGKILL");
    await victim.exited;
    const held = await heldSlots();
    expect(held.rowCount).toBe(MAX_CONCURRENT_REQUESTS);
    expect(new Set(held.rows.map((r) => r.owner)).size).toBe(1);
    // Every slot frees itself at the end of the victim's lease, never later.
    const freedBy = Math.max(...held.rows.map((r) => Number(r.expires_at)));
    expect(freedBy - Date.now()).toBeLessThanOrEqual(budgetLeaseMs);
    // The simulator keeps counting a dead client's requests until it answers them (SMSC would see the connection
    // close); wait for those answers so that its concurrency rule measures only the living.
    await vi.waitFor(
      () => {
        const { byOperation, messagesCreated } = sim.inspector.counters();
        expect(messagesCreated, "the simulator answering the dead victim's requests").toBe(
          byOperation.send_sms,
        );
      },
      { timeout: 15_000, interval: 20 },
    );
    const rows = await outbox.enqueue(messages(100, "7991"));
    workers.push(
      await spawnWorker({
        // One row per request: this proves the shared request budget, which batches would leave mostly idle.
        coalesce: false,
        schema,
        simOrigin: proxy.origin,
        appName: "heir",
        concurrency: MAX_CONCURRENT_REQUESTS,
        maxRequests: "default",
        leaseMs: 30_000,
        clientTimeoutMs: 25_000,
      }),
    );
    const ids = new Set(rows.map((r) => r.smscId));
    await vi.waitFor(
      async () =>
        expect(
          sim.inspector.messages().filter((m) => ids.has(m.id)).length === 100,
          "the heir sending on the freed slots",
        ).toBe(true),
      { timeout: 60_000, interval: 20 },
    );
    expect(proxy.maxInFlight).toBeLessThanOrEqual(MAX_CONCURRENT_REQUESTS);
    expect(sim.inspector.counters().logins.demo?.error9).toBe(0);
  }, 120_000);
});
