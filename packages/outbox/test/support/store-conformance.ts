import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STATEMENTS } from "../../src/store/sql/registry.js";
import type {
  NewRow,
  OutboxStore,
  RecipientStatus,
  RowError,
  TransitionRule,
} from "../../src/store/store.js";
import { attemptCases } from "./attempts-conformance.js";
import { batchCases } from "./batch-conformance.js";
import { loginHoldCases, slidingWindowCases, slotBudgetCases } from "./budget-conformance.js";
import { floodCases } from "./flood-conformance.js";
import { insightCases } from "./insights-conformance.js";
import { readingCases } from "./readings-conformance.js";

/** What each store's test file provides: a fresh store and a way to run code inside the caller's transaction. */
export interface StoreHarness {
  store: OutboxStore;
  /** Runs fn inside a transaction the *caller* owns, then commits or rolls back. */
  inCallerTx(fn: (tx: unknown) => Promise<void>, end: "commit" | "rollback"): Promise<void>;
  /** A second, independent store on the same data, as another process would have. */
  peer(): Promise<OutboxStore>;
  /** Runs raw SQL on the store's messages table, named `{messages}` in the text (what an older version wrote). */
  onMessages(sql: string): Promise<void>;
  cleanup(): Promise<void>;
}

let seq = 0;
function row(overrides: Partial<NewRow> = {}): NewRow {
  seq += 1;
  return {
    smscId: `t${seq}-${Math.random().toString(36).slice(2, 10)}`,
    idempotencyKey: null,
    request: { phones: "79990000001", mes: `hello ${seq}` },
    recipients: ["79990000001"],
    meta: { n: seq },
    runAt: 1_000,
    createdAt: 1_000,
    ...overrides,
  };
}

const forwardOnly: TransitionRule = (prev, next) => prev === null || next.status > prev.status;
const isFinal = (s: number) => s >= 1;

/**
 * `makeHarness(ran)`: the store under test must note in `ran` the name of every statement it sends (see
 * observe-statements.ts); the last case checks that the suite ran every statement of the store.
 */
