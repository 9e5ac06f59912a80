import { expect, it } from "vitest";
import type { NewRow, OutboxStore, RowError } from "../../src/store/store.js";

/** Every attempt stored with its outcome (insert-attempts, attempts-of) and pruned with its row, on one store. */
export function attemptCases(current: () => { store: OutboxStore; peer(): Promise<OutboxStore> }): void {
  let seq = 0;
  const row = (overrides: Partial<NewRow> = {}): NewRow => {
    seq += 1;
    return {
      smscId: `a${seq}-${Math.random().toString(36).slice(2, 10)}`,
      idempotencyKey: null,
      request: { phones: "79990000001", mes: `attempt ${seq}` },
      recipients: ["79990000001"],
      meta: null,
      runAt: 1_000,
      createdAt: 1_000,
      ...overrides,
    };
  };
  const denied: RowError = { code: 6, errorClass: "denied", message: "message denied" };
  const timeout: RowError = { code: null, errorClass: "unknown", message: "timeout after submit" };

  it("records each outcome's attempt in order (retry, unknown, reconciled), readable by another process", async () => {
    const { store } = current();
    const [e] = await store.insert([row()]);
    const id = e!.rowId;
    await store.claim("w", 10, 9_000, 2_000);
    const retry = { kind: "retry", unknown: false, countAttempt: true } as const;
    await store.finish("w", id, { ...retry, runAt: 2_500, error: denied, attemptedAt: 1_900 }, 2_000);
    await store.claim("w", 10, 9_000, 2_500);
    await store.finish("w", id, { kind: "defer", runAt: 2_700, attemptedAt: null }, 2_550);
    await store.claim("w", 10, 9_000, 2_700);
    await store.finish(
      "w",
      id,
      { ...retry, unknown: true, runAt: 4_000, error: timeout, attemptedAt: 2_710 },
      2_800,
    );
    await store.claim("w", 10, 9_000, 4_000);
    // A finish from a worker that lost the lease writes no outcome and no attempt.
    const sent = { kind: "sent", at: 4_100, cnt: 1, cost: 2.5 } as const;
    expect(
      await store.finish("thief", id, { ...sent, countAttempt: true, attemptedAt: 4_050 }, 4_100),
    ).toBeNull();
    await store.finish("w", id, { ...sent, countAttempt: false, attemptedAt: null }, 4_100);
    const expected = [
      { rowId: id, seq: 1, at: 1_900, finishedAt: 2_000, outcome: "retry", error: denied },
      { rowId: id, seq: 2, at: 2_710, finishedAt: 2_800, outcome: "unknown", error: timeout },
      { rowId: id, seq: 3, at: 4_100, finishedAt: 4_100, outcome: "reconciled", error: null },
    ];
    expect(await store.attempts(id)).toEqual(expected);
    const peer = await current().peer();
    expect(await peer.attempts(id)).toEqual(expected);
  });

  it("records a request SMSC answered with a pause as a deferred attempt with its error", async () => {
    const { store } = current();
    const [e] = await store.insert([row()]);
    const funds: RowError = { code: 3, errorClass: "funds", message: "not enough funds" };
    await store.claim("w", 10, 9_000, 2_000);
    await store.finish(
      "w",
      e!.rowId,
      { kind: "defer", runAt: 3_000, attemptedAt: 1_950, error: funds },
      2_000,
    );
    expect(await store.attempts(e!.rowId)).toEqual([
      { rowId: e!.rowId, seq: 1, at: 1_950, finishedAt: 2_000, outcome: "deferred", error: funds },
    ]);
  });

  it("records a sent batch's attempts for the rows whose lease was still ours only", async () => {
    const { store } = current();
    const es = await store.insert([row(), row(), row()]);
    await store.claim("me", 2, 3_000, 2_000);
    await store.claim("other", 1, 3_000, 2_000);
    const items = es.map((e) => ({
      rowId: e.rowId,
      at: 2_100,
      cnt: 1,
      cost: 1,
      countAttempt: true,
      attemptedAt: 2_050,
    }));
    await store.finishSent("me", items, 2_100);
    const [first, second, third] = await Promise.all(es.map((e) => store.attempts(e.rowId)));
    expect(first).toEqual([
      { rowId: es[0]!.rowId, seq: 1, at: 2_050, finishedAt: 2_100, outcome: "sent", error: null },
    ]);
    expect(second?.map((a) => a.outcome)).toEqual(["sent"]);
    expect(third).toEqual([]);
  });

  it("deletes attempts with their rows when dead rows are purged and sent rows pruned", async () => {
    const { store } = current();
    const [dead, sent, kept] = await store.insert([row(), row(), row()]);
    await store.claim("w", 10, 9_000, 2_000);
    await store.finish(
      "w",
      dead!.rowId,
      { kind: "dead", at: 2_000, error: denied, countAttempt: true, attemptedAt: 1_950 },
      2_000,
    );
    const ok = { kind: "sent", cnt: 1, cost: 1, countAttempt: true, attemptedAt: 1_950 } as const;
    await store.finish("w", sent!.rowId, { ...ok, at: 2_000 }, 2_000);
    await store.finish("w", kept!.rowId, { ...ok, at: 5_000 }, 5_000);
    expect((await store.attempts(dead!.rowId)).map((a) => a.outcome)).toEqual(["dead"]);
    expect(await store.purgeDead(2_001)).toBe(1);
    expect(await store.attempts(dead!.rowId)).toEqual([]);
    expect(await store.prune(3_000, 100)).toBe(1);
    expect(await store.attempts(sent!.rowId)).toEqual([]);
    expect((await store.attempts(kept!.rowId)).map((a) => a.outcome)).toEqual(["sent"]);
  });
}
