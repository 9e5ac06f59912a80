import { createSmscClient } from "@smsc-kit/core";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createOutbox, type Outbox, openPgStore } from "../src/index.js";
import { expectEachRecipientOnce } from "./support/exactly-once.js";
import { dropSchema, openTestPool, uniqueSchema } from "./support/pg.js";
import { spawnWorker, stopWorker, type WorkerProc } from "./support/workers.js";

let pool: pg.Pool;
let sim: RunningSimulator;
let schema: string;
const workers: WorkerProc[] = [];

beforeAll(async () => {
  pool = await openTestPool(6);
});
afterAll(async () => {
  await pool.end();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map(stopWorker));
  await sim?.close();
  await dropSchema(pool, schema);
});

async function setup(faults: Parameters<typeof startSimulator>[0] = {}): Promise<Outbox> {
  schema = uniqueSchema("workers");
  sim = await startSimulator({
    rules: { lifecycle: { handoffMs: 10, deliveryMs: 10 }, rateLimits: { "send-duplicate": false } },
    accounts: [{ login: "demo", psw: "demo", balance: 1_000_000 }],
    ...faults,
  });
  // The enqueueing side only writes rows; it never starts a dispatcher.
  const client = createSmscClient(
    { login: "demo", psw: "demo" },
    { baseUrl: new URL(sim.url).origin, fallbackUrls: [] },
  );
  const outbox = createOutbox({ store: openPgStore({ pool, schema }), client });
  await outbox.store.migrate();
  return outbox;
}

function phones(n: number, prefix: string): { phones: string; mes: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    phones: `${prefix}${String(i).padStart(6, "0")}`,
    mes: `m${i}`,
  }));
}

/** Every enqueued row has exactly one message at the simulator (under its own or its batch's id), and no others. */
async function expectExactlyOnce(outbox: Outbox, rowIds: number[]): Promise<void> {
  await expectEachRecipientOnce(sim, outbox.store, rowIds);
}

const origin = () => new URL(sim.url).origin;

