import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createOutbox,
  type Outbox,
  type OutboxOptions,
  openPgStore,
  type WarningEvent,
} from "../src/index.js";
import { expectEachRecipientOnce } from "./support/exactly-once.js";
import { clientFor, FAST } from "./support/harness.js";
import { dropSchema, openTestPool, PG_URL, uniqueSchema } from "./support/pg.js";

let admin: pg.Pool;
let sim: RunningSimulator;
let workerPool: pg.Pool;
let outbox: Outbox;
let schema: string;
let closeClient: () => Promise<void>;

beforeAll(async () => {
  admin = await openTestPool(4);
});
afterAll(async () => {
  await admin.end();
});

async function setup(appName: string, options: Partial<OutboxOptions> = {}): Promise<void> {
  schema = uniqueSchema("pgob");
  sim = await startSimulator({
    rules: { lifecycle: { handoffMs: 10, deliveryMs: 10 }, rateLimits: { "send-duplicate": false } },
    accounts: [{ login: "demo", psw: "demo", balance: 1_000_000 }],
  });
  const client = clientFor(sim);
  closeClient = () => client.close();
  workerPool = new pg.Pool({ connectionString: PG_URL, max: 4, application_name: appName });
  outbox = createOutbox({ store: openPgStore({ pool: workerPool, schema }), client, ...FAST, ...options });
  await outbox.store.migrate();
  await workerPool.query(`CREATE TABLE "${schema}".orders (id serial PRIMARY KEY, note text)`);
}

afterEach(async () => {
  await outbox.stop({ timeoutMs: 2_000 });
  await closeClient();
  await sim.close();
  await workerPool.end();
  await dropSchema(admin, schema);
});

describe("PostgreSQL outbox in the caller's transaction and under connection loss", () => {
  it("rollback of the caller's transaction leaves no row; commit makes it deliverable", async () => {
    await setup("ob-tx");
    const client = await workerPool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`INSERT INTO "${schema}".orders (note) VALUES ('rolled back')`);
      const [lost] = await outbox.enqueue({ phones: "79991110001", mes: "never" }, { tx: client });
      await client.query("ROLLBACK");
      expect(await outbox.get(lost!.rowId)).toBeNull();

      await client.query("BEGIN");
      await client.query(`INSERT INTO "${schema}".orders (note) VALUES ('committed')`);
      const [kept] = await outbox.enqueue({ phones: "79991110002", mes: "yes" }, { tx: client });
      outbox.start({ concurrency: 2 });
      // Not visible to the workers until the caller commits.
      await new Promise((r) => setTimeout(r, 150));
      expect(sim.inspector.messages()).toHaveLength(0);
      await client.query("COMMIT");
      await vi.waitFor(
        async () => expect((await outbox.get(kept!.rowId))?.state, "committed row sent").toBe("sent"),
        { timeout: 15_000 },
      );
      expect(sim.inspector.messages().map((m) => m.id)).toEqual([kept!.smscId]);
      const orders = await workerPool.query(`SELECT note FROM "${schema}".orders`);
      expect(orders.rows).toEqual([{ note: "committed" }]);
    } finally {
      client.release();
    }
  });

  it("writes nothing of a large pipelined batch when a message deep inside it is bad", async () => {
    await setup("ob-batch");
    const batch = Array.from({ length: 5_000 }, (_, i) => ({
      phones: `7996${String(i).padStart(6, "0")}`,
      mes: `b${i}`,
    }));
    batch[4_321] = { phones: "not a phone", mes: "bad" };
    await expect(outbox.enqueue(batch)).rejects.toMatchObject({
      name: "OutboxValidationError",
      field: "phones",
      index: 4_321,
    });
    expect((await outbox.stats()).byState.queued).toBe(0);
    batch[4_321] = { phones: "79960004321", mes: "fixed" };
    const rows = await outbox.enqueue(batch);
    expect(rows).toHaveLength(5_000);
    expect(rows[4_321]?.created).toBe(true);
    expect((await outbox.stats()).byState.queued).toBe(5_000);
  });

  it("recovers by itself when its database connections are killed mid-flow, losing and doubling nothing", async () => {
    // Small batches: many requests (and store writes) are still under way when the connections die.
    await setup("ob-victim", { coalesce: { maxRecipients: 4, maxListLines: 4 } });
    const warnings: WarningEvent[] = [];
    outbox.on("warning", (w) => warnings.push(w));
    const rows = await outbox.enqueue(
      Array.from({ length: 1_000 }, (_, i) => ({
        phones: `7997${String(i).padStart(6, "0")}`,
        mes: `k${i}`,
      })),
    );
    outbox.start({ concurrency: 6 });
    // Counted through the admin pool: the worker's own connections are the ones being killed.
    const sentCount = async () =>
      Number(
        (await admin.query(`SELECT COUNT(*) AS n FROM "${schema}".smsc_outbox_messages WHERE state = 'sent'`))
          .rows[0].n,
      );
    await vi.waitFor(async () => expect(await sentCount(), "some sent").toBeGreaterThanOrEqual(50), {
      timeout: 15_000,
    });
    // Kill the worker's backends until one dies under a running query (an idle one is replaced silently).
    let kills = 0;
    await vi.waitFor(
      async () => {
        const r = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ob-victim'",
        );
        kills += r.rowCount ?? 0;
        expect(
          warnings.some((w) => w.kind === "store"),
          "a query failing on a killed connection",
        ).toBeTruthy();
      },
      { timeout: 15_000 },
    );
    expect(kills).toBeGreaterThan(0);
    await vi.waitFor(async () => expect(await sentCount(), "all 1,000 sent").toBe(1_000), {
      timeout: 60_000,
    });
    await expectEachRecipientOnce(
      sim,
      outbox.store,
      rows.map((r) => r.rowId),
    );
  });
});
