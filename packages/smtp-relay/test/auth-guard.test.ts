import { describe, expect, it } from "vitest";
import { createAuthGuard } from "../src/auth-guard.js";
import { DEFAULT_LIMITS } from "../src/options.js";

/**
 * The guard's tables are bounded (`authTrackedKeys`, 10 000 each). A guesser with many addresses (an IPv6
 * /64) must not be able to flush a locked username out of its table with junk failures and guess afresh.
 */
describe("relay AUTH guard: a flooded table", () => {
  it("keeps a locked username locked while junk failures from many addresses fill the tables", () => {
    let clock = Date.UTC(2026, 10, 29, 8);
    const guard = createAuthGuard(DEFAULT_LIMITS, () => clock);
    for (let n = 0; n < DEFAULT_LIMITS.maxAuthFailuresPerUser; n++) guard.failed(`192.0.2.${n}`, "ops");
    expect(guard.check("192.0.2.200", "ops")).toMatchObject({ locked: true, by: "username" });

    for (let n = 0; n < 12_000; n++) {
      guard.failed(`2001:db8::${n.toString(16)}`, `junk-${n}`);
      clock += 1;
    }

    expect(guard.check("198.51.100.1", "ops")).toMatchObject({ locked: true, by: "username" });
    const tracked = guard.tracked();
    expect(tracked.addresses).toBeLessThanOrEqual(DEFAULT_LIMITS.authTrackedKeys);
    expect(tracked.usernames).toBeLessThanOrEqual(DEFAULT_LIMITS.authTrackedKeys);
  });
});