export function describeStoreConformance(
  name: string,
  makeHarness: (ran: Set<string>) => Promise<StoreHarness>,
): void {
  describe(`${name} store conformance`, () => {
    let h: StoreHarness;
    let store: OutboxStore;
    const ran = new Set<string>();
    beforeEach(async () => {
      h = await makeHarness(ran);
      store = h.store;
      await store.migrate();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it("migrates idempotently, also when several instances start at once", async () => {
      await store.migrate();
      const peers = await Promise.all([h.peer(), h.peer(), h.peer()]);
      await Promise.all(peers.map((p) => p.migrate()));
      const [created] = await store.insert([row()]);
      expect(created?.created).toBe(true);
      expect(await peers[0]!.get(created!.rowId)).toMatchObject({ smscId: created!.smscId, state: "queued" });
    });

    it("stores a message with its SMSC id, request, recipients and meta", async () => {
      const r = row({
        meta: { order: 42, tags: ["a"] },
        request: { phones: "79990000002", mes: "Привет", sender: "Shop" },
      });
      const [e] = await store.insert([r]);
      const got = await store.get(e!.rowId);
      expect(got).toMatchObject({
        smscId: r.smscId,
        request: r.request,
        recipients: r.recipients,
        meta: r.meta,
        state: "queued",
        attempts: 0,
        runAt: 1_000,
      });
      expect((await store.getBySmscId(r.smscId))?.rowId).toBe(e!.rowId);
    });

    it("returns the existing row for a repeated idempotency key, also within one batch", async () => {
      const [first] = await store.insert([row({ idempotencyKey: "order-1" })]);
      const again = await store.insert([
        row({ idempotencyKey: "order-1" }),
        row({ idempotencyKey: "order-2" }),
      ]);
      expect(again[0]).toEqual({ ...first, created: false });
      expect(again[1]?.created).toBe(true);
      const dup = await store.insert([
        row({ idempotencyKey: "order-3" }),
        row({ idempotencyKey: "order-3" }),
      ]);
      expect(dup[0]?.created).toBe(true);
      expect(dup[1]).toMatchObject({ rowId: dup[0]!.rowId, smscId: dup[0]!.smscId, created: false });
      const stats = await store.stats(2_000);
      expect(stats.byState.queued).toBe(3);
    });

    it("inserts thousands of rows in one call", async () => {
      const rows = Array.from({ length: 3_000 }, () => row());
      const out = await store.insert(rows);
      expect(out).toHaveLength(3_000);
      expect(new Set(out.map((o) => o.rowId)).size).toBe(3_000);
      expect(out.map((o) => o.smscId)).toEqual(rows.map((r) => r.smscId));
      expect((await store.stats(2_000)).byState.queued).toBe(3_000);
    });

    it("writes chunked batches all or nothing, also inside the caller's transaction", async () => {
      function* chunks(failAt: number | null): Generator<NewRow[]> {
        for (let c = 0; c < 4; c++) {
          if (c === failAt) throw new Error(`bad message in chunk ${c}`);
          yield Array.from({ length: 500 }, () => row());
        }
      }
      await expect(store.insertChunks(chunks(2))).rejects.toThrow("bad message in chunk 2");
      expect((await store.stats(5_000)).byState.queued).toBe(0);
      const ok = await store.insertChunks(chunks(null));
      expect(ok).toHaveLength(2_000);
      const kept = row();
      await h.inCallerTx(async (tx) => {
        await store.insert([kept], tx);
        await expect(store.insertChunks(chunks(1), tx)).rejects.toThrow("bad message in chunk 1");
      }, "commit");
      expect(await store.getBySmscId(kept.smscId)).not.toBeNull();
      expect((await store.stats(5_000)).byState.queued).toBe(2_001);
    });

    it("writes nothing when the caller's transaction rolls back and the row once it commits", async () => {
      const rolledBack = row();
      await h.inCallerTx(async (tx) => {
        await store.insert([rolledBack], tx);
      }, "rollback");
      expect(await store.getBySmscId(rolledBack.smscId)).toBeNull();
      const committed = row();
      await h.inCallerTx(async (tx) => {
        await store.insert([committed], tx);
      }, "commit");
      expect(await store.getBySmscId(committed.smscId)).toMatchObject({ state: "queued" });
      const claimed = await store.claim("w1", 10, 5_000, 2_000);
      expect(claimed.map((c) => c.smscId)).toEqual([committed.smscId]);
    });

    it("claims only due rows, each by one owner, under a lease", async () => {
      await store.insert([row({ runAt: 1_000 }), row({ runAt: 1_500 }), row({ runAt: 9_000 })]);
      const a = await store.claim("a", 1, 5_000, 2_000);
      const b = await store.claim("b", 10, 5_000, 2_000);
      expect(a).toHaveLength(1);
      expect(b).toHaveLength(1);
      expect(a[0]!.rowId).not.toBe(b[0]!.rowId);
      expect(a[0]).toMatchObject({ state: "sending", reconcile: false });
      expect(await store.claim("c", 10, 5_000, 2_000)).toEqual([]);
    });

    it("hands each row to exactly one of many concurrent claimers", async () => {
      await store.insert(Array.from({ length: 200 }, () => row()));
      const peers = await Promise.all([h.peer(), h.peer(), h.peer()]);
      const all = [store, ...peers];
      const got: number[] = [];
      for (let round = 0; round < 20; round++) {
        const batches = await Promise.all(all.map((s, i) => s.claim(`w${i}`, 7, 10_000, 2_000)));
        for (const b of batches) got.push(...b.map((c) => c.rowId));
      }
      expect(got).toHaveLength(200);
      expect(new Set(got).size).toBe(200);
    });

    it("lets another worker reclaim an expired lease, marked for reconcile, and fences the old owner", async () => {
      const [e] = await store.insert([row()]);
      await store.claim("old", 10, 3_000, 2_000);
      // The old owner marked its request as about to leave (every send does, src/delivery.ts), then died.
      expect(await store.markSending("old", [e!.rowId])).toEqual([e!.rowId]);
      expect(await store.claim("new", 10, 9_000, 2_999)).toEqual([]);
      const again = await store.claim("new", 10, 9_000, 3_000);
      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({ rowId: e!.rowId, reconcile: true });
      const late = await store.finish(
        "old",
        e!.rowId,
        { kind: "sent", at: 3_100, cnt: 1, cost: 1, countAttempt: true, attemptedAt: 1_500 },
        3_100,
      );
      expect(late).toBeNull();
      const mine = await store.finish(
        "new",
        e!.rowId,
        { kind: "sent", at: 3_200, cnt: 2, cost: 3.5, countAttempt: true, attemptedAt: 1_500 },
        3_200,
      );
      expect(mine).toMatchObject({ state: "sent", cnt: 2, cost: 3.5, sentAt: 3_200, attempts: 1 });
    });

    it("writes many sent outcomes at once, skipping rows whose lease is no longer ours", async () => {
      const es = await store.insert([row(), row(), row()]);
      await store.claim("me", 2, 3_000, 2_000);
      await store.claim("other", 1, 3_000, 2_000);
      const items = es.map((e, i) => ({
        rowId: e.rowId,
        at: 2_100,
        cnt: i + 1,
        cost: 1.5,
        countAttempt: true,
        attemptedAt: 2_050,
      }));
      const done = await store.finishSent("me", items, 2_100);
      expect([...done.keys()].sort()).toEqual([es[0]!.rowId, es[1]!.rowId].sort());
      expect(done.get(es[1]!.rowId)).toMatchObject({
        state: "sent",
        cnt: 2,
        cost: 1.5,
        attempts: 1,
        lastAttemptAt: 2_050,
      });
      expect(await store.get(es[2]!.rowId)).toMatchObject({ state: "sending", cnt: null });
    });

    it("extends a lease on heartbeat, only for the owner", async () => {
      const [e] = await store.insert([row()]);
      await store.claim("me", 10, 3_000, 2_000);
      expect(await store.heartbeat("someone-else", [e!.rowId], 99_000)).toBe(0);
      expect(await store.heartbeat("me", [e!.rowId], 8_000)).toBe(1);
      expect(await store.claim("thief", 10, 20_000, 5_000)).toEqual([]);
      expect(await store.claim("thief", 10, 20_000, 8_000)).toHaveLength(1);
    });

    it("reclaims an expired lease without reconcile when its owner never marked a request, with reconcile when a process of an earlier version held it", async () => {
      const [never, older] = await store.insert([row(), row()]);
      await store.claim("died-before-sending", 10, 3_000, 2_000);
      const reclaimed = await store.claim("new", 10, 9_000, 3_000);
      const byRow = (rows: { rowId: number; reconcile: boolean }[]) =>
        rows.map((r) => [r.rowId, r.reconcile]).sort((a, b) => Number(a[0]) - Number(b[0]));
      expect(byRow(reclaimed)).toEqual([
        [never!.rowId, false],
        [older!.rowId, false],
      ]);
      // A row some other owner claimed since (a process that does not write the proof, as before version 10)
      // is no longer proved unsent by the earlier claim: it is reconciled.
      await store.release("new", [never!.rowId, older!.rowId], 3_100);
      await store.claim("w", 10, 4_000, 3_100);
      await store.release("w", [older!.rowId], 3_100);
      await h.onMessages(
        `UPDATE {messages} SET state = 'sending', lease_owner = 'v9-process', run_at = 4000 WHERE row_id = ${older!.rowId}`,
      );
      const again = await store.claim("next", 10, 9_000, 4_000);
      expect(byRow(again)).toEqual([
        [never!.rowId, false],
        [older!.rowId, true],
      ]);
    });

    it("releases claimed rows without consuming an attempt", async () => {
      const [e] = await store.insert([row()]);
      await store.claim("me", 10, 9_000, 2_000);
      expect(await store.release("me", [e!.rowId], 2_500)).toBe(1);
      const r = await store.get(e!.rowId);
      expect(r).toMatchObject({ state: "queued", attempts: 0, runAt: 2_500 });
      const again = await store.claim("other", 10, 9_000, 2_500);
      expect(again[0]).toMatchObject({ rowId: e!.rowId, reconcile: false });
    });

    it("keeps an unknown outcome as its own state that is reclaimed with reconcile set", async () => {
      const [e] = await store.insert([row()]);
      await store.claim("w", 10, 9_000, 2_000);
      const err: RowError = { code: null, errorClass: "unknown", message: "timeout after submit" };
      const r = await store.finish(
        "w",
        e!.rowId,
        { kind: "retry", runAt: 4_000, error: err, unknown: true, countAttempt: true, attemptedAt: 1_500 },
        2_100,
      );
      expect(r).toMatchObject({
        state: "unknown",
        attempts: 1,
        runAt: 4_000,
        lastError: "timeout after submit",
      });
      expect(await store.claim("w", 10, 9_000, 3_999)).toEqual([]);
      const [c] = await store.claim("w", 10, 9_000, 4_000);
      expect(c).toMatchObject({ rowId: e!.rowId, reconcile: true, attempts: 1 });
      const deferred = await store.finish(
        "w",
        e!.rowId,
        { kind: "defer", runAt: 6_000, attemptedAt: null },
        4_100,
      );
      expect(deferred).toMatchObject({ state: "unknown", runAt: 6_000, attempts: 1, lastAttemptAt: 1_500 });
    });

    it("retries, dead-letters, redrives (same id, attempts reset) and purges", async () => {
      const [e] = await store.insert([row()]);
      await store.claim("w", 10, 9_000, 2_000);
      const err: RowError = { code: 6, errorClass: "denied", message: "message denied" };
      const retry = await store.finish(
        "w",
        e!.rowId,
        { kind: "retry", runAt: 2_500, error: err, unknown: false, countAttempt: true, attemptedAt: 1_500 },
        2_000,
      );
      expect(retry).toMatchObject({
        state: "queued",
        attempts: 1,
        lastErrorCode: 6,
        lastErrorClass: "denied",
      });
      await store.claim("w", 10, 9_000, 2_500);
      const dead = await store.finish(
        "w",
        e!.rowId,
        { kind: "dead", at: 2_600, error: err, countAttempt: true, attemptedAt: 1_500 },
        2_600,
      );
      expect(dead).toMatchObject({ state: "dead", attempts: 2, deadAt: 2_600 });
      expect((await store.listDead(10, 0)).map((d) => d.rowId)).toEqual([e!.rowId]);
      expect((await store.stats(3_000)).deadLetterDepth).toBe(1);
      expect(await store.redrive(e!.rowId, 3_000)).toBe(true);
      expect(await store.redrive(e!.rowId, 3_000)).toBe(false);
      const back = await store.get(e!.rowId);
      expect(back).toMatchObject({ state: "queued", attempts: 0, smscId: e!.smscId, runAt: 3_000 });
      await store.claim("w", 10, 9_000, 3_000);
      await store.finish(
        "w",
        e!.rowId,
        { kind: "dead", at: 3_100, error: err, countAttempt: true, attemptedAt: 1_500 },
        3_100,
      );
      expect(await store.purgeDead(3_100)).toBe(0);
      expect(await store.purgeDead(3_101)).toBe(1);
      expect(await store.get(e!.rowId)).toBeNull();
    });

    it("applies recipient statuses through the transition rule and tracks open recipients", async () => {
      const r = row({
        request: { phones: "79990000001,79990000002", mes: "x" },
        recipients: ["79990000001", "79990000002"],
      });
      const [e] = await store.insert([r]);
      await store.claim("w", 10, 9_000, 2_000);
      await store.finish(
        "w",
        e!.rowId,
        { kind: "sent", at: 2_000, cnt: 2, cost: 2, countAttempt: true, attemptedAt: 1_500 },
        2_000,
      );
      const upd = (phone: string, status: number, at: number): RecipientStatus => ({
        smscId: r.smscId,
        phone,
        status,
        err: null,
        at,
        source: "callback",
      });
      expect(await store.applyStatus(upd("79990000001", 0, 2_100), forwardOnly, isFinal)).toMatchObject({
        applied: true,
      });
      expect(await store.applyStatus(upd("79990000001", 1, 2_200), forwardOnly, isFinal)).toMatchObject({
        applied: true,
      });
      expect(await store.applyStatus(upd("79990000001", 0, 2_300), forwardOnly, isFinal)).toMatchObject({
        applied: false,
        reason: "stale",
        previous: { status: 1 },
      });
      expect(await store.applyStatus(upd("79991111111", 1, 2_300), forwardOnly, isFinal)).toMatchObject({
        applied: false,
        reason: "unknown_recipient",
      });
      expect(
        await store.applyStatus({ ...upd("79990000001", 1, 2_300), smscId: "nope" }, forwardOnly, isFinal),
      ).toMatchObject({ applied: false, reason: "unknown_message" });
      const pending = await store.pendingStatuses(5_000, 10);
      expect(pending.map((p) => p.phone)).toEqual(["79990000002"]);
      expect(await store.pendingStatuses(2_000, 10)).toEqual([]);
      await store.applyStatus(upd("79990000002", 3, 2_400), forwardOnly, isFinal);
      expect(await store.pendingStatuses(5_000, 10)).toEqual([]);
      expect((await store.recipientStatuses(r.smscId)).map((s) => [s.phone, s.status])).toEqual([
        ["79990000001", 1],
        ["79990000002", 3],
      ]);
      // A page of messages in one query: the ids asked for, each with all of its recipients.
      expect(
        (await store.recipientStatusesOf(["nope", r.smscId])).map((s) => [s.smscId, s.phone, s.status]),
      ).toEqual([
        [r.smscId, "79990000001", 1],
        [r.smscId, "79990000002", 3],
      ]);
      expect(await store.recipientStatusesOf([])).toEqual([]);
    });

    it("lists recent rows by last change, newest first, with state, error and times, paging on", async () => {
      const [a, b, c, d] = await store.insert([
        row({ createdAt: 1_000 }),
        row({ createdAt: 1_100, recipients: ["79990000003", "79990000004"] }),
        row({ createdAt: 1_200, runAt: 50_000 }),
        row({ createdAt: 1_300, runAt: 50_000 }),
      ]);
      // a is sent at 2_000, b fails (retry) at 2_100; c and d stay queued as enqueued.
      await store.claim("w", 2, 9_000, 1_500);
      await store.finish(
        "w",
        a!.rowId,
        { kind: "sent", at: 2_000, cnt: 1, cost: 1, countAttempt: true, attemptedAt: 1_600 },
        2_000,
      );
      const err: RowError = { code: 6, errorClass: "denied", message: "message denied" };
      await store.finish(
        "w",
        b!.rowId,
        { kind: "retry", runAt: 60_000, error: err, unknown: false, countAttempt: true, attemptedAt: 1_700 },
        2_100,
      );

      const page = await store.recent(10);
      expect(page.map((r) => r.rowId)).toEqual([b!.rowId, a!.rowId, d!.rowId, c!.rowId]);
      expect(page[0]).toMatchObject({
        smscId: b!.smscId,
        state: "queued",
        recipients: ["79990000003", "79990000004"],
        attempts: 1,
        lastErrorCode: 6,
        lastErrorClass: "denied",
        lastError: "message denied",
        createdAt: 1_100,
        updatedAt: 2_100,
      });
      expect(page[1]).toMatchObject({ smscId: a!.smscId, state: "sent", sentAt: 2_000, updatedAt: 2_000 });
      expect(page[3]).toMatchObject({ state: "queued", attempts: 0, createdAt: 1_200, updatedAt: 1_200 });

      // Keyset paging: each page continues strictly after the last row of the previous one.
      const first = await store.recent(2);
      expect(first.map((r) => r.rowId)).toEqual([b!.rowId, a!.rowId]);
      const last = first[1]!;
      const next = await store.recent(2, { updatedAt: last.updatedAt, rowId: last.rowId });
      expect(next.map((r) => r.rowId)).toEqual([d!.rowId, c!.rowId]);
      expect(await store.recent(2, { updatedAt: 1_200, rowId: c!.rowId })).toEqual([]);

      // Ties on updatedAt are ordered by row id, so paging inside a tie neither skips nor repeats a row.
      const tied = await store.insert([row({ createdAt: 5_000 }), row({ createdAt: 5_000 })]);
      const top = await store.recent(1);
      expect(top.map((r) => r.rowId)).toEqual([tied[1]!.rowId]);
      const after = await store.recent(1, { updatedAt: 5_000, rowId: top[0]!.rowId });
      expect(after.map((r) => r.rowId)).toEqual([tied[0]!.rowId]);

      // A redriven dead letter moves back to the top, and another process's store sees the same list.
      await store.claim("w", 10, 9_000, 60_000);
      await store.finish(
        "w",
        b!.rowId,
        { kind: "dead", at: 60_100, error: err, countAttempt: true, attemptedAt: 60_000 },
        60_100,
      );
      expect(await store.redrive(b!.rowId, 70_000)).toBe(true);
      const peer = await h.peer();
      expect((await peer.recent(1))[0]).toMatchObject({
        rowId: b!.rowId,
        state: "queued",
        updatedAt: 70_000,
      });
    });

    it("prunes finished rows and reports stats by state", async () => {
      const rows = [row(), row(), row({ runAt: 1_200 }), row({ runAt: 50_000 })];
      const es = await store.insert(rows);
      const claimed = await store.claim("w", 2, 9_000, 2_000);
      for (const c of claimed) {
        await store.finish(
          "w",
          c.rowId,
          { kind: "sent", at: 2_000, cnt: 1, cost: 1, countAttempt: true, attemptedAt: 1_500 },
          2_000,
        );
      }
      const stats = await store.stats(3_000);
      expect(stats.byState).toEqual({ queued: 2, unknown: 0, sending: 0, sent: 2, dead: 0 });
      expect(stats.oldestDueAt).toBe(1_200);
      expect(await store.prune(2_000, 100)).toBe(0);
      expect(await store.prune(2_001, 100)).toBe(2);
      expect(await store.get(es[0]!.rowId)).toBeNull();
      expect((await store.stats(3_000)).byState.sent).toBe(0);
    });

    it("prunes a sent row together with its recipient statuses, and leaves other rows' statuses", async () => {
      const old = row();
      const young = row();
      const [e, f] = await store.insert([old, young]);
      await store.claim("w", 10, 9_000, 2_000);
      const sent = { kind: "sent", cnt: 1, cost: 1, countAttempt: true, attemptedAt: 1_500 } as const;
      await store.finish("w", e!.rowId, { ...sent, at: 2_000 }, 2_000);
      await store.finish("w", f!.rowId, { ...sent, at: 4_000 }, 4_000);
      for (const r of [old, young]) {
        const delivered: RecipientStatus = {
          smscId: r.smscId,
          phone: "79990000001",
          status: 1,
          err: null,
          at: 4_100,
          source: "callback",
        };
        expect(await store.applyStatus(delivered, forwardOnly, isFinal)).toMatchObject({ applied: true });
      }
      expect(await store.prune(3_000, 100)).toBe(1);
      expect(await store.recipientStatuses(old.smscId)).toEqual([]);
      expect((await store.recipientStatuses(young.smscId)).map((s) => s.status)).toEqual([1]);
      expect(await store.get(f!.rowId)).toMatchObject({ state: "sent" });
    });

    it("releases a row reclaimed for reconcile as unknown, and heartbeats several rows at once", async () => {
      const [e, f] = await store.insert([row(), row()]);
      await store.claim("old", 10, 3_000, 2_000);
      await store.assignBatch("old", [e!.rowId, f!.rowId], "B-released", 2_500);
      const [first, second] = await store.claim("new", 10, 9_000, 3_000);
      expect([first?.reconcile, second?.reconcile]).toEqual([true, true]);
      expect(await store.heartbeat("new", [e!.rowId, f!.rowId], 20_000)).toBe(2);
      expect(await store.claim("thief", 10, 30_000, 19_999)).toEqual([]);
      expect(await store.release("new", [e!.rowId], 4_000)).toBe(1);
      expect(await store.get(e!.rowId)).toMatchObject({ state: "unknown", runAt: 4_000, attempts: 0 });
      expect(await store.get(f!.rowId)).toMatchObject({ state: "sending", runAt: 20_000 });
    });

    slotBudgetCases(() => ({ store, peer: () => h.peer() }));
    loginHoldCases(() => ({ store, peer: () => h.peer() }));
    slidingWindowCases(() => ({ store, peer: () => h.peer() }));
    floodCases(() => ({ store, peer: () => h.peer() }));
    insightCases(() => ({ store }));
    attemptCases(() => ({ store, peer: () => h.peer() }));
    readingCases(() => ({ store, peer: () => h.peer() }));
    batchCases(() => ({ store }));

    // Last: every statement of ../../src/store/sql/statements reached this store's database in the cases above.
    it("ran every statement the stores have", () => {
      const never = STATEMENTS.map((statement) => statement.name).filter(
        (statementName) => !ran.has(statementName),
      );
      expect(never).toEqual([]);
      expect(ran.size).toBe(STATEMENTS.length);
    });
  });
}
