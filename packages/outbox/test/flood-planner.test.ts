import { describe, expect, it } from "vitest";
import { floodDemand, floodVerdicts } from "../src/store/planner.js";

const to = (rowId: number, ...recipients: string[]) => ({ rowId, recipients });

describe("floodDemand (what a flood admission asks the store)", () => {
  it("counts each phone once per message, in phone order whatever the batch order", () => {
    expect(floodDemand([to(1, "79002"), to(2, "79001", "79002"), to(3, "79002", "79002"), to(4)])).toEqual([
      { phone: "79001", messages: 1 },
      { phone: "79002", messages: 3 },
    ]);
    expect(floodDemand([])).toEqual([]);
  });
});

describe("floodVerdicts (which messages a grant admits)", () => {
  it("admits a phone's first messages in batch order up to its grant; the rest wait for its run's end", () => {
    const grants = [
      { phone: "A", granted: 2, endsAt: 9_000 },
      { phone: "B", granted: 0, endsAt: 8_500 },
    ];
    const verdicts = floodVerdicts([to(1, "A"), to(2, "B"), to(3, "A"), to(4, "A"), to(5)], grants, 7_000);
    expect(Object.fromEntries(verdicts)).toEqual({ 1: 7_000, 2: 8_500, 3: 7_000, 4: 9_000, 5: 7_000 });
  });

  it("admits a message to several phones only when each has a grant left, waiting for the latest full run", () => {
    const grants = [
      { phone: "A", granted: 1, endsAt: 9_000 },
      { phone: "B", granted: 0, endsAt: 8_000 },
      { phone: "C", granted: 0, endsAt: 8_800 },
    ];
    // Row 1 took A's only grant (the store counted it there) though B refused it: row 3 to A waits.
    const verdicts = floodVerdicts([to(1, "A", "B"), to(2, "B", "C"), to(3, "A")], grants, 7_000);
    expect(Object.fromEntries(verdicts)).toEqual({ 1: 8_000, 2: 8_800, 3: 9_000 });
  });

  it("never admits a refused message at once, even when a skewed clock saw its run end already", () => {
    const verdicts = floodVerdicts([to(1, "A")], [{ phone: "A", granted: 0, endsAt: 6_000 }], 7_000);
    expect(verdicts.get(1)).toBe(7_001);
  });

  it("refuses to guess when the store gave no answer for a phone", () => {
    expect(() => floodVerdicts([to(1, "A")], [], 7_000)).toThrow(/no answer for phone A/);
  });
});