describe("PostgreSQL outbox with worker processes", () => {
  it("four worker processes on one database send each of 2,000 messages exactly once", async () => {
    const outbox = await setup();
    // All four are up and polling before the work arrives, so they compete for it from the first row.
    for (let i = 0; i < 4; i++) {
      workers.push(
        await spawnWorker({
          schema,
          simOrigin: origin(),
          appName: `w${i}`,
          concurrency: 3,
          leaseMs: 5_000,
          clientTimeoutMs: 5_000,
        }),
      );
    }
    const rows = await outbox.enqueue(phones(2_000, "7999"));
    await vi.waitFor(async () => expect((await outbox.stats()).byState.sent, "2,000 sent").toBe(2_000), {
      timeout: 90_000,
    });
    await expectExactlyOnce(
      outbox,
      rows.map((r) => r.rowId),
    );
    // A worker reports each row on stdout after its commit, so the reports may trail the database by a pipe flush.
    const reported = () => workers.reduce((n, w) => n + w.sent.length, 0);
    await vi.waitFor(
      async () => expect(reported(), "every worker report read").toBeGreaterThanOrEqual(2_000),
      { timeout: 10_000 },
    );
    for (const w of workers) expect(w.sent.length).toBeGreaterThan(0);
    expect(reported()).toBe(2_000);
    // The simulator enforces the catalog's per-login concurrency rule: no request was refused for it.
    expect(sim.inspector.counters().errors["9"]).toBeUndefined();
  }, 120_000);

  it("a worker SIGKILLed mid-batch under timeout-after-accept faults: after restart every message goes out once", async () => {
    const outbox = await setup({
      faults: [{ match: { operation: ["send_sms", "send_sms2"] }, afterAccept: "hang", probability: 0.05 }],
    });
    const rows = await outbox.enqueue(phones(600, "7998"));
    const first = await spawnWorker({
      schema,
      simOrigin: origin(),
      appName: "victim",
      concurrency: 6,
      // Small batches: enough requests for the 5% fault rule to hit some of them.
      coalesce: 5,
      leaseMs: 1_500,
      clientTimeoutMs: 400,
    });
    workers.push(first);
    await vi.waitFor(() => expect(first.sent.length, "victim mid-batch").toBeGreaterThanOrEqual(150), {
      timeout: 60_000,
    });
    first.child.kill("SIGKILL");
    await first.exited;
    const inFlightAtKill = (await outbox.stats()).byState.sending;
    expect(inFlightAtKill).toBeGreaterThan(0);
    const heir = await spawnWorker({
      schema,
      simOrigin: origin(),
      appName: "heir",
      concurrency: 6,
      coalesce: 5,
      leaseMs: 1_500,
      clientTimeoutMs: 400,
    });
    workers.push(heir);
    await vi.waitFor(
      async () => expect((await outbox.stats()).byState.sent, "600 sent after restart").toBe(600),
      { timeout: 90_000 },
    );
    await expectExactlyOnce(
      outbox,
      rows.map((r) => r.rowId),
    );
    expect(sim.inspector.counters().faultsInjected).toBeGreaterThan(0);
    // Rows whose answer was lost (hung requests, the killed worker's in-flight sends) were settled by get_status.
    expect(first.reconciled.length + heir.reconciled.length).toBeGreaterThan(0);
    expect(sim.inspector.counters().byOperation.get_status).toBeGreaterThan(0);
    expect((await outbox.stats()).deadLetterDepth).toBe(0);
  }, 150_000);

  it("a worker SIGKILLed holding rows it claimed but never sent: the survivor sends them without get_status, each once", async () => {
    // Answers take 100-200 ms: the victim holds a few batches in flight and many more rows claimed ahead.
    const outbox = await setup({ latency: { minMs: 100, maxMs: 200 } });
    const rows = await outbox.enqueue(
      Array.from({ length: 3_000 }, (_, i) => ({
        phones: `7996${String(i).padStart(7, "0")}`,
        mes: i % 2 === 0 ? "Campaign text for everyone" : `Personal text ${i}`,
      })),
    );
    const spawn = (appName: string) =>
      spawnWorker({
        schema,
        simOrigin: origin(),
        appName,
        concurrency: 2,
        leaseMs: 1_500,
        clientTimeoutMs: 2_000,
      });
    const victim = await spawn("victim");
    workers.push(victim);
    // Rows the victim holds, split by whether a request may have left for them (the mark clears unsent_owner).
    const held = async () =>
      (
        await pool.query(
          `SELECT COUNT(*) FILTER (WHERE unsent_owner = lease_owner)::int AS unsent,
                  COUNT(*) FILTER (WHERE unsent_owner IS NULL)::int AS marked
             FROM "${schema}".smsc_outbox_messages WHERE state = 'sending' AND lease_owner LIKE $1`,
          [`%:${victim.child.pid}:%`],
        )
      ).rows[0] as { unsent: number; marked: number };
    await vi.waitFor(
      async () => {
        expect(victim.sent.length, "victim has sent").toBeGreaterThan(0);
        const now = await held();
        expect(now.unsent, "victim holds claimed rows it has not sent").toBeGreaterThan(100);
        expect(now.marked, "victim is mid-request").toBeGreaterThan(0);
      },
      { timeout: 60_000, interval: 5 },
    );
    victim.child.kill("SIGKILL");
    await victim.exited;
    // Read after the kill: no request can leave for a row the dead process had not marked.
    const { unsent, marked } = await held();
    expect(unsent).toBeGreaterThan(100);
    const statusBefore = sim.inspector.counters().byOperation.get_status ?? 0;
    const survivor = await spawn("survivor");
    workers.push(survivor);
    await vi.waitFor(async () => expect((await outbox.stats()).byState.sent, "3,000 sent").toBe(3_000), {
      timeout: 120_000,
    });
    await expectExactlyOnce(
      outbox,
      rows.map((r) => r.rowId),
    );
    // One lookup at most per row a request may have left for; the never-sent rows needed none.
    const lookups = (sim.inspector.counters().byOperation.get_status ?? 0) - statusBefore;
    expect(lookups).toBeLessThanOrEqual(marked);
    expect(survivor.reconciled.length).toBeLessThanOrEqual(marked);
  }, 180_000);

  it("full batches under timeouts after accept and 503s, one worker SIGKILLed holding a batch mid-request: each message once", async () => {
    const outbox = await setup({
      // Answers take 100-200 ms, so a batch is in flight when the victim dies.
      latency: { minMs: 100, maxMs: 200 },
      faults: [
        // The first sends hang after SMSC accepted them, the next ones get a 503, then a few at random.
        { match: { operation: ["send_sms", "send_sms2"] }, afterAccept: "hang", times: 3 },
        { match: { operation: ["send_sms", "send_sms2"] }, httpStatus: 503, times: 3 },
        { match: { operation: ["send_sms", "send_sms2"] }, afterAccept: "hang", probability: 0.05 },
      ],
    });
    // Half one campaign text (phones lists), half personal texts (list lines).
    const rows = await outbox.enqueue(
      Array.from({ length: 1_000 }, (_, i) => ({
        phones: `7997${String(i).padStart(7, "0")}`,
        mes: i < 500 ? "Campaign text for everyone" : `Personal text ${i}`,
      })),
    );
    const spawn = (appName: string) =>
      spawnWorker({
        schema,
        simOrigin: origin(),
        appName,
        concurrency: 4,
        leaseMs: 2_000,
        clientTimeoutMs: 600,
      });
    const victim = await spawn("victim");
    const survivor = await spawn("survivor");
    workers.push(victim, survivor);
    // The victim holds a batch whose request is under way: rows of its lease in "sending" carry a batch id.
    const victimBatch = async () =>
      Number(
        (
          await pool.query(
            `SELECT COUNT(*) AS n FROM "${schema}".smsc_outbox_messages
              WHERE state = 'sending' AND batch_id IS NOT NULL AND lease_owner LIKE $1`,
            [`%:${victim.child.pid}:%`],
          )
        ).rows[0].n,
      );
    await vi.waitFor(
      async () => {
        expect(victim.sent.length, "victim has sent").toBeGreaterThan(0);
        expect(await victimBatch(), "victim mid-request with a batch").toBeGreaterThan(1);
      },
      { timeout: 60_000, interval: 5 },
    );
    victim.child.kill("SIGKILL");
    await victim.exited;
    await vi.waitFor(async () => expect((await outbox.stats()).byState.sent, "1,000 sent").toBe(1_000), {
      timeout: 120_000,
    });
    const stored = await expectEachRecipientOnce(
      sim,
      outbox.store,
      rows.map((r) => r.rowId),
    );
    // Batches did form: far fewer requests than rows, and rows share request ids.
    expect(new Set(stored.map((row) => row.batchId)).size).toBeLessThan(200);
    expect(sim.inspector.counters().faultsInjected).toBeGreaterThanOrEqual(6);
    // Rows of hung batches were found by get_status (batch id, phone), not sent again.
    expect(victim.reconciled.length + survivor.reconciled.length).toBeGreaterThan(0);
    expect((await outbox.stats()).deadLetterDepth).toBe(0);
  }, 180_000);
});
