import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RATE_RULES } from "@smsc-kit/core";
import { type RunningSimulator, SimClock, startSimulator } from "@smsc-kit/simulator";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SharedFloodAdmission } from "../src/flood/shared-admission.js";
import {
  createOutbox,
  type DeferredEvent,
  type Outbox,
  openPgStore,
  type WarningEvent,
} from "../src/index.js";
import { SUBSCRIBER_FLOOD } from "../src/protocol.js";
import { openSqliteStore } from "../src/store/sqlite/store.js";
import { clientFor, FAST } from "./support/harness.js";
import { dropSchema, openTestPool, uniqueSchema } from "./support/pg.js";

const FLOOD_STATUS = RATE_RULES.find((rule) => rule.id === "subscriber-flood")?.outcome.status;

let pool: pg.Pool;
let sim: RunningSimulator | undefined;
let schema: string | undefined;
const outboxes: Outbox[] = [];

beforeAll(async () => {
  pool = await openTestPool(6);
});
afterAll(async () => {
  await pool.end();
});
afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((outbox) => outbox.stop({ timeoutMs: 2_000 })));
  await sim?.close();
  if (schema) await dropSchema(pool, schema);
  sim = undefined;
  schema = undefined;
});

describe("the subscriber-flood rule across outboxes sharing one store", () => {
  it("defers the messages past the limit (reason flood), never drops them, and sends them once the spacing has passed", async () => {
    expect(FLOOD_STATUS).toBeTypeOf("number");
    const { limit, spacingMs } = SUBSCRIBER_FLOOD;
    // One clock for SMSC and both outboxes, standing still: every send of the first run happens at one instant,
    // and the spacing passes only when the test moves it.
    const clock = new SimClock({ frozen: true });
    sim = await startSimulator({
      clock,
      rules: { lifecycle: { handoffMs: 10, deliveryMs: 10 }, rateLimits: { "send-duplicate": false } },
    });
    schema = uniqueSchema("floodshared");
    const deferred: DeferredEvent[] = [];
    const sentBy = [0, 0];
    for (let i = 0; i < 2; i++) {
      const outbox = createOutbox({
        store: openPgStore({ pool, schema }),
        client: clientFor(sim),
        ...FAST,
        login: "demo",
        clock: { now: () => clock.now() },
        // One row per request: with many per request each outbox claims up to two full batches per delivery
        // slot, so one of them may take every row and this proof of a limit shared between two would be empty.
        coalesce: false,
      });
      outbox.on("deferred", (event) => deferred.push(event));
      outbox.on("sent", () => {
        sentBy[i]! += 1;
      });
      await outbox.store.migrate();
      outboxes.push(outbox);
    }
    const phone = "79995550101";
    const extra = 12;
    const rows = await outboxes[0]!.enqueue(
      Array.from({ length: limit + extra }, (_, i) => ({ phones: phone, mes: `flood ${i}` })),
    );
    const start = clock.now();
    for (const outbox of outboxes) outbox.start({ concurrency: 8 });

    const floodDeferred = () => new Set(deferred.filter((e) => e.reason === "flood").map((e) => e.rowId));
    await vi.waitFor(
      async () => {
        expect((await outboxes[1]!.stats()).byState.sent, "the first run sent").toBe(limit);
        expect(floodDeferred().size, "the rest deferred").toBe(extra);
      },
      { timeout: 30_000, interval: 20 },
    );
    expect(sim.inspector.messages()).toHaveLength(limit);
    // Both outboxes sent part of the run: the limit held between them, not in each.
    expect(
      sentBy.every((n) => n > 0),
      `sent by each outbox: ${sentBy.join(", ")}`,
    ).toBe(true);
    // Every refused row waits for the end of the run (its last message plus the spacing), still queued.
    for (const event of deferred.filter((e) => e.reason === "flood"))
      expect(event.runAt).toBe(start + spacingMs);
    const stats = await outboxes[1]!.stats();
    expect(stats.byState).toMatchObject({ sent: limit, queued: extra, dead: 0 });
    // Nothing more goes while the run lasts.
    clock.advance(spacingMs - 1);
    await outboxes[0]!.store
      .claim("probe", 100, clock.now() + 1, clock.now())
      .then((claimed) => expect(claimed).toEqual([]));

    clock.advance(1);
    await vi.waitFor(
      async () => expect((await outboxes[0]!.stats()).byState.sent, "all sent").toBe(limit + extra),
      { timeout: 30_000, interval: 20 },
    );
    const messages = sim.inspector.messages();
    expect(new Set(messages.map((m) => m.id))).toEqual(new Set(rows.map((r) => r.smscId)));
    expect(messages).toHaveLength(limit + extra);
    // SMSC never answered with its flood status: no run went past the limit.
    expect(messages.filter((m) => m.history.some((change) => change.status === FLOOD_STATUS))).toEqual([]);
    const late = messages.filter((m) => m.createdAt >= start + spacingMs);
    expect(new Set(late.map((m) => m.id))).toEqual(
      new Set(rows.filter((r) => floodDeferred().has(r.rowId)).map((r) => r.smscId)),
    );
  }, 60_000);

  it("admits nothing uncounted when the store fails: the batch tries again a little later, with a warning", async () => {
    const dir = mkdtempSync(join(tmpdir(), "outbox-flood-fail-"));
    try {
      const store = openSqliteStore({ filename: join(dir, "outbox.db") });
      await store.migrate();
      const warnings: unknown[] = [];
      const flood = new SharedFloodAdmission({
        store,
        login: "demo",
        rule: SUBSCRIBER_FLOOD,
        storeRetryMs: 250,
        onStoreError: (err) => warnings.push(err),
      });
      const batch = [
        { rowId: 1, recipients: ["79995550101"] },
        { rowId: 2, recipients: ["79995550102"] },
      ];
      expect(Object.fromEntries(await flood.admit(batch, 5_000))).toEqual({ 1: 5_000, 2: 5_000 });
      expect(warnings).toEqual([]);
      await store.close();
      expect(Object.fromEntries(await flood.admit(batch, 6_000))).toEqual({ 1: 6_250, 2: 6_250 });
      expect(warnings).toHaveLength(1);
      expect(String(warnings[0])).toMatch(/database connection is not open/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an outbox whose store cannot count the flood rule sends nothing, warns, and sends once the store counts again", async () => {
    sim = await startSimulator({
      rules: { lifecycle: { handoffMs: 10, deliveryMs: 10 }, rateLimits: { "send-duplicate": false } },
    });
    schema = uniqueSchema("floodfail");
    const outbox = createOutbox({ store: openPgStore({ pool, schema }), client: clientFor(sim), ...FAST });
    outboxes.push(outbox);
    await outbox.store.migrate();
    // The flood runs' table gone (as a failing store would answer): every admission fails.
    await pool.query(`DROP TABLE "${schema}".smsc_outbox_flood_runs`);
    const warnings: WarningEvent[] = [];
    const deferred: DeferredEvent[] = [];
    outbox.on("warning", (event) => warnings.push(event));
    outbox.on("deferred", (event) => deferred.push(event));
    const [row] = await outbox.enqueue([{ phones: "79995550199", mes: "counted or not sent" }]);
    outbox.start({ concurrency: 2 });
    await vi.waitFor(
      () => {
        expect(warnings.filter((w) => w.kind === "store").length, "store warnings").toBeGreaterThanOrEqual(2);
        expect(deferred.filter((e) => e.reason === "flood").length, "flood deferrals").toBeGreaterThanOrEqual(
          2,
        );
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(warnings.find((w) => w.kind === "store")?.message).toMatch(/flood_runs/);
    // Put back for a poll interval at most (from the failed admission), tried again, never sent uncounted, never dead.
    for (const event of deferred) expect(event.runAt - event.at).toBeLessThanOrEqual(FAST.pollIntervalMs!);
    expect(sim.inspector.messages()).toEqual([]);
    // Queued, or claimed again for its next try; no attempt used.
    const waiting = await outbox.store.get(row!.rowId);
    expect(["queued", "sending"]).toContain(waiting?.state);
    expect(waiting?.attempts).toBe(0);
    // The table back: the row is counted and sent, once.
    await pool.query(`DELETE FROM "${schema}".smsc_outbox_migrations WHERE version = 9`);
    await openPgStore({ pool, schema }).migrate();
    await vi.waitFor(async () => expect((await outbox.store.get(row!.rowId))?.state).toBe("sent"), {
      timeout: 10_000,
      interval: 20,
    });
    expect(sim.inspector.messages().map((m) => m.id)).toEqual([row!.smscId]);
    const runs = await pool.query(`SELECT phone, run_length FROM "${schema}".smsc_outbox_flood_runs`);
    expect(runs.rows).toEqual([{ phone: "79995550199", run_length: 1 }]);
  }, 30_000);
});
