import { describe, expect, it } from "vitest";
import { backoffDelay } from "../src/retry.js";

describe("backoffDelay (full jitter)", () => {
  const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

  it("grows the ceiling exponentially", () => {
    const top = () => 0.999999;
    expect(backoffDelay(0, policy, top)).toBe(99);
    expect(backoffDelay(1, policy, top)).toBe(199);
    expect(backoffDelay(2, policy, top)).toBe(399);
  });

  it("caps at maxDelayMs", () => {
    expect(backoffDelay(10, policy, () => 0.999999)).toBe(999);
  });

  it("spreads delays between 0 and the ceiling", () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
  });
});
