import { expect, it } from "vitest";
import type { FloodCandidate } from "../../src/flood/admission.js";
import type { FloodRule } from "../../src/store/planner.js";
import type { OutboxStore } from "../../src/store/store.js";
import { FloodModel } from "./flood-model.js";

/**
 * Cases of the subscriber-flood rule counted in the store, run inside the store conformance suite so its
 * statements are counted on both stores. `current()` gives the case's fresh store and a peer as another process
 * has. The rule here is small (3 messages, 1 s) so a run fills and ends within a case.
 */
export function floodCases(current: () => { store: OutboxStore; peer(): Promise<OutboxStore> }): void {
  const rule: FloodRule = { limit: 3, spacingMs: 1_000 };
  const to = (rowId: number, ...recipients: string[]): FloodCandidate => ({ rowId, recipients });
  const verdicts = (map: Map<number, number>) => Object.fromEntries(map);

  it("admits a phone's run up to the limit across processes, then refuses until the run ends", async () => {
    const { store, peer } = current();
    const other = await peer();
    // In batch order: A's first three go, its fourth waits for the run's end (now + spacing); B is apart.
    const first = await store.admitFlood(
      "shop",
      [to(1, "A"), to(2, "A"), to(3, "B"), to(4, "A"), to(5, "A")],
      rule,
      10_000,
    );
    expect(verdicts(first)).toEqual({ 1: 10_000, 2: 10_000, 3: 10_000, 4: 10_000, 5: 11_000 });
    // Another process sees the full run; B's run continues (two messages, last at 10 500: it ends at 11 500).
    expect(verdicts(await other.admitFlood("shop", [to(6, "A"), to(7, "B")], rule, 10_500))).toEqual({
      6: 11_000,
      7: 10_500,
    });
    // Other logins count their own subscribers.
    expect(verdicts(await other.admitFlood("bank", [to(8, "A")], rule, 10_500))).toEqual({ 8: 10_500 });
    // A's run has ended at 11 000: a new one starts empty. B's continues until 11 500, so one more fits.
    const later = await store.admitFlood(
      "shop",
      [to(9, "A"), to(10, "B"), to(11, "B"), to(12, "A")],
      rule,
      11_000,
    );
    expect(verdicts(later)).toEqual({ 9: 11_000, 10: 11_000, 11: 12_000, 12: 11_000 });
    // A refusal counts nothing: B's run still ends a spacing after its last admitted message.
    expect(verdicts(await other.admitFlood("shop", [to(13, "B")], rule, 11_999))).toEqual({ 13: 12_000 });
    expect(verdicts(await other.admitFlood("shop", [to(14, "B")], rule, 12_000))).toEqual({ 14: 12_000 });
  });

  it("admits a message to several phones only when every run has room, and counts a phone once per message", async () => {
    const { store } = current();
    await store.admitFlood("shop", [to(1, "B"), to(2, "B"), to(3, "B")], rule, 5_000);
    // Row 4 goes to the full B: refused until B's run ends; its place in A's run is taken (conservative).
    const mixed = await store.admitFlood(
      "shop",
      [to(4, "A", "B"), to(5, "A", "A"), to(6), to(7, "A")],
      rule,
      5_100,
    );
    expect(verdicts(mixed)).toEqual({ 4: 6_000, 5: 5_100, 6: 5_100, 7: 5_100 });
    expect(verdicts(await store.admitFlood("shop", [to(8, "A")], rule, 5_200))).toEqual({ 8: 6_100 });
    // Nothing to count: no statement, everything admitted.
    expect(verdicts(await store.admitFlood("shop", [to(9)], rule, 5_300))).toEqual({ 9: 5_300 });
    expect(verdicts(await store.admitFlood("shop", [], rule, 5_300))).toEqual({});
  });

  it("never admits more than the limit when batches from many connections race on the same phones", async () => {
    const { store, peer } = current();
    const peers = [store, ...(await Promise.all([peer(), peer(), peer()]))];
    const phones = Array.from({ length: 12 }, (_, i) => `7900${String(i).padStart(4, "0")}`);
    let rowId = 0;
    // Each batch names the phones in its own order, twice each: concurrent batches overlap on every phone.
    const batches = Array.from({ length: 8 }, (_, b) => {
      const order = [...phones].sort((x, y) => ((Number(x) * (b + 3)) % 17) - ((Number(y) * (b + 3)) % 17));
      return [...order, ...order].map((phone) => to(++rowId, phone));
    });
    const results = await Promise.all(
      batches.map((batch, b) => peers[b % peers.length]!.admitFlood("shop", batch, rule, 20_000 + b)),
    );
    const admitted = new Map<string, number>();
    results.forEach((result, b) => {
      for (const candidate of batches[b]!) {
        if (result.get(candidate.rowId)! <= 20_000 + b) {
          const phone = candidate.recipients[0]!;
          admitted.set(phone, (admitted.get(phone) ?? 0) + 1);
        }
      }
    });
    expect(phones.map((phone) => admitted.get(phone) ?? 0)).toEqual(phones.map(() => rule.limit));
  });

  it("answers as the rule's plain in-memory model does, batch after batch (continued, full and restarted runs)", async () => {
    const { store, peer } = current();
    const other = await peer();
    const model = new FloodModel(rule.limit, rule.spacingMs);
    // A fixed pseudo-random walk: three phones, batches of 1–6 messages, 0–700 ms apart, two processes.
    let seed = 7;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return (seed >>> 16) % n;
    };
    let now = 50_000;
    let rowId = 0;
    let refused = 0;
    for (let b = 0; b < 60; b++) {
      now += next(8) * 100;
      const batch = Array.from({ length: 1 + next(6) }, () => to(++rowId, `P${next(3)}`));
      const expected = verdicts(await model.admit(batch, now));
      refused += Object.values(expected).filter((earliest) => earliest > now).length;
      expect(verdicts(await (b % 2 === 0 ? store : other).admitFlood("shop", batch, rule, now))).toEqual(
        expected,
      );
    }
    // The walk filled runs (refusals) and saw them end (more admitted than one run per phone holds).
    expect(refused).toBeGreaterThan(10);
    expect(rowId - refused).toBeGreaterThan(6 * rule.limit);
  });

  it("deletes runs that have ended; a pruned phone starts a new run", async () => {
    const { store } = current();
    await store.admitFlood("shop", [to(1, "A"), to(2, "A"), to(3, "A"), to(4, "B")], rule, 1_000);
    await store.admitFlood("shop", [to(5, "B")], rule, 1_500);
    expect(await store.pruneFloodRuns(1_999)).toBe(0);
    expect(await store.pruneFloodRuns(2_000)).toBe(1);
    expect(verdicts(await store.admitFlood("shop", [to(6, "A"), to(7, "B")], rule, 2_000))).toEqual({
      6: 2_000,
      7: 2_000,
    });
    expect(await store.pruneFloodRuns(3_000)).toBe(2);
  });
}
