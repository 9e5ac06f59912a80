import { expect, it } from "vitest";
import type { NewRow, OutboxStore, RecipientStatus } from "../../src/store/store.js";

/** The dashboard's read statements (activity, failure-codes, queue-depth, search) on one store. */
export function insightCases(current: () => { store: OutboxStore }): void {
  let seq = 0;
  const row = (overrides: Partial<NewRow> = {}): NewRow => {
    seq += 1;
    return {
      smscId: `i${seq}-${Math.random().toString(36).slice(2, 10)}`,
      idempotencyKey: null,
      request: { phones: "79990000001", mes: `insight ${seq}` },
      recipients: ["79990000001"],
      meta: null,
      runAt: 1_000,
      createdAt: 1_000,
      ...overrides,
    };
  };
  const always = () => true;
  const isFinal = (s: number) => s === 1 || s === 20;
  const status = (smscId: string, phone: string, code: number, at: number, err: number | null = null) =>
    ({ smscId, phone, status: code, err, at, source: "callback" }) satisfies RecipientStatus;
  const codes = { delivered: [1], failed: [20] };

  it("counts accepted, sent (with cost), dead, delivered and failed per bucket of a window", async () => {
    const { store } = current();
    const [a, b, c, old] = await store.insert([
      row({ createdAt: 10_000, recipients: ["79990000001", "79990000002"] }),
      row({ createdAt: 10_500 }),
      row({ createdAt: 21_000 }),
      row({ createdAt: 1_000 }),
    ]);
    await store.claim("w", 10, 99_000, 22_000);
    await store.finishSent(
      "w",
      [
        { rowId: a!.rowId, at: 11_000, cnt: 1, cost: 2.5, countAttempt: true, attemptedAt: 11_000 },
        { rowId: b!.rowId, at: 22_000, cnt: 1, cost: 1.25, countAttempt: true, attemptedAt: 22_000 },
      ],
      22_000,
    );
    const error = { code: 8, errorClass: "denied" as const, message: "cannot be delivered" };
    await store.finish(
      "w",
      c!.rowId,
      { kind: "dead", at: 23_000, error, countAttempt: true, attemptedAt: 22_000 },
      23_000,
    );
    await store.finish(
      "w",
      old!.rowId,
      { kind: "dead", at: 2_000, error, countAttempt: true, attemptedAt: 2_000 },
      2_000,
    );
    await store.applyStatus(status(a!.smscId, "79990000001", 1, 12_000), always, isFinal);
    await store.applyStatus(status(a!.smscId, "79990000002", 20, 25_000, 11), always, isFinal);
    await store.applyStatus(status(b!.smscId, "79990000001", 0, 23_500), always, isFinal);

    const counts = await store.activity(10_000, 10_000, codes);
    const cell = (kind: string, bucket: number) => counts.find((r) => r.kind === kind && r.bucket === bucket);
    expect(cell("accepted", 0)?.count).toBe(2);
    expect(cell("accepted", 1)?.count).toBe(1);
    expect(cell("sent", 0)).toMatchObject({ count: 1, amount: 2.5 });
    expect(cell("sent", 1)).toMatchObject({ count: 1, amount: 1.25 });
    expect(cell("dead", 1)?.count).toBe(1);
    expect(cell("delivered", 0)?.count).toBe(1);
    expect(cell("undelivered", 1)?.count).toBe(1);
    // Before the window (the old row, its dead-lettering) and a status that is neither delivered nor failed: none.
    expect(counts.filter((r) => r.bucket < 0)).toEqual([]);
    expect(counts.reduce((n, r) => n + r.count, 0)).toBe(2 + 1 + 1 + 1 + 1 + 1 + 1);

    const failures = await store.failureCodes(10_000, codes.failed);
    expect(failures).toEqual(
      expect.arrayContaining([
        { source: "send", code: 8, count: 1 },
        { source: "delivery", code: 11, count: 1 },
      ]),
    );
    expect(failures).toHaveLength(2);
  });

  it("reports queue depth by waiting state, the oldest due row and the dead-letter depth", async () => {
    const { store } = current();
    await store.insert([
      row({ runAt: 5_000 }),
      row({ runAt: 3_000 }),
      row({ runAt: 50_000 }),
      row({ runAt: 4_000 }),
    ]);
    await store.claim("w", 1, 99_000, 3_500);
    const depth = await store.queueDepth(10_000);
    expect(depth.byState).toEqual({ queued: 3, unknown: 0, sending: 1 });
    expect(depth.oldestDueAt).toBe(4_000);
    expect(depth.deadLetterDepth).toBe(0);
    const [sending] = await store.claim("w", 1, 99_000, 10_000);
    const error = { code: 6, errorClass: "denied" as const, message: "denied" };
    await store.finish(
      "w",
      sending!.rowId,
      { kind: "dead", at: 10_000, error, countAttempt: true, attemptedAt: 10_000 },
      10_000,
    );
    expect((await store.queueDepth(10_000)).deadLetterDepth).toBe(1);
  });

  it("searches by recipient, SMSC id, state, time and meta, paging without repeats", async () => {
    const { store } = current();
    const rows = Array.from({ length: 25 }, (_, i) =>
      row({
        createdAt: 1_000 + i,
        recipients: [i % 5 === 0 ? "79990000030" : "79990000031"],
        meta: { order: String(i % 3), campaign: "spring" },
      }),
    );
    const inserted = await store.insert(rows);
    const byPhone = await store.search({ recipient: "79990000030", limit: 100 });
    expect(byPhone.map((r) => r.rowId).sort((x, y) => x - y)).toEqual(
      inserted.filter((_, i) => i % 5 === 0).map((r) => r.rowId),
    );
    // A recipient is a whole element: a prefix of a stored number does not match.
    expect(await store.search({ recipient: "7999000003", limit: 100 })).toEqual([]);
    expect((await store.search({ smscId: rows[7]!.smscId, limit: 5 })).map((r) => r.rowId)).toEqual([
      inserted[7]!.rowId,
    ]);
    expect((await store.search({ metaKey: "order", metaValue: "1", limit: 100 })).length).toBe(8);
    expect((await store.search({ metaKey: "campaign", limit: 100 })).length).toBe(25);
    expect(await store.search({ metaKey: "missing", limit: 100 })).toEqual([]);
    expect((await store.search({ state: "queued", limit: 100 })).length).toBe(25);
    expect(await store.search({ state: "dead", limit: 100 })).toEqual([]);

    const seen: number[] = [];
    let before: { updatedAt: number; rowId: number } | undefined;
    for (;;) {
      const page = await store.search({ recipient: "79990000031", limit: 7, ...(before ? { before } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((r) => r.rowId));
      const last = page[page.length - 1]!;
      before = { updatedAt: last.updatedAt, rowId: last.rowId };
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);

    const all = await store.search({ limit: 100 });
    const times = all.map((r) => r.updatedAt).sort((x, y) => x - y);
    const mid = times[10]!;
    const ranged = await store.search({ since: mid, until: mid, limit: 100 });
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranged.every((r) => r.updatedAt === mid)).toBe(true);
  });
}
