import { describe, expect, it } from "vitest";
import { formatSmscDate, parseSmscDate, wallClockToDate } from "../src/moscow-time.js";

describe("SMSC dates (Moscow, UTC+3)", () => {
  it("reads DD.MM.YYYY hh:mm:ss as Moscow time", () => {
    expect(parseSmscDate("10.10.2010 10:10:10")?.toISOString()).toBe("2010-10-10T07:10:10.000Z");
  });

  it("crosses midnight correctly", () => {
    expect(parseSmscDate("01.01.2026 01:30:00")?.toISOString()).toBe("2025-12-31T22:30:00.000Z");
  });

  it("rejects other shapes and impossible dates", () => {
    expect(parseSmscDate("2010-10-10 10:10:10")).toBeUndefined();
    expect(parseSmscDate("31.02.2026 10:00:00")).toBeUndefined();
    expect(parseSmscDate("10.13.2026 10:00:00")).toBeUndefined();
  });

  it("formats back to the same text", () => {
    const date = new Date("2026-11-25T08:00:05Z");
    expect(formatSmscDate(date)).toBe("25.11.2026 11:00:05");
    expect(parseSmscDate(formatSmscDate(date))?.getTime()).toBe(date.getTime());
  });

  it("wallClockToDate honours the given offset", () => {
    expect(wallClockToDate({ year: 2026, month: 1, day: 2, hour: 3, minute: 4 }, 5)?.toISOString()).toBe(
      "2026-01-01T22:04:00.000Z",
    );
  });
});
