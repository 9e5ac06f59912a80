import { describe, expect, it } from "vitest";
import { backoffDelay } from "../src/retry.js";

describe("backoffDelay (equal jitter)", () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it("grows the step exponentially from the first retry", () => {
    const top = () => 0.999999;
    expect(backoffDelay(0, policy, top)).toBe(99);
    expect(backoffDelay(1, policy, top)).toBe(199);
    expect(backoffDelay(2, policy, top)).toBe(399);
  });

  it("caps at maxDelayMs", () => {
    expect(backoffDelay(10, policy, () => 0.999999)).toBe(999);
    expect(backoffDelay(10, policy, () => 1)).toBe(1_000);
  });

  it("waits at least half the step, the other half random", () => {
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 0)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(600);
  });
});
