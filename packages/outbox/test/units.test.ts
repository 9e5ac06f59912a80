import { validateRequest } from "@smsc-kit/core";
import { describe, expect, it } from "vitest";
import { retryDelay } from "../src/backoff.js";
import { Semaphore, WindowLimiter } from "../src/limits.js";
import { MAX_CONCURRENT_REQUESTS, SUBSCRIBER_FLOOD } from "../src/protocol.js";
import { checkQuietHours, nextAllowedTime } from "../src/quiet-hours.js";
import { lookupRecipients, recipientsOf, statusLimitKey } from "../src/recipients.js";
import { generateSmscId } from "../src/smsc-id.js";
import { FloodModel } from "./support/flood-model.js";

describe("quiet hours", () => {
  const at = (iso: string) => Date.parse(iso);
  it("defers a message inside a window that spans midnight to the window's end, in the recipient's zone", () => {
    const q = checkQuietHours({ start: "22:00", end: "08:00", timeZone: "Europe/Moscow" });
    // 23:30 Moscow = 20:30 UTC → allowed at 08:00 Moscow = 05:00 UTC next day.
    expect(nextAllowedTime(q, at("2026-03-10T20:30:00Z"))).toBe(at("2026-03-11T05:00:00Z"));
    expect(nextAllowedTime(q, at("2026-03-10T03:15:00Z"))).toBe(at("2026-03-10T05:00:00Z"));
    expect(nextAllowedTime(q, at("2026-03-10T12:00:00Z"))).toBe(at("2026-03-10T12:00:00Z"));
  });
  it("refuses a malformed window naming the field", () => {
    expect(() => checkQuietHours({ start: "25:00", end: "08:00", timeZone: "UTC" })).toThrow(
      expect.objectContaining({ field: "quietHours.start", rule: "hh:mm" }),
    );
    expect(() => checkQuietHours({ start: "22:00", end: "08:00", timeZone: "Mars/Olympus" })).toThrow(
      expect.objectContaining({ field: "quietHours.timeZone" }),
    );
  });
});

describe("SMSC limits", () => {
  it("the flood rule's reference model: delays the message that would extend a run past the limit", () => {
    const guard = new FloodModel(SUBSCRIBER_FLOOD.limit, SUBSCRIBER_FLOOD.spacingMs);
    let t = 0;
    for (let i = 0; i < SUBSCRIBER_FLOOD.limit; i++) {
      expect(guard.earliest(["79990000001"], t)).toBe(t);
      guard.record(["79990000001"], t);
      t += 1_000;
    }
    const last = t - 1_000;
    expect(guard.earliest(["79990000001"], t)).toBe(last + SUBSCRIBER_FLOOD.spacingMs);
    expect(guard.earliest(["79990000002"], t)).toBe(t);
    expect(guard.earliest(["79990000001"], last + SUBSCRIBER_FLOOD.spacingMs)).toBe(
      last + SUBSCRIBER_FLOOD.spacingMs,
    );
  });

  it("never has more requests open than the catalog's per-login limit", async () => {
    const sem = new Semaphore(MAX_CONCURRENT_REQUESTS);
    let open = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 60 }, () =>
        sem.run(async () => {
          open += 1;
          peak = Math.max(peak, open);
          await new Promise((r) => setTimeout(r, 2));
          open -= 1;
        }),
      ),
    );
    expect(peak).toBe(MAX_CONCURRENT_REQUESTS);
  });

  it("limits status polls per message within the window", () => {
    const w = new WindowLimiter(2, 1_000);
    expect([w.tryTake("a", 0), w.tryTake("a", 10), w.tryTake("a", 20), w.tryTake("b", 20)]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(w.tryTake("a", 1_001)).toBe(true);
  });
});

describe("ids, recipients, backoff", () => {
  it("generates SMSC ids that core's validator accepts, unique per row", () => {
    const ids = new Set(Array.from({ length: 1_000 }, () => generateSmscId("ob.")));
    expect(ids.size).toBe(1_000);
    for (const id of [...ids].slice(0, 20)) {
      expect(validateRequest("send", { phones: "79990000000", mes: "x", id }).ok).toBe(true);
    }
  });
  it("normalises recipients so callbacks match whatever punctuation was enqueued", () => {
    expect(recipientsOf("+7 (999) 123-45-67; 79991234567, Mail@Example.com")).toEqual([
      "79991234567",
      "mail@example.com",
    ]);
  });
  it("looks messages up by phones and e-mail addresses only, each (id, phone) with its own status budget", () => {
    expect(lookupRecipients(recipientsOf("G12, 79991234567, #nick, Mail@Example.com"))).toEqual([
      "79991234567",
      "mail@example.com",
    ]);
    expect(statusLimitKey("a1", "79991234567")).not.toBe(statusLimitKey("a1", "79991234568"));
  });
  it("grows the retry delay exponentially with jitter, capped", () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(retryDelay(1, p, () => 0)).toBe(50);
    expect(retryDelay(1, p, () => 1)).toBe(100);
    expect(retryDelay(3, p, () => 0)).toBe(200);
    expect(retryDelay(10, p, () => 1)).toBe(1_000);
  });
});
