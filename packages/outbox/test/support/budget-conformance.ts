import { expect, it } from "vitest";
import type { OutboxStore, RowError, SlotBudget } from "../../src/store/store.js";

/**
 * Cases of the shared per-login budget (leased slots), run inside the store conformance suite so each statement
 * they use is counted on both stores. `current()` gives the case's fresh store and a peer as another process has.
 */
export function slotBudgetCases(current: () => { store: OutboxStore; peer(): Promise<OutboxStore> }): void {
  const sends: SlotBudget = { login: "shop", rule: "send-concurrency" };

  it("leases each slot of a login's budget to one holder, none beyond the limit, across processes", async () => {
    const { store, peer } = current();
    const other = await peer();
    await Promise.all([store.seedSlots(sends, 3), other.seedSlots(sends, 3)]);
    await store.seedSlots(sends, 3);
    const taken = await Promise.all(
      ["a", "b", "a", "b", "a"].map((owner, i) =>
        (i % 2 === 0 ? store : other).takeSlot(sends, 3, owner, 10_000, 1_000),
      ),
    );
    const granted = taken.filter((slot): slot is number => slot !== null);
    expect(granted.sort()).toEqual([0, 1, 2]);
    expect(await store.takeSlot(sends, 3, "c", 10_000, 1_000)).toBeNull();
    // Giving back frees the slot for anyone; a stranger cannot give back a slot it does not hold.
    const aSlot = taken.find((slot, i) => slot !== null && i % 2 === 0)!;
    expect(await store.giveSlot(sends, aSlot, "b")).toBe(false);
    expect(await store.giveSlot(sends, aSlot, "a")).toBe(true);
    expect(await other.takeSlot(sends, 3, "c", 10_000, 1_000)).toBe(aSlot);
  });

  it("frees a slot whose lease ran out (its holder crashed), unless the holder renewed it", async () => {
    const { store } = current();
    await store.seedSlots(sends, 2);
    const crashed = await store.takeSlot(sends, 2, "crashed", 5_000, 1_000);
    const alive = await store.takeSlot(sends, 2, "alive", 5_000, 1_000);
    expect(await store.renewSlots(sends, [alive!], "alive", 20_000)).toBe(1);
    // A renewal only reaches slots the owner holds.
    expect(await store.renewSlots(sends, [alive!], "crashed", 90_000)).toBe(0);
    expect(await store.takeSlot(sends, 2, "heir", 30_000, 4_999)).toBeNull();
    expect(await store.takeSlot(sends, 2, "heir", 30_000, 5_000)).toBe(crashed);
    expect(await store.takeSlot(sends, 2, "heir", 30_000, 19_999)).toBeNull();
    // The crashed holder coming back cannot free what the heir now holds.
    expect(await store.giveSlot(sends, crashed!, "crashed")).toBe(false);
    expect(await store.renewSlots(sends, [], "alive", 40_000)).toBe(0);
  });

  it("keeps logins and rules apart, and uses no slot above a lowered limit", async () => {
    const { store } = current();
    const otherLogin: SlotBudget = { login: "other", rule: "send-concurrency" };
    const statuses: SlotBudget = { login: "shop", rule: "status-concurrency" };
    for (const budget of [sends, otherLogin, statuses]) await store.seedSlots(budget, 1);
    expect(await store.takeSlot(sends, 1, "a", 9_000, 1_000)).toBe(0);
    expect(await store.takeSlot(sends, 1, "a", 9_000, 1_000)).toBeNull();
    expect(await store.takeSlot(otherLogin, 1, "a", 9_000, 1_000)).toBe(0);
    expect(await store.takeSlot(statuses, 1, "a", 9_000, 1_000)).toBe(0);
    await store.seedSlots(sends, 4);
    expect(await store.takeSlot(sends, 2, "b", 9_000, 1_000)).toBe(1);
    expect(await store.takeSlot(sends, 2, "b", 9_000, 1_000)).toBeNull();
  });
}

