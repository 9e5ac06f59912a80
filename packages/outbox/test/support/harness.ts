import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient, type SmscClient } from "@smsc-kit/core";
import { type RunningSimulator, type SimulatorOptions, startSimulator } from "@smsc-kit/simulator";
import Database from "better-sqlite3";
import { createOutbox, type Outbox, type OutboxOptions } from "../../src/index.js";
import { openSqliteStore } from "../../src/store/sqlite/store.js";

export function clientFor(sim: RunningSimulator, timeoutMs = 2_000): SmscClient {
  return createSmscClient(
    { login: "demo", psw: "demo" },
    {
      baseUrl: new URL(sim.url).origin,
      fallbackUrls: [],
      timeoutMs,
      retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
    },
  );
}

/**
 * Fast timings for tests. The duplicate-send window is shortened, so the simulator's own duplicate rule is
 * switched off in these rigs: with it on, a double send would be refused by SMSC and hidden from the inspector;
 * with it off, any double send of ours shows up as a second message.
 */
export const FAST: Partial<OutboxOptions> = {
  pollIntervalMs: 20,
  backoff: { baseDelayMs: 20, maxDelayMs: 100 },
  reconcileDelayMs: 50,
  duplicateWindowMs: 100,
  leaseMs: 3_000,
};

export interface SqliteRig {
  sim: RunningSimulator;
  client: SmscClient;
  db: Database.Database;
  outbox: Outbox;
  close(): Promise<void>;
}

export async function sqliteRig(
  opts: { sim?: SimulatorOptions; outbox?: Partial<OutboxOptions>; clientTimeoutMs?: number } = {},
): Promise<SqliteRig> {
  const sim = await startSimulator({
    ...opts.sim,
    rules: {
      lifecycle: { handoffMs: 10, deliveryMs: 10 },
      rateLimits: { "send-duplicate": false },
      ...opts.sim?.rules,
    },
  });
  const client = clientFor(sim, opts.clientTimeoutMs);
  const dir = mkdtempSync(join(tmpdir(), "outbox-delivery-"));
  const db = new Database(join(dir, "app.db"));
  const outbox = createOutbox({ store: openSqliteStore({ database: db }), client, ...FAST, ...opts.outbox });
  return {
    sim,
    client,
    db,
    outbox,
    async close() {
      await outbox.stop({ timeoutMs: 2_000 });
      await client.close();
      await sim.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
