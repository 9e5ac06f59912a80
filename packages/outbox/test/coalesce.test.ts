import { afterEach, describe, expect, it, vi } from "vitest";
import { type DeadEvent, type SentEvent, wireId } from "../src/index.js";
import { accepted, expectEachRecipientOnce, rowsOf } from "./support/exactly-once.js";
import { type SqliteRig, sqliteRig } from "./support/harness.js";

let rig: SqliteRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Send requests the simulator answered (core uses send_sms or send_sms2 depending on the options). */
const sends = (r: SqliteRig) => {
  const ops = r.sim.inspector.counters().byOperation;
  return (ops.send_sms ?? 0) + (ops.send_sms2 ?? 0);
};

async function allSettled(r: SqliteRig, count: number): Promise<void> {
  await vi.waitFor(
    async () => {
      const s = await r.outbox.stats();
      expect(s.byState.sent + s.byState.dead, "every row settled").toBe(count);
    },
    { timeout: 30_000, interval: 20 },
  );
}

describe("many messages per request", () => {
  it("sends rows with one text as one request with a phones list, under one id stored on each row", async () => {
    rig = await sqliteRig();
    const rows = await rig.outbox.enqueue(
      Array.from({ length: 12 }, (_, i) => ({
        phones: `+7 (999) 610-00-${String(i).padStart(2, "0")}`,
        mes: "Campaign: -20% today",
        sender: "Shop",
      })),
    );
    rig.outbox.start({ concurrency: 1 });
    await allSettled(rig, 12);
    expect(sends(rig)).toBe(1);
    const stored = await expectEachRecipientOnce(
      rig.sim,
      rig.outbox.store,
      rows.map((r) => r.rowId),
    );
    const ids = new Set(stored.map(wireId));
    expect(ids.size).toBe(1);
    const [batchId] = ids;
    // The batch's own id, not one of the rows' ids; every row keeps its own id for callers.
    expect(stored.every((row) => row.batchId === batchId && row.smscId !== batchId)).toBe(true);
    const messages = rig.sim.inspector.messages();
    expect(messages).toHaveLength(12);
    expect(
      messages.every((m) => m.id === batchId && m.mes === "Campaign: -20% today" && m.sender === "Shop"),
    ).toBe(true);
    // Attributed by parts: one part per recipient, as SMSC's cnt for the request says in total.
    expect(stored.every((row) => row.state === "sent" && row.cnt === 1 && row.attempts === 1)).toBe(true);
  });

  it("sends rows with different texts and the same options as one `list` request, newlines intact", async () => {
    rig = await sqliteRig();
    const texts = ["Order 1 shipped", "Order 2 shipped\nTrack: abc", "Заказ 3 отправлен"];
    const rows = await rig.outbox.enqueue(
      texts.map((mes, i) => ({ phones: `7999620000${i}`, mes, cost: 3, meta: { i } })),
    );
    const sent: SentEvent[] = [];
    rig.outbox.on("sent", (e) => sent.push(e));
    rig.outbox.start({ concurrency: 1 });
    await allSettled(rig, 3);
    expect(sends(rig)).toBe(1);
    const stored = await expectEachRecipientOnce(
      rig.sim,
      rig.outbox.store,
      rows.map((r) => r.rowId),
    );
    expect(new Set(stored.map(wireId)).size).toBe(1);
    const byPhone = new Map(rig.sim.inspector.messages().map((m) => [m.phone, m.mes]));
    expect(texts.map((_, i) => byPhone.get(`7999620000${i}`))).toEqual(texts);
    // One event per row with its share: the parts of its own text (Cyrillic is one UCS-2 part), cost split by parts.
    expect(sent.map((e) => e.meta?.i).sort()).toEqual([0, 1, 2]);
    expect(sent.every((e) => e.cnt === 1)).toBe(true);
    const total = rig.sim.inspector.messages().reduce((sum, m) => sum + m.cost, 0);
    expect(sent.reduce((sum, e) => sum + (e.cost ?? 0), 0)).toBeCloseTo(total, 4);
  });

  it("sends the others when one number is refused; that row dead-letters with the recipient's status", async () => {
    rig = await sqliteRig({ sim: { rules: { phones: [{ prefix: "79996300009", sendError: 7 }] } } });
    const rows = await rig.outbox.enqueue(
      Array.from({ length: 10 }, (_, i) => ({ phones: `7999630000${i}`, mes: "Same text" })),
    );
    const dead: DeadEvent[] = [];
    rig.outbox.on("dead", (e) => dead.push(e));
    rig.outbox.start({ concurrency: 1 });
    await allSettled(rig, 10);
    expect(sends(rig)).toBe(1);
    const stored = await rowsOf(
      rig.outbox.store,
      rows.map((r) => r.rowId),
    );
    const bad = stored.find((row) => row.recipients[0] === "79996300009")!;
    expect(bad).toMatchObject({ state: "dead", lastErrorClass: "invalid_recipient", attempts: 1 });
    expect(bad.lastError).toMatch(/status 22 \(Invalid number\)/);
    expect(dead.map((e) => e.rowId)).toEqual([bad.rowId]);
    expect(stored.filter((row) => row.state === "sent")).toHaveLength(9);
    expect(accepted(rig.sim)).toHaveLength(9);
    // Its attempt says what happened, and the recipient's status is kept as SMSC reported it.
    expect((await rig.outbox.insights.attempts(bad.rowId)).map((a) => a.outcome)).toEqual(["dead"]);
    const statuses = await rig.outbox.store.recipientStatuses(bad.smscId);
    expect(statuses).toMatchObject([{ phone: "79996300009", status: 22, source: "send" }]);
  });

  it("dead-letters every row when SMSC finds no valid recipient in the request (error 7 with err=1)", async () => {
    rig = await sqliteRig({ sim: { rules: { phones: [{ prefix: "799964", sendError: 7 }] } } });
    const rows = await rig.outbox.enqueue(
      Array.from({ length: 4 }, (_, i) => ({ phones: `7999640000${i}`, mes: `t${i}` })),
    );
    rig.outbox.start({ concurrency: 1 });
    await allSettled(rig, 4);
    const stored = await rowsOf(
      rig.outbox.store,
      rows.map((r) => r.rowId),
    );
    expect(stored.every((row) => row.state === "dead" && row.lastErrorCode === 7)).toBe(true);
    expect(accepted(rig.sim)).toHaveLength(0);
  });

  it("keeps recipients of one request distinct: a row to a phone already aboard waits for the next request", async () => {
    rig = await sqliteRig();
    const rows = await rig.outbox.enqueue([
      { phones: "79996500001", mes: "first" },
      { phones: "79996500002", mes: "first" },
      { phones: "79996500001", mes: "second to the same phone" },
    ]);
    rig.outbox.start({ concurrency: 1 });
    await allSettled(rig, 3);
    const stored = await expectEachRecipientOnce(
      rig.sim,
      rig.outbox.store,
      rows.map((r) => r.rowId),
    );
    expect(wireId(stored[2]!)).not.toBe(wireId(stored[0]!));
    expect(sends(rig)).toBe(2);
  });

  it("can be switched off per outbox and per message", async () => {
    rig = await sqliteRig({ outbox: { coalesce: false } });
    const off = await rig.outbox.enqueue(
      Array.from({ length: 5 }, (_, i) => ({ phones: `7999660000${i}`, mes: "same" })),
    );
    rig.outbox.start({ concurrency: 1 });
    await allSettled(rig, 5);
    expect(sends(rig)).toBe(5);
    const alone = await expectEachRecipientOnce(
      rig.sim,
      rig.outbox.store,
      off.map((r) => r.rowId),
    );
    expect(alone.every((row) => row.batchId === null)).toBe(true);
    await rig.close();

    rig = await sqliteRig();
    const rows = await rig.outbox.enqueue([
      ...Array.from({ length: 4 }, (_, i) => ({ phones: `7999670000${i}`, mes: "same" })),
      { phones: "79996700009", mes: "same", travelAlone: true },
    ]);
    rig.outbox.start({ concurrency: 1 });
    await allSettled(rig, 5);
    expect(sends(rig)).toBe(2);
    const stored = await expectEachRecipientOnce(
      rig.sim,
      rig.outbox.store,
      rows.map((r) => r.rowId),
    );
    expect(stored[4]).toMatchObject({ batchId: null });
    expect(rig.sim.inspector.message(stored[4]!.smscId, "79996700009")).toBeDefined();
    expect(new Set(stored.slice(0, 4).map(wireId)).size).toBe(1);
    await expect(
      rig.outbox.enqueue({ phones: "79996700010", mes: "x", travelAlone: "yes" as never }),
    ).rejects.toMatchObject({ field: "travelAlone" });
  });

  it("under timeouts after accept and 503s on batched requests, every message is accepted exactly once (SQLite)", async () => {
    rig = await sqliteRig({
      sim: {
        faults: [
          { match: { operation: ["send_sms", "send_sms2"] }, afterAccept: "hang", probability: 0.25 },
          { match: { operation: ["send_sms", "send_sms2"] }, httpStatus: 503, probability: 0.25 },
        ],
      },
      outbox: { coalesce: { maxRecipients: 8, maxListLines: 8 } },
      clientTimeoutMs: 300,
    });
    const rows = await rig.outbox.enqueue(
      Array.from({ length: 200 }, (_, i) => ({
        phones: `79996800${String(i).padStart(3, "0")}`,
        mes: i % 2 === 0 ? "campaign" : `personal ${i}`,
      })),
    );
    const reconciled: number[] = [];
    rig.outbox.on("sent", (e) => e.reconciled && reconciled.push(e.rowId));
    rig.outbox.start({ concurrency: 4 });
    await vi.waitFor(async () => expect((await rig!.outbox.stats()).byState.sent, "200 sent").toBe(200), {
      timeout: 90_000,
      interval: 50,
    });
    await expectEachRecipientOnce(
      rig.sim,
      rig.outbox.store,
      rows.map((r) => r.rowId),
    );
    expect(rig.sim.inspector.counters().faultsInjected).toBeGreaterThan(0);
    // Rows of hung batches were found by get_status (batch id, phone) instead of being sent again.
    expect(reconciled.length).toBeGreaterThan(0);
  }, 120_000);
});
