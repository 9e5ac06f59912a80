import { describe, expect, it } from "vitest";
import { type BruteForceLimits, createBruteForceLimiter } from "../src/brute-force-limiter.js";

/** The gateway's HTTP Basic shape: five free failures, then every failure locks, doubling. */
const gateway = (limits: Partial<BruteForceLimits> = {}): BruteForceLimits => ({
  freeFailures: 5,
  afterLockout: "next-failure-locks",
  baseLockoutMs: 1_000,
  maxLockoutMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxKeys: 10_000,
  ...limits,
});

/** The relay's SMTP AUTH shape: the third failure in 15 min locks, counts start over, lockouts double to 16×. */
const relay = (limits: Partial<BruteForceLimits> = {}): BruteForceLimits => ({
  freeFailures: 2,
  afterLockout: "free-failures-again",
  windowMs: 15 * 60_000,
  baseLockoutMs: 60_000,
  maxLockoutMs: 16 * 60_000,
  maxKeys: 10_000,
  answerDelay: { firstMs: 250, maxMs: 5_000 },
  ...limits,
});

function limiterAt(limits: BruteForceLimits) {
  const clock = { now: 1_000_000 };
  const limiter = createBruteForceLimiter(limits, () => clock.now);
  /** One failure, then the clock moves on a millisecond (as the callers' tests did with `now++`). */
  const failThenTick = (keys: readonly string[]) => {
    limiter.fail(keys);
    clock.now++;
  };
  return { limiter, clock, failThenTick };
}

/**
 * The limiter's memory is bounded, and what it forgets must not be what protects the password: a guesser
 * with many addresses (an IPv6 /64 is 2^64 of them) fails once under many junk usernames to push a locked
 * username out of the table, then gets its free guesses at that username again.
 */
describe.each([
  ["gateway", gateway],
  ["relay", relay],
])("brute-force limiter (%s limits): a full table", (_name, shape) => {
  const user = "username:ops";

  it("keeps a locked username while junk keys from many addresses fill the table", () => {
    const { limiter, failThenTick } = limiterAt(shape({ maxKeys: 20 }));
    for (let n = 0; n < 6; n++) failThenTick([`address:10.0.0.1`, user]);
    expect(limiter.lockedFor([user])).toBeGreaterThan(0);
    for (let n = 0; n < 200; n++) failThenTick([`address:2001:db8::${n.toString(16)}`, `username:junk-${n}`]);
    expect(limiter.lockedFor([user])).toBeGreaterThan(0);
    expect(limiter.size).toBeLessThanOrEqual(20);
  });

  it("still counts a new username's failures and locks it while the table is kept full of locked addresses", () => {
    const { limiter, failThenTick } = limiterAt(shape({ maxKeys: 20 }));
    for (let a = 0; a < 30; a++) for (let n = 0; n < 6; n++) failThenTick([`address:10.0.1.${a}`]);
    // Guesses at one username from fresh addresses, once each.
    for (let n = 0; n < 6; n++) failThenTick([`address:2001:db8::${n}`, "username:ops"]);
    expect(limiter.lockedFor(["username:ops"])).toBeGreaterThan(0);
    expect(limiter.size).toBeLessThanOrEqual(20);
  });
});

describe("brute-force limiter: gateway limits", () => {
  const user = "username:ops";

  it("keeps the failure count of a username past its free failures once its lockout ends", () => {
    const { limiter, clock, failThenTick } = limiterAt(gateway({ maxKeys: 20, baseLockoutMs: 1_000 }));
    for (let n = 0; n < 6; n++) failThenTick([user]);
    clock.now += 2_000; // the 1 s lockout is over
    for (let n = 0; n < 200; n++) failThenTick([`address:2001:db8::${n.toString(16)}`, `username:junk-${n}`]);
    // The next wrong guess locks again at once (doubling), instead of starting five free ones.
    expect(limiter.fail([user]).lockedForMs).toBe(2_000);
  });

  it("gives free failures, then doubles each lockout up to the ceiling, and forgets a quiet key", () => {
    const { limiter, clock } = limiterAt(gateway({ maxLockoutMs: 4_000 }));
    for (let n = 1; n <= 5; n++)
      expect(limiter.fail(["k"])).toEqual({ failures: n, lockedForMs: 0, delayMs: 0 });
    expect(limiter.fail(["k"]).lockedForMs).toBe(1_000);
    expect(limiter.lockedFor(["k", "other"])).toBe(1_000);
    const lockouts = [];
    for (let n = 0; n < 3; n++) {
      clock.now += limiter.lockedFor(["k"]);
      lockouts.push(limiter.fail(["k"]).lockedForMs);
    }
    expect(lockouts).toEqual([2_000, 4_000, 4_000]);
    clock.now += 60 * 60_000 + 1; // quiet past forgetAfterMs, lock long over
    expect(limiter.lockedFor(["k"])).toBe(0);
    expect(limiter.fail(["k"])).toEqual({ failures: 1, lockedForMs: 0, delayMs: 0 });
  });

  it("a success forgets the keys", () => {
    const { limiter } = limiterAt(gateway());
    for (let n = 0; n < 6; n++) limiter.fail(["a", "u"]);
    expect(limiter.lockedFor(["a"])).toBeGreaterThan(0);
    limiter.succeed(["a", "u"]);
    expect(limiter.lockedFor(["a", "u"])).toBe(0);
    expect(limiter.size).toBe(0);
  });
});

describe("brute-force limiter: relay limits", () => {
  it("locks at the limit'th failure in the window, counts start over, lockouts double up to the cap", () => {
    const { limiter, clock } = limiterAt(relay());
    expect(limiter.fail(["u"]).lockedForMs).toBe(0);
    expect(limiter.fail(["u"]).lockedForMs).toBe(0);
    expect(limiter.fail(["u"]).lockedForMs).toBe(60_000);
    const lockouts = [];
    for (let n = 0; n < 6; n++) {
      clock.now += limiter.lockedFor(["u"]);
      limiter.fail(["u"]);
      limiter.fail(["u"]);
      lockouts.push(limiter.fail(["u"]).lockedForMs);
    }
    expect(lockouts).toEqual([120_000, 240_000, 480_000, 960_000, 960_000, 960_000]);
  });

  it("failures older than the window do not count", () => {
    const { limiter, clock } = limiterAt(relay());
    limiter.fail(["u"]);
    limiter.fail(["u"]);
    clock.now += 15 * 60_000;
    expect(limiter.fail(["u"])).toMatchObject({ failures: 1, lockedForMs: 0 });
  });

  it("answers later with each failure, up to the most", () => {
    const { limiter } = limiterAt(relay({ freeFailures: 100 }));
    const delays = [];
    for (let n = 0; n < 7; n++) delays.push(limiter.fail(["a"]).delayMs);
    expect(delays).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});

describe("brute-force limiter: a long attack", () => {
  it("a key failing past its free failures keeps its count and lockout through 5 000 failures", () => {
    const { limiter, clock } = limiterAt(gateway({ maxLockoutMs: 1_000, forgetAfterMs: 60 * 60_000 }));
    let last = { failures: 0, lockedForMs: 0, delayMs: 0 };
    for (let n = 0; n < 5_000; n++) {
      last = limiter.fail(["k"]);
      clock.now += 1_000;
    }
    expect(last).toEqual({ failures: 5_000, lockedForMs: 1_000, delayMs: 0 });
    expect(limiter.size).toBe(1);
  });
});
