import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { createSmscClient } from "@smsc-kit/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createOutbox, OutboxValidationError, openSqliteStore, type SentEvent } from "../src/index.js";
import { accepted, expectEachRecipientOnce } from "./support/exactly-once.js";
import { FAST, type SqliteRig, sqliteRig } from "./support/harness.js";

let rig: SqliteRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("delivery through core against the simulator", () => {
  it("sends a committed row once with its own SMSC id and reports cnt, cost and meta", async () => {
    rig = await sqliteRig();
    const { outbox, sim } = rig;
    const sent: SentEvent[] = [];
    outbox.on("sent", (e) => sent.push(e));
    const [row] = await outbox.enqueue({
      phones: "+7 (999) 000-11-22",
      mes: "Код 1234",
      cost: 3,
      meta: { orderId: 7 },
    });
    outbox.start({ concurrency: 4 });
    const ev = await vi.waitFor(
      () => {
        const found = sent[0];
        expect(found, "sent event").toBeTruthy();
        return found!;
      },
      { timeout: 15_000 },
    );
    expect(ev).toMatchObject({
      rowId: row!.rowId,
      smscId: row!.smscId,
      meta: { orderId: 7 },
      reconciled: false,
      cnt: 1,
    });
    expect(ev.cost).toBeGreaterThan(0);
    const msgs = sim.inspector.messages().filter((m) => m.id === row!.smscId);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ mes: "Код 1234" });
    expect(await outbox.get(row!.rowId)).toMatchObject({ state: "sent", attempts: 1, cnt: 1 });
  });

  it("refuses a bad message with a typed error naming the field, and writes nothing", async () => {
    rig = await sqliteRig();
    const { outbox } = rig;
    await outbox.enqueue({ phones: "79990001111", mes: "ok" });
    const bad = outbox.enqueue([
      { phones: "79990001112", mes: "fine" },
      { phones: "79990001113", mes: "x", translit: 7 },
    ]);
    await expect(bad).rejects.toBeInstanceOf(OutboxValidationError);
    await expect(bad).rejects.toMatchObject({ field: "translit", index: 1 });
    await expect(
      outbox.enqueue({ phones: "79990001114", mes: "x", id: "mine" } as never),
    ).rejects.toMatchObject({
      field: "id",
      rule: "assigned-by-outbox",
    });
    await expect(
      outbox.enqueue({ phones: "79990001114", mes: "x", meta: [] as never }),
    ).rejects.toMatchObject({
      field: "meta",
    });
    expect((await outbox.stats()).byState.queued).toBe(1);
  });

  it("returns the same row for a repeated idempotency key", async () => {
    rig = await sqliteRig();
    const a = await rig.outbox.enqueue({ phones: "79990002222", mes: "a" }, { idempotencyKey: "signup-42" });
    const b = await rig.outbox.enqueue({ phones: "79990002222", mes: "a" }, { idempotencyKey: "signup-42" });
    expect(b[0]).toEqual({ ...a[0], created: false });
    expect((await rig.outbox.stats()).byState.queued).toBe(1);
  });

  it("dead-letters a permanent refusal at once, and a redrive keeps the SMSC id", async () => {
    rig = await sqliteRig({ sim: { rules: { phones: [{ prefix: "7999666", sendError: 8 }] } } });
    const { outbox, sim } = rig;
    const dead: number[] = [];
    outbox.on("dead", (e) => dead.push(e.error.code ?? -1));
    const [row] = await outbox.enqueue({ phones: "79996660000", mes: "x" });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(() => expect(dead.length, "dead event").toBe(1), { timeout: 15_000 });
    expect(dead).toEqual([8]);
    const [d] = await outbox.deadLetter.list();
    expect(d).toMatchObject({
      rowId: row!.rowId,
      state: "dead",
      attempts: 1,
      lastErrorClass: "invalid_recipient",
    });
    sim.inspector.setRules({ phones: [], rateLimits: { "send-duplicate": false } });
    const redriven: number[] = [];
    outbox.on("redriven", (e) => redriven.push(e.rowId));
    expect(await outbox.deadLetter.redrive(row!.rowId)).toBe(true);
    expect(redriven).toEqual([row!.rowId]);
    await vi.waitFor(
      async () => expect((await outbox.get(row!.rowId))?.state, "redriven row sent").toBe("sent"),
      { timeout: 15_000 },
    );
    const after = await outbox.get(row!.rowId);
    expect(after).toMatchObject({ smscId: row!.smscId, attempts: 1 });
    expect(sim.inspector.messages().filter((m) => m.id === row!.smscId)).toHaveLength(1);
  });

  it("treats a timeout after SMSC accepted as unknown, then finds the message by get_status instead of resending", async () => {
    rig = await sqliteRig({
      sim: { faults: [{ match: { operation: ["send_sms", "send_sms2"] }, afterAccept: "hang", times: 1 }] },
      clientTimeoutMs: 300,
    });
    const { outbox, sim } = rig;
    const retries: boolean[] = [];
    const sent: SentEvent[] = [];
    outbox.on("retry", (e) => retries.push(e.unknown));
    outbox.on("sent", (e) => sent.push(e));
    const [row] = await outbox.enqueue({ phones: "79990003333", mes: "once" });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(() => expect(sent[0], "sent after reconcile").toBeTruthy(), { timeout: 15_000 });
    expect(retries).toEqual([true]);
    expect(sent[0]).toMatchObject({ rowId: row!.rowId, reconciled: true });
    expect(sent[0]!.cost).toBeGreaterThan(0);
    expect(sim.inspector.messages().filter((m) => m.id === row!.smscId)).toHaveLength(1);
    expect(sim.inspector.counters().byOperation).toMatchObject({ get_status: 1 });
  });

  it("reconciles a multi-recipient send by every recipient: one found proves the send, a first 'not found' does not", async () => {
    rig = await sqliteRig({
      sim: {
        faults: [
          { match: { operation: ["send_sms", "send_sms2"] }, afterAccept: "hang", times: 1 },
          // SMSC keeps no message for the first recipient (as for a number it refused inside the send).
          { match: { operation: ["get_status", "get_status2"], phonePrefix: "79990005551" }, error: 3 },
        ],
      },
      clientTimeoutMs: 300,
    });
    const { outbox, sim } = rig;
    const sent: SentEvent[] = [];
    outbox.on("sent", (e) => sent.push(e));
    const [row] = await outbox.enqueue({ phones: "G7,79990005551,79990005552", mes: "to three" });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(() => expect(sent[0], "sent after reconcile").toBeTruthy(), { timeout: 15_000 });
    expect(sent[0]).toMatchObject({ rowId: row!.rowId, reconciled: true });
    // Never resent: the one accepted send made one message per phone (the group is not looked up).
    expect(sim.inspector.messages().filter((m) => m.id === row!.smscId)).toHaveLength(3);
    expect(sim.inspector.counters().byOperation).toMatchObject({ send_sms: 1, get_status: 2 });
  });

  it("backs off when SMSC blocks the IP during a reconcile, and still never resends", async () => {
    rig = await sqliteRig({
      sim: {
        faults: [
          { match: { operation: ["send_sms", "send_sms2"] }, afterAccept: "hang", times: 1 },
          { match: { operation: ["get_status", "get_status2"] }, error: 4, times: 1 },
        ],
      },
      clientTimeoutMs: 300,
      outbox: { ipBlockMs: 300 },
    });
    const { outbox, sim } = rig;
    const blocked: number[] = [];
    const sent: SentEvent[] = [];
    outbox.on("blocked", (e) => blocked.push(e.until));
    outbox.on("sent", (e) => sent.push(e));
    const [row] = await outbox.enqueue({ phones: "79990003334", mes: "blocked while reconciling" });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(() => expect(sent[0], "sent after the block").toBeTruthy(), { timeout: 15_000 });
    expect(blocked).toHaveLength(1);
    expect(sent[0]).toMatchObject({ reconciled: true });
    expect(sim.inspector.messages().filter((m) => m.id === row!.smscId)).toHaveLength(1);
  });

  it("sends again after an unknown outcome when get_status says the message does not exist", async () => {
    rig = await sqliteRig({
      sim: { faults: [{ match: { operation: ["send_sms", "send_sms2"] }, httpStatus: 503, times: 1 }] },
    });
    const { outbox, sim } = rig;
    const sent: SentEvent[] = [];
    outbox.on("sent", (e) => sent.push(e));
    const [row] = await outbox.enqueue({ phones: "79990004444", mes: "again" });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(() => expect(sent[0], "sent after not-found reconcile").toBeTruthy(), {
      timeout: 15_000,
    });
    expect(sent[0]).toMatchObject({ reconciled: false, attempts: 2 });
    expect(sim.inspector.messages().filter((m) => m.id === row!.smscId)).toHaveLength(1);
    expect(sim.inspector.counters().errors).toMatchObject({ 3: 1 });
  });

  it("pauses on insufficient funds, probes the balance and resumes by itself", async () => {
    rig = await sqliteRig({
      sim: { accounts: [{ login: "demo", psw: "demo", balance: 0 }] },
      outbox: { probeIntervalMs: 1 },
    });
    const { outbox, sim } = rig;
    const seen: string[] = [];
    outbox.on("paused", (e) => seen.push(`paused:${e.reason}`));
    outbox.on("resumed", (e) => seen.push(`resumed:${e.reason}`));
    const [row] = await outbox.enqueue({ phones: "79990005555", mes: "pay me" });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(() => expect(seen.includes("paused:funds"), "paused").toBeTruthy(), { timeout: 15_000 });
    expect((await outbox.stats()).paused).toBe("funds");
    expect(await outbox.get(row!.rowId)).toMatchObject({ state: "queued", attempts: 0 });
    sim.inspector.setBalance("demo", 100);
    await vi.waitFor(
      async () => expect((await outbox.get(row!.rowId))?.state, "sent after resume").toBe("sent"),
      { timeout: 15_000 },
    );
    expect(seen).toEqual(["paused:funds", "resumed:funds"]);
    expect(sim.inspector.messages().filter((m) => m.id === row!.smscId)).toHaveLength(1);
  });

  it("backs the whole outbox off while SMSC blocks the IP", async () => {
    rig = await sqliteRig({
      sim: { faults: [{ match: { operation: ["send_sms", "send_sms2"] }, error: 4, times: 1 }] },
      outbox: { ipBlockMs: 400 },
    });
    const { outbox } = rig;
    const blocked: number[] = [];
    outbox.on("blocked", (e) => blocked.push(e.until));
    const [row] = await outbox.enqueue({ phones: "79990006666", mes: "blocked" });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(() => expect(blocked.length, "blocked event").toBe(1), { timeout: 15_000 });
    const stats = await outbox.stats();
    expect(stats.blockedUntil).toBe(blocked[0]);
    await vi.waitFor(
      async () => expect((await outbox.get(row!.rowId))?.state, "sent after the block").toBe("sent"),
      { timeout: 15_000 },
    );
    expect(await outbox.get(row!.rowId)).toMatchObject({ attempts: 1 });
  });

  it("keeps a message inside its quiet hours queued, never dropped", async () => {
    rig = await sqliteRig();
    const { outbox } = rig;
    const deferred: string[] = [];
    outbox.on("deferred", (e) => deferred.push(e.reason));
    const now = new Date();
    const hh = (h: number) => String((h + 24) % 24).padStart(2, "0");
    const quietHours = {
      start: `${hh(now.getUTCHours() - 1)}:00`,
      end: `${hh(now.getUTCHours() + 2)}:00`,
      timeZone: "UTC",
    };
    const [row] = await outbox.enqueue({ phones: "79990007777", mes: "later", quietHours });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(() => expect(deferred.length, "deferred event").toBeGreaterThan(0), { timeout: 15_000 });
    expect(deferred[0]).toBe("quiet_hours");
    const r = await outbox.get(row!.rowId);
    expect(r?.state).toBe("queued");
    // Measured from the moment the window was chosen, so a run that crosses the hour boundary still holds:
    // the window ends at the top of the hour after next, more than an hour after `now`.
    expect(r!.runAt).toBeGreaterThan(now.getTime() + 60 * 60_000);
  });

  it("applies delivery statuses monotonically and reconciles pending ones by polling", async () => {
    rig = await sqliteRig();
    const { outbox, sim } = rig;
    const [a, b] = await outbox.enqueue([
      { phones: "79990008881", mes: "a" },
      { phones: "79990008882", mes: "b" },
    ]);
    outbox.start({ concurrency: 2 });
    await vi.waitFor(async () => expect((await outbox.stats()).byState.sent, "both sent").toBe(2), {
      timeout: 15_000,
    });
    const at = new Date();
    expect(
      await outbox.markStatus({ id: a!.smscId, phone: "+79990008881", status: 1, at, source: "callback" }),
    ).toEqual({
      applied: true,
      previous: null,
    });
    expect(
      await outbox.markStatus({ id: a!.smscId, phone: "79990008881", status: 0, at, source: "callback" }),
    ).toEqual({
      applied: false,
      reason: "regression",
      current: 1,
    });
    expect(
      await outbox.markStatus({ id: a!.smscId, phone: "79990008881", status: 1, at, source: "callback" }),
    ).toMatchObject({
      applied: false,
      reason: "duplicate",
    });
    expect(
      await outbox.markStatus({ id: a!.smscId, phone: "79990008881", status: 2, at, source: "callback" }),
    ).toMatchObject({
      applied: true,
      previous: 1,
    });
    expect(
      await outbox.markStatus({ id: "nope", phone: "79990008881", status: 1, at, source: "callback" }),
    ).toMatchObject({
      applied: false,
      reason: "unknown_message",
    });
    await expect(
      outbox.markStatus({ id: a!.smscId, phone: "79990008881", status: 77, at, source: "callback" }),
    ).rejects.toMatchObject({ name: "OutboxValidationError", field: "status", rule: "catalog" });
    await expect(
      outbox.markStatus({
        id: a!.smscId,
        phone: "79990008881",
        status: 4,
        at: new Date("nope"),
        source: "callback",
      }),
    ).rejects.toMatchObject({ field: "at" });
    sim.inspector.advance(60_000);
    const report = await outbox.reconcilePending({ olderThanMs: 0 });
    expect(report).toMatchObject({ polled: 1, applied: 1, failed: 0 });
    const statuses = await outbox.store.recipientStatuses(b!.smscId);
    expect(statuses).toEqual([expect.objectContaining({ phone: "79990008882", status: 1, source: "poll" })]);
    expect(await outbox.reconcilePending({ olderThanMs: 0 })).toMatchObject({ polled: 0 });
  });

  it("stops gracefully and starts again where it left off", async () => {
    rig = await sqliteRig();
    const { outbox, sim } = rig;
    const claimed: number[] = [];
    outbox.on("claimed", (e) => claimed.push(...e.rowIds));
    const rows = await outbox.enqueue(
      Array.from({ length: 40 }, (_, i) => ({
        phones: `7999100${String(i).padStart(4, "0")}`,
        mes: `m${i}`,
      })),
    );
    outbox.start({ concurrency: 4 });
    await vi.waitFor(
      async () => expect((await outbox.stats()).byState.sent, "some sent").toBeGreaterThanOrEqual(5),
      { timeout: 15_000 },
    );
    await outbox.stop();
    const mid = await outbox.stats();
    expect(mid.byState.sending).toBe(0);
    expect(mid.inFlight).toBe(0);
    outbox.start({ concurrency: 4 });
    await vi.waitFor(async () => expect((await outbox.stats()).byState.sent, "all sent").toBe(40), {
      timeout: 15_000,
    });
    // Many rows share a request (and its id): each row's recipient was accepted once under its row's id.
    await expectEachRecipientOnce(
      sim,
      outbox.store,
      rows.map((r) => r.rowId),
    );
    // Rows given back at stop were claimed again after the restart; every row was claimed at least once.
    expect(new Set(claimed).size).toBe(40);
  });
});

