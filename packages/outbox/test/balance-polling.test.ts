import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient } from "@smsc-kit/core";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBalanceReader } from "../src/balance-reader.js";
import { createRequestBudget } from "../src/budget/request-budget.js";
import { SharedWindow } from "../src/budget/shared-window.js";
import { createOutbox, type OutboxStore, openSqliteStore } from "../src/index.js";
import { BALANCE_POLLING } from "../src/protocol.js";

/**
 * get_balance within SMSC's balance-polling rule for the login, counted across processes: two outboxes (each with
 * its own connection to one store, as two processes have) against the simulator, whose inspector counts the
 * get_balance requests that reached it and the error 9 refusals its own rules answered.
 */

let sim: RunningSimulator;
let stores: OutboxStore[] = [];
let filename: string;
let clock = 1_000_000;
const balanceCalls = () => sim.inspector.counters().byOperation.get_balance ?? 0;
const client = () =>
  createSmscClient(
    { login: "acme", psw: "acme-psw" },
    { baseUrl: new URL(sim.url).origin, fallbackUrls: [] },
  );

async function openStore(): Promise<OutboxStore> {
  const store = openSqliteStore({ filename });
  stores.push(store);
  await store.migrate();
  return store;
}

beforeEach(async () => {
  sim = await startSimulator({ port: 0, accounts: [{ login: "acme", psw: "acme-psw", balance: 321.5 }] });
  filename = join(await mkdtemp(join(tmpdir(), "smsc-balance-")), "outbox.sqlite");
  stores = [];
});

afterEach(async () => {
  for (const store of stores) await store.close();
  await sim.close();
});

describe("balance polling shared by every process on the store", () => {
  it("asks get_balance once for two outboxes while the stored reading is fresh, and both show it", async () => {
    const outboxes = [await openStore(), await openStore()].map((store) =>
      createOutbox({ store, client: client(), login: "acme", clock: { now: () => clock } }),
    );
    const readings = [];
    for (let i = 0; i < 20; i += 1) readings.push(await outboxes[i % 2]!.insights.balance());
    readings.push(
      ...(await Promise.all(outboxes.flatMap((o) => [o.insights.balance(), o.insights.balance()]))),
    );
    expect(balanceCalls()).toBe(1);
    expect(new Set(readings.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(readings[0]).toMatchObject({ kind: "ok", balance: 321.5, at: clock });
    // A window later the reading is stale: one process refreshes it for both.
    clock += BALANCE_POLLING.windowMs;
    sim.inspector.setBalance("acme", 300);
    expect(await outboxes[1]!.insights.balance()).toMatchObject({ kind: "ok", balance: 300, at: clock });
    expect(await outboxes[0]!.insights.balance()).toMatchObject({ kind: "ok", balance: 300, at: clock });
    expect(balanceCalls()).toBe(2);
  });

  it("lets at most the catalog's number of get_balance calls per window through, across processes", async () => {
    // Readers that always want a fresh figure (freshMs 0): only the login's shared window holds them back.
    const readers = [await openStore(), await openStore()].map((store) =>
      createBalanceReader({
        store,
        client: client(),
        login: "acme",
        window: new SharedWindow({
          store,
          budget: { login: "acme", rule: "balance-polling" },
          limit: BALANCE_POLLING.limit,
          windowMs: BALANCE_POLLING.windowMs,
          onStoreError: (err) => {
            throw err;
          },
        }),
        requests: createRequestBudget(4, {
          store,
          budget: { login: "acme", rule: "send-concurrency" },
          limit: 4,
          owner: `reader-${stores.length}`,
          leaseMs: 30_000,
          now: () => clock,
          onStoreError: () => {},
          storeRetryMs: 10,
        }),
        now: () => clock,
        freshMs: 0,
        migrated: async () => {},
      }),
    );
    const readings = [];
    for (let i = 0; i < 3 * BALANCE_POLLING.limit; i += 1) {
      clock += 1;
      readings.push(await readers[i % 2]!.read());
    }
    expect(balanceCalls()).toBe(BALANCE_POLLING.limit);
    expect(sim.inspector.counters().logins.acme?.error9 ?? 0).toBe(0);
    // Past the limit every caller sees the last reading some process stored.
    expect(readings.at(-1)).toEqual(readings[BALANCE_POLLING.limit - 1]);
    expect(readings.every((r) => r.kind === "ok" && r.balance === 321.5)).toBe(true);
  });
});