/** Cases of each login's shared pause and IP-block state and its probe lease. */
export function loginHoldCases(current: () => { store: OutboxStore; peer(): Promise<OutboxStore> }): void {
  const funds: RowError = { code: 3, errorClass: "funds", message: "insufficient funds" };

  it("shares a login's pause with every process: one pauses, one probes at a time, a resume ends it for all", async () => {
    const { store, peer } = current();
    const other = await peer();
    expect(await store.readHold("shop")).toEqual({
      pausedReason: null,
      pausedSince: null,
      pausedError: null,
      blockedUntil: 0,
      blockedError: null,
    });
    // Nothing to probe while the login runs.
    expect(await store.takeProbe("shop", "a", 9_000, 1_000)).toBe(false);
    expect(await store.pauseLogin("shop", "funds", 1_000, funds)).toBe(true);
    expect(await other.pauseLogin("shop", "auth", 1_100, funds)).toBe(false);
    expect(await other.readHold("shop")).toMatchObject({
      pausedReason: "funds",
      pausedSince: 1_000,
      pausedError: funds,
    });
    expect(await store.readHold("bank")).toMatchObject({ pausedReason: null });
    // One prober; it renews its own lease; another takes over once the lease ran out.
    expect(await store.takeProbe("shop", "a", 5_000, 1_000)).toBe(true);
    expect(await other.takeProbe("shop", "b", 9_000, 2_000)).toBe(false);
    expect(await store.takeProbe("shop", "a", 8_000, 4_000)).toBe(true);
    expect(await other.takeProbe("shop", "b", 12_000, 8_000)).toBe(true);
    // A resume ends only the pause it saw begin.
    expect(await store.resumeLogin("shop", 999)).toBe(false);
    expect(await store.resumeLogin("shop", 1_000)).toBe(true);
    expect(await store.readHold("shop")).toMatchObject({ pausedReason: null, pausedSince: null });
    expect(await store.takeProbe("shop", "b", 20_000, 9_000)).toBe(false);
    expect(await store.pauseLogin("shop", "auth", 10_000, funds)).toBe(true);
    expect(await store.readHold("shop")).toMatchObject({ pausedReason: "auth", pausedSince: 10_000 });
  });

  it("shares an IP block, never shortening a longer one", async () => {
    const { store, peer } = current();
    const other = await peer();
    const blocked: RowError = { code: 9, errorClass: "ip_blocked", message: "blocked" };
    await store.blockLogin("shop", 60_000, blocked);
    await other.blockLogin("shop", 30_000, { ...blocked, message: "shorter" });
    expect(await other.readHold("shop")).toMatchObject({ blockedUntil: 60_000, blockedError: blocked });
    await other.blockLogin("shop", 90_000, blocked);
    expect((await store.readHold("shop")).blockedUntil).toBe(90_000);
    expect((await store.readHold("bank")).blockedUntil).toBe(0);
  });
}

/** Cases of the sliding windows shared by every process (status requests per message). */
export function slidingWindowCases(
  current: () => { store: OutboxStore; peer(): Promise<OutboxStore> },
): void {
  const perMessage: SlotBudget = { login: "shop", rule: "status-per-message" };

  it("counts a sliding window across processes: at most the limit within the window, per key and login", async () => {
    const { store, peer } = current();
    const other = await peer();
    // Racing takers on two connections: exactly the limit is granted, whichever of them win.
    const hits = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? store : other).hitWindow(perMessage, "m0", 5, 60_000, 1_000 + i),
      ),
    );
    expect(hits.filter(Boolean)).toHaveLength(5);
    // One taker after the other, so which hits are in the window is known (the race above leaves it open).
    for (let i = 0; i < 5; i++) {
      expect(await (i % 2 === 0 ? store : other).hitWindow(perMessage, "m1", 5, 60_000, 1_000 + i)).toBe(
        true,
      );
    }
    expect(await other.hitWindow(perMessage, "m1", 5, 60_000, 1_005)).toBe(false);
    expect(await store.hitWindow(perMessage, "m2", 5, 60_000, 1_010)).toBe(true);
    expect(await store.hitWindow({ ...perMessage, login: "bank" }, "m1", 5, 60_000, 1_010)).toBe(true);
    // The oldest hits leave the window one by one.
    expect(await store.hitWindow(perMessage, "m1", 5, 60_000, 60_999)).toBe(false);
    expect(await other.hitWindow(perMessage, "m1", 5, 60_000, 61_000)).toBe(true);
    expect(await other.hitWindow(perMessage, "m1", 5, 60_000, 61_000)).toBe(false);
    // Windows whose hits are all out are deleted (m0, m2, bank's m1); the others stay.
    expect(await store.pruneWindows(61_010)).toBe(3);
    // m1 kept its hit of 61 000: with a limit of 2 one more fits, then none.
    expect(await store.hitWindow(perMessage, "m1", 2, 60_000, 61_010)).toBe(true);
    expect(await store.hitWindow(perMessage, "m1", 2, 60_000, 61_010)).toBe(false);
  });
}
