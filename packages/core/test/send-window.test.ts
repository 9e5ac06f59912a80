import { describe, expect, it } from "vitest";
import { SmscValidationError } from "../src/errors.js";
import { resolveSendTime, resolveSendWindow } from "../src/send-time.js";

const at = (iso: string) => new Date(iso);

describe("resolveSendWindow (h1-h2, Moscow = UTC+3)", () => {
  it.each([
    ["before the window: today at h1", "2026-03-10T04:00:00Z", 9, 18, "2026-03-10T06:00:00Z"],
    ["inside: now", "2026-03-10T07:30:00Z", 9, 18, "2026-03-10T07:30:00Z"],
    ["after: tomorrow at h1", "2026-03-10T16:00:00Z", 9, 18, "2026-03-11T06:00:00Z"],
    ["exactly at h2 is after", "2026-03-10T15:00:00Z", 9, 18, "2026-03-11T06:00:00Z"],
    ["a window over midnight, late evening: now", "2026-03-10T20:00:00Z", 22, 6, "2026-03-10T20:00:00Z"],
    ["a window over midnight, small hours: now", "2026-03-10T01:00:00Z", 22, 6, "2026-03-10T01:00:00Z"],
    ["a window over midnight, daytime: tonight at h1", "2026-03-10T09:00:00Z", 22, 6, "2026-03-10T19:00:00Z"],
  ])("%s", (_name, now, from, to, expected) => {
    expect(resolveSendWindow({ fromHour: from, toHour: to, utcOffsetHours: 3 }, at(now))).toEqual(
      at(expected),
    );
  });
});

describe("resolveSendTime", () => {
  const now = at("2026-03-10T04:00:00Z");

  it("is now without a time, the parsed instant for a date, the opening for a window", () => {
    expect(resolveSendTime(undefined, { now })).toEqual(now);
    expect(resolveSendTime("+30", { now })).toEqual(at("2026-03-10T04:30:00Z"));
    expect(resolveSendTime("9-18", { now })).toEqual(at("2026-03-10T06:00:00Z"));
    // tz=+2 → the window's hours are Moscow+2 = UTC+5: 9:00 there is 04:00Z, so it is open.
    expect(resolveSendTime("9-18", { now, tz: "2" })).toEqual(now);
  });

  it("refuses a time it cannot read", () => {
    expect(() => resolveSendTime("soon", { now })).toThrow(SmscValidationError);
  });
});