describe("retention", () => {
  it("deletes finished rows on its schedule so the table does not grow without bound", async () => {
    rig = await sqliteRig({
      sim: { rules: { phones: [{ prefix: "7999555", sendError: 6 }] } },
      outbox: { retention: { sentMs: 1, deadMs: 1, intervalMs: 50 } },
    });
    const { outbox, sim } = rig;
    const seen = { sent: 0, dead: 0, prunedSent: 0, prunedDead: 0 };
    outbox.on("sent", () => seen.sent++);
    outbox.on("dead", () => seen.dead++);
    outbox.on("pruned", (e) => {
      seen.prunedSent += e.sent;
      seen.prunedDead += e.dead;
    });
    await outbox.enqueue([
      { phones: "79990301001", mes: "a" },
      { phones: "79990301002", mes: "b" },
      { phones: "79995550001", mes: "denied" },
    ]);
    await outbox.enqueue({ phones: "79990301003", mes: "tomorrow", notBefore: Date.now() + 86_400_000 });
    outbox.start({ concurrency: 2 });
    await vi.waitFor(() => expect(seen.sent === 2 && seen.dead === 1, "sent and dead events").toBeTruthy(), {
      timeout: 15_000,
    });
    await vi.waitFor(
      async () => {
        const s = await outbox.stats();
        expect(s.byState.sent === 0 && s.byState.dead === 0, "finished rows pruned").toBeTruthy();
      },
      { timeout: 15_000 },
    );
    expect((await outbox.stats()).byState.queued).toBe(1);
    // Accepted messages only: a recipient refused inside a batched request is kept with its status, unbilled.
    expect(accepted(sim)).toHaveLength(2);
    expect(seen).toMatchObject({ prunedSent: 2, prunedDead: 1 });
  });
});

