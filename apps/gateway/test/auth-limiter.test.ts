import { describe, expect, it } from "vitest";
import { createAuthLimiter } from "../src/http/auth-limiter.js";

/**
 * The limiter's memory is bounded, and what it forgets must not be what protects the password: a guesser
 * with many addresses (an IPv6 /64 is 2^64 of them) fails once under many junk usernames to push a locked
 * username out of the table, then gets its free guesses at that username again.
 */
describe("Basic-auth limiter: a full table", () => {
  const user = "username:ops";

  it("keeps a locked username while junk keys from many addresses fill the table", () => {
    const limiter = createAuthLimiter({ maxKeys: 20, freeFailures: 5 });
    let now = 1_000_000;
    for (let n = 0; n < 6; n++) limiter.fail([`address:10.0.0.1`, user], now++);
    expect(limiter.lockedFor([user], now)).toBeGreaterThan(0);
    for (let n = 0; n < 200; n++)
      limiter.fail([`address:2001:db8::${n.toString(16)}`, `username:junk-${n}`], now++);
    expect(limiter.lockedFor([user], now)).toBeGreaterThan(0);
  });

  it("keeps the failure count of a username past its free failures once its lockout ends", () => {
    const limiter = createAuthLimiter({ maxKeys: 20, freeFailures: 5, baseLockoutMs: 1_000 });
    let now = 1_000_000;
    for (let n = 0; n < 6; n++) limiter.fail([user], now++);
    now += 2_000; // the 1 s lockout is over
    for (let n = 0; n < 200; n++)
      limiter.fail([`address:2001:db8::${n.toString(16)}`, `username:junk-${n}`], now++);
    // The next wrong guess locks again at once (doubling), instead of starting five free ones.
    expect(limiter.fail([user], now).lockedForMs).toBe(2_000);
  });
});

describe("Basic-auth limiter: a table kept full of locked addresses", () => {
  it("still counts a new username's failures and locks it", () => {
    const limiter = createAuthLimiter({ maxKeys: 20, freeFailures: 5 });
    let now = 1_000_000;
    for (let a = 0; a < 30; a++) for (let n = 0; n < 6; n++) limiter.fail([`address:10.0.1.${a}`], now++);
    // Guesses at one username from fresh addresses, once each.
    for (let n = 0; n < 6; n++) limiter.fail([`address:2001:db8::${n}`, "username:ops"], now++);
    expect(limiter.lockedFor(["username:ops"], now)).toBeGreaterThan(0);
  });
});
