import { describe, expect, it } from "vitest";
import { createQuotaTracker } from "../src/quota.js";

describe("relay quota windows", () => {
  const at = Date.UTC(2026, 10, 29, 8);

  it("counts SMS per minute and parts per day, and a reservation given back twice frees it once", () => {
    let clock = at;
    const quota = createQuotaTracker({
      relayWide: { messagesPerMinute: 3, partsPerDay: 10 },
      perUser: { alice: {} },
      now: () => clock,
    });
    const first = quota.admit("alice", 1, 4);
    const second = quota.admit("alice", 1, 4);
    expect(first.ok && second.ok).toBe(true);
    expect(quota.admit("alice", 1, 4)).toMatchObject({ ok: false, limit: "partsPerDay", permanent: false });
    if (second.ok) {
      second.release();
      second.release(); // must not give back the first mail's equal reservation too
    }
    expect(quota.usage()).toContainEqual({ user: "alice", limit: "partsPerDay", used: 4, max: 10 });
    expect(quota.admit("alice", 1, 4).ok).toBe(true);
    expect(quota.admit("alice", 1, 1).ok).toBe(true); // 3 SMS this minute, 9 parts today
    expect(quota.admit("alice", 1, 1)).toMatchObject({ ok: false, limit: "messagesPerMinute" });
    clock += 60_000; // the minute has passed; the day has not
    expect(quota.usage()).toContainEqual({ user: "alice", limit: "messagesPerMinute", used: 0, max: 3 });
    expect(quota.exhausted("alice")).toBeUndefined();
    expect(quota.admit("alice", 1, 3)).toMatchObject({ ok: false, limit: "partsPerDay" });
    expect(quota.admit("alice", 1, 11)).toMatchObject({ ok: false, limit: "partsPerDay", permanent: true });
  });
});
