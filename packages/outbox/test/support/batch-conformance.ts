import { expect, it } from "vitest";
import type { NewRow, OutboxStore, TransitionRule } from "../../src/store/store.js";

let seq = 0;
function row(phone: string): NewRow {
  seq += 1;
  return {
    smscId: `b${seq}-${Math.random().toString(36).slice(2, 10)}`,
    idempotencyKey: null,
    request: { send: { phones: phone, mes: `batch ${seq}` } },
    recipients: [phone],
    meta: null,
    runAt: 1_000,
    createdAt: 1_000,
  };
}

const forwardOnly: TransitionRule = (prev, next) => prev === null || next.status > prev.status;
const isFinal = (s: number) => s >= 1;

/** Many rows per request (src/coalesce/): one id stored on every row before the send, statuses found by it. */
export function batchCases(get: () => { store: OutboxStore }): void {
  it("stores one request's id on every row it carries, only while the owner holds them", async () => {
    const { store } = get();
    const [a, b, c] = await store.insert([row("79995550001"), row("79995550002"), row("79995550003")]);
    await store.claim("w", 10, 9_000, 2_000);
    const batchId = `B-${Math.random().toString(36).slice(2, 10)}`;
    expect((await store.assignBatch("w", [a!.rowId, b!.rowId], batchId, 2_100)).sort()).toEqual(
      [a!.rowId, b!.rowId].sort(),
    );
    expect(await store.assignBatch("thief", [c!.rowId], "other", 2_100)).toEqual([]);
    expect(await store.get(a!.rowId)).toMatchObject({ batchId, smscId: a!.smscId, state: "sending" });
    expect(await store.get(c!.rowId)).toMatchObject({ batchId: null });
    // A worker that died mid-request: the next owner reclaims the rows for reconcile, with the batch's id.
    const reclaimed = await store.claim("next", 10, 30_000, 9_500);
    expect(reclaimed.filter((r) => r.batchId === batchId).map((r) => r.reconcile)).toEqual([true, true]);
  });

  it("finds a batch row's recipient by the batch id, keeps its status under the row's own id", async () => {
    const { store } = get();
    const [a, b] = await store.insert([row("79995550011"), row("79995550012")]);
    await store.claim("w", 10, 9_000, 2_000);
    const batchId = `B-${Math.random().toString(36).slice(2, 10)}`;
    await store.assignBatch("w", [a!.rowId, b!.rowId], batchId, 2_050);
    const sent = (rowId: number) => ({
      rowId,
      at: 2_100,
      cnt: 1,
      cost: 1,
      countAttempt: true,
      attemptedAt: 2_060,
    });
    expect((await store.finishSent("w", [sent(a!.rowId), sent(b!.rowId)], 2_100)).size).toBe(2);
    const pending = await store.pendingStatuses(5_000, 10);
    expect(
      pending
        .filter((p) => p.smscId === batchId)
        .map((p) => p.phone)
        .sort(),
    ).toEqual(["79995550011", "79995550012"]);
    const update = {
      smscId: batchId,
      phone: "79995550012",
      status: 1,
      err: null,
      at: 2_200,
      source: "callback" as const,
    };
    expect(await store.applyStatus(update, forwardOnly, isFinal)).toMatchObject({
      applied: true,
      row: { rowId: b!.rowId },
    });
    expect(await store.applyStatus({ ...update, phone: "79995559999" }, forwardOnly, isFinal)).toMatchObject({
      applied: false,
      reason: "unknown_recipient",
    });
    expect((await store.recipientStatuses(b!.smscId)).map((s) => [s.phone, s.status])).toEqual([
      ["79995550012", 1],
    ]);
    expect(await store.recipientStatuses(a!.smscId)).toEqual([]);
    expect(
      (await store.pendingStatuses(5_000, 10)).filter((p) => p.smscId === batchId).map((p) => p.phone),
    ).toEqual(["79995550011"]);
  });
}
