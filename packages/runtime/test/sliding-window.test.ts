import { describe, expect, it } from "vitest";
import { SlidingWindowCounter } from "../src/sliding-window.js";

describe("SlidingWindowCounter", () => {
  it("counts inside the window and forgets keys whose window has passed", () => {
    const counter = new SlidingWindowCounter();
    expect(counter.hit("a", 0, 60_000)).toBe(1);
    expect(counter.hit("a", 59_999, 60_000)).toBe(2);
    expect(counter.hit("a", 60_000, 60_000)).toBe(2); // the event at 0 left the window
    for (let i = 0; i < 100; i++) counter.hit(`k${i}`, 100_000, 1_000);
    expect(counter.size).toBe(101);
    counter.sweep(200_000);
    expect(counter.size).toBe(0);
  });

  it("sweeps by itself every SWEEP_EVERY hits", () => {
    const counter = new SlidingWindowCounter();
    for (let i = 0; i < SlidingWindowCounter.SWEEP_EVERY - 1; i++) counter.hit(`old${i}`, 0, 1_000);
    expect(counter.size).toBe(SlidingWindowCounter.SWEEP_EVERY - 1);
    counter.hit("new", 5_000, 1_000);
    expect(counter.size).toBe(1);
  });

  it("count() reads the window without recording an event", () => {
    const counter = new SlidingWindowCounter();
    expect(counter.count("a", 0, 1_000)).toBe(0);
    counter.hit("a", 0, 1_000);
    counter.hit("a", 500, 1_000);
    expect(counter.count("a", 900, 1_000)).toBe(2);
    expect(counter.count("a", 900, 1_000)).toBe(2);
    expect(counter.count("a", 1_000, 1_000)).toBe(1);
    expect(counter.count("b", 1_000, 1_000)).toBe(0);
  });

  it("forget() drops one key's events and leaves the others", () => {
    const counter = new SlidingWindowCounter();
    counter.hit("a", 0, 1_000);
    counter.hit("b", 0, 1_000);
    counter.forget("a");
    expect(counter.count("a", 1, 1_000)).toBe(0);
    expect(counter.count("b", 1, 1_000)).toBe(1);
    expect(counter.size).toBe(1);
  });

  it("weighs events and takes back a released one", () => {
    const counter = new SlidingWindowCounter();
    expect(counter.hit("u", 0, 1_000, 3)).toBe(3);
    expect(counter.hit("u", 10, 1_000, 2)).toBe(5);
    expect(counter.hit("u", 10, 1_000, 4)).toBe(9);
    counter.release("u", 10, 2);
    expect(counter.count("u", 20, 1_000)).toBe(7);
    expect(counter.count("u", 1_000, 1_000)).toBe(4); // the weight-3 event at 0 left the window
    counter.release("u", 0, 3); // already gone: nothing changes
    counter.release("nobody", 0, 1);
    expect(counter.count("u", 1_000, 1_000)).toBe(4);
  });
});
