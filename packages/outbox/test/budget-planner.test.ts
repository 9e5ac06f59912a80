import { describe, expect, it } from "vitest";
import { planWindowHit } from "../src/store/planner.js";

describe("planWindowHit (a shared sliding window's decision)", () => {
  it("grants below the limit, keeping only hits inside the window, and refuses at the limit", () => {
    expect(planWindowHit(undefined, 2, 1_000, 5_000)).toEqual({ granted: true, hits: [5_000] });
    expect(planWindowHit("[4000, 4500]", 2, 1_000, 5_000)).toEqual({ granted: true, hits: [4_500, 5_000] });
    expect(planWindowHit("[4100, 4500]", 2, 1_000, 5_000)).toEqual({ granted: false, hits: [4_100, 4_500] });
  });
});