describe("start and stop", () => {
  it("does not start sending when stop() came before the first migration finished", async () => {
    rig = await sqliteRig();
    const { outbox, sim } = rig;
    await outbox.store.migrate();
    await outbox.enqueue({ phones: "79990401001", mes: "must wait" });
    outbox.start({ concurrency: 1 });
    await outbox.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.inspector.messages()).toHaveLength(0);
    expect((await outbox.stats()).byState.queued).toBe(1);
  });
});

describe("leases", () => {
  it("keeps a slow send's lease alive by heartbeat, so a second worker never takes the row over", async () => {
    rig = await sqliteRig({
      sim: { faults: [{ match: { operation: ["send_sms", "send_sms2"] }, latencyMs: 900 }] },
      outbox: { leaseMs: 300, heartbeatMs: 60 },
    });
    const { outbox, sim, db, client } = rig;
    const second = createOutbox({
      store: openSqliteStore({ database: db }),
      client,
      ...FAST,
      leaseMs: 300,
      heartbeatMs: 60,
    });
    const warnings: string[] = [];
    const reconciled: boolean[] = [];
    for (const o of [outbox, second]) {
      o.on("warning", (w) => warnings.push(w.kind));
      o.on("sent", (e) => reconciled.push(e.reconciled));
    }
    const [row] = await outbox.enqueue({ phones: "79990501001", mes: "slow" });
    outbox.start({ concurrency: 1 });
    second.start({ concurrency: 1 });
    try {
      await vi.waitFor(() => expect(reconciled.length, "sent").toBe(1), { timeout: 15_000 });
      await new Promise((r) => setTimeout(r, 300));
      expect(reconciled).toEqual([false]);
      expect(warnings).not.toContain("lease_lost");
      expect(sim.inspector.messages().filter((m) => m.id === row!.smscId)).toHaveLength(1);
      expect(sim.inspector.counters().byOperation.get_status ?? 0).toBe(0);
    } finally {
      await second.stop();
    }
  });
});

