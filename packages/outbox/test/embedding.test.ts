import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient } from "@smsc-kit/core";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createOutbox, type OutboxEventName, openSqliteStore } from "../src/index.js";
import { FAST } from "./support/harness.js";

let dir: string;
let db: Database.Database;
let sim: RunningSimulator;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "outbox-embed-"));
  db = new Database(join(dir, "service.db"));
  db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, phone TEXT)");
  sim = await startSimulator({
    accounts: [
      { login: "shop", psw: "Shop-Pa55-word", balance: 100 },
      { login: "bank", psw: "Bank-Pa55-word", balance: 100 },
    ],
    rules: { lifecycle: { handoffMs: 10, deliveryMs: 10 }, rateLimits: { "send-duplicate": false } },
  });
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await sim.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function outboxFor(login: string, psw: string, tablePrefix: string) {
  const client = createSmscClient(
    { login, psw },
    {
      baseUrl: new URL(sim.url).origin,
      fallbackUrls: [],
      timeoutMs: 300,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    },
  );
  const outbox = createOutbox({ store: openSqliteStore({ database: db, tablePrefix }), client, ...FAST });
  cleanups.push(async () => {
    await outbox.stop();
    await client.close();
  });
  return outbox;
}

describe("embedding in a service", () => {
  it("enqueues synchronously inside the service's own better-sqlite3 transaction", async () => {
    const outbox = outboxFor("shop", "Shop-Pa55-word", "ob_");
    const signUp = db.transaction((phone: string, fail: boolean) => {
      db.prepare("INSERT INTO users (phone) VALUES (?)").run(phone);
      const [row] = outbox.enqueueSync({ phones: phone, mes: "Welcome" }, { tx: db });
      if (fail) throw new Error("business rule failed after enqueue");
      return row!;
    });
    expect(() => signUp("79995550001", true)).toThrow("business rule failed");
    // The rollback took the enqueued row with it (and the first-use migration made inside that transaction).
    expect((await outbox.stats()).byState.queued).toBe(0);
    const row = signUp("79995550002", false);
    expect(() => signUp("bad phone", false)).toThrow(expect.objectContaining({ field: "phones" }));
    expect(db.prepare("SELECT COUNT(*) AS n FROM users").get()).toEqual({ n: 1 });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(async () => expect((await outbox.get(row.rowId))?.state, "sent").toBe("sent"), {
      timeout: 15_000,
    });
    expect(sim.inspector.messages().map((m) => [m.id, m.phone])).toEqual([[row.smscId, "79995550002"]]);
  });

  it("runs two outboxes (two SMSC accounts) in one process on one database without sharing anything", async () => {
    const shop = outboxFor("shop", "Shop-Pa55-word", "shop_");
    const bank = outboxFor("bank", "Bank-Pa55-word", "bank_");
    const [s] = await shop.enqueue({ phones: "79995550010", mes: "from shop" });
    const [b] = await bank.enqueue({ phones: "79995550011", mes: "from bank" });
    shop.start({ concurrency: 2 });
    bank.start({ concurrency: 2 });
    await vi.waitFor(
      async () =>
        expect(
          (await shop.stats()).byState.sent === 1 && (await bank.stats()).byState.sent === 1,
          "both",
        ).toBeTruthy(),
      { timeout: 15_000 },
    );
    expect(sim.inspector.message(s!.smscId, "79995550010", "shop")).toBeDefined();
    expect(sim.inspector.message(b!.smscId, "79995550011", "bank")).toBeDefined();
    expect(sim.inspector.message(s!.smscId, "79995550010", "bank")).toBeUndefined();
  });

  it("never lets a password reach events, stored errors or stats (timeouts and bad credentials)", async () => {
    const good = outboxFor("bank", "Bank-Pa55-word", "sec2_");
    const retries: unknown[] = [];
    good.on("retry", (e) => retries.push(e));
    sim.inspector.setFault({
      match: { operation: ["send_sms", "send_sms2"], login: "bank" },
      afterAccept: "hang",
      times: 1,
    });
    await good.enqueue({ phones: "79995550030", mes: "hi" });
    good.start({ concurrency: 1 });
    await vi.waitFor(
      async () => expect((await good.stats()).byState.sent, "sent after the timeout").toBe(1),
      { timeout: 15_000 },
    );
    const goodDump = JSON.stringify({ retries, rows: db.prepare("SELECT * FROM sec2_messages").all() });
    expect(retries).toHaveLength(1);
    expect(goodDump).not.toContain("Bank-Pa55-word");

    const wrong = "Wr0ng-Secret-Pa55";
    const outbox = outboxFor("shop", wrong, "sec_");
    const seen: unknown[] = [];
    for (const name of [
      "sent",
      "retry",
      "dead",
      "deferred",
      "paused",
      "warning",
      "blocked",
    ] as OutboxEventName[]) {
      outbox.on(name, (e: unknown) => seen.push(e));
    }
    await outbox.enqueue({ phones: "79995550020", mes: "hi" });
    outbox.start({ concurrency: 1 });
    await vi.waitFor(
      async () => expect((await outbox.stats()).paused, "paused on credentials").toBe("auth"),
      { timeout: 15_000 },
    );
    const dump = JSON.stringify({
      seen,
      rows: db.prepare("SELECT * FROM sec_messages").all(),
      stats: await outbox.stats(),
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(dump).toContain("auth");
    expect(dump).not.toContain(wrong);
    expect(dump).not.toContain("Shop-Pa55-word");
  });
});
