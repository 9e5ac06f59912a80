import { expect, it } from "vitest";
import type { OutboxStore, SlotBudget } from "../../src/store/store.js";

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