describe("retries", () => {
  it("retries a request that never reached SMSC with growing backoff, then dead-letters after maxAttempts", async () => {
    rig = await sqliteRig();
    const { db } = rig;
    // A port nobody listens on: connection refused, so core reports outcome "not_sent".
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as AddressInfo;
        srv.close(() => resolve(port));
      });
    });
    const client = createSmscClient(
      { login: "demo", psw: "demo" },
      { baseUrl: `http://127.0.0.1:${closed}`, fallbackUrls: [], timeoutMs: 500 },
    );
    const outbox = createOutbox({
      store: openSqliteStore({ database: db, tablePrefix: "retry_" }),
      client,
      ...FAST,
      maxAttempts: 4,
      backoff: { baseDelayMs: 20, maxDelayMs: 10_000 },
    });
    const delays: number[] = [];
    const dead: string[] = [];
    outbox.on("retry", (e) => delays.push(e.runAt - e.at));
    outbox.on("dead", (e) => dead.push(e.error.errorClass ?? ""));
    try {
      const [row] = await outbox.enqueue({ phones: "79990601001", mes: "unreachable" });
      outbox.start({ concurrency: 1 });
      await vi.waitFor(() => expect(dead.length, "dead letter").toBe(1), { timeout: 15_000 });
      expect(delays).toHaveLength(3);
      for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
      expect(delays[2]!).toBeGreaterThanOrEqual(40);
      expect(dead).toEqual(["transport_not_sent"]);
      expect(await outbox.get(row!.rowId)).toMatchObject({ state: "dead", attempts: 4, lastAttemptAt: null });
    } finally {
      await outbox.stop();
      await client.close();
    }
  });
});
