import type { SendResult } from "@smsc-kit/core";
import { describe, expect, it } from "vitest";
import { boardBatch, type Passenger, passengerOf } from "../src/coalesce/grouping.js";
import { attribute, batchRequest, shareOut } from "../src/coalesce/request.js";
import { resolveCoalesce } from "../src/coalesce/settings.js";
import { OutboxConfigError } from "../src/errors.js";
import type { ClaimedRow } from "../src/store/store.js";

let nextRow = 0;
function row(send: Record<string, unknown>, extra: Partial<ClaimedRow> = {}): ClaimedRow {
  nextRow += 1;
  const phones = String(send.phones ?? "");
  return {
    rowId: nextRow,
    smscId: `own-${nextRow}`,
    idempotencyKey: null,
    request: { send },
    recipients: phones.split(","),
    meta: null,
    state: "sending",
    attempts: 0,
    runAt: 0,
    createdAt: 0,
    sentAt: null,
    deadAt: null,
    lastErrorCode: null,
    lastErrorClass: null,
    lastError: null,
    lastAttemptAt: null,
    cnt: null,
    cost: null,
    batchId: null,
    reconcile: false,
    ...extra,
  };
}

const settings = resolveCoalesce(undefined)!;
const aboard = (r: ClaimedRow) => passengerOf(r, settings)!;

describe("who travels together", () => {
  it("takes the catalog's limits by default, switches off with false, and names a bad limit", () => {
    expect(settings).toEqual({ maxRecipients: 100, maxListLines: 100, maxBytes: 100_000 });
    expect(resolveCoalesce(false)).toBeNull();
    expect(resolveCoalesce({ maxRecipients: 5 })).toMatchObject({ maxRecipients: 5, maxListLines: 100 });
    expect(() => resolveCoalesce({ maxBytes: 0 })).toThrow(OutboxConfigError);
    expect(() => resolveCoalesce({ maxBytes: 0 })).toThrow(/coalesce.maxBytes/);
  });

  it("lets alone: a reconcile, travelAlone, per-request options, a group, coalescing off", () => {
    expect(passengerOf(row({ phones: "79990000001", mes: "x" }), settings)).not.toBeNull();
    expect(passengerOf(row({ phones: "79990000001", mes: "x" }), null)).toBeNull();
    expect(passengerOf(row({ phones: "79990000001", mes: "x" }, { reconcile: true }), settings)).toBeNull();
    const alone = row({ phones: "79990000001", mes: "x" });
    alone.request = { send: { phones: "79990000001", mes: "x" }, travelAlone: true };
    expect(passengerOf(alone, settings)).toBeNull();
    expect(passengerOf(row({ phones: "79990000001", mes: "x", op: 1 }), settings)).toBeNull();
    expect(passengerOf(row({ phones: "79990000001", mes: "x", cost: 1 }), settings)).toBeNull();
    expect(passengerOf(row({ phones: "G12", mes: "x" }), settings)).toBeNull();
    expect(passengerOf(row({ phones: "79990000001", list: "79990000001:x" }), settings)).toBeNull();
  });

  it("boards rows with equal options and distinct phones, within the limits", () => {
    const first = aboard(row({ phones: "79990000001", mes: "same", sender: "Shop" }));
    const others: Passenger[] = [
      aboard(row({ phones: "79990000002", mes: "same", sender: "Shop" })),
      aboard(row({ phones: "79990000003", mes: "same", sender: "Bank" })), // another key
      aboard(row({ phones: "79990000001", mes: "same", sender: "Shop" })), // phone already aboard
      aboard(row({ phones: "79990000004", mes: "other", sender: "Shop" })),
    ];
    const batch = boardBatch(
      first,
      others.filter((p) => p.key === first.key),
      settings,
    );
    expect(batch.map((p) => p.phones[0])).toEqual(["79990000001", "79990000002", "79990000004"]);
    const tight = boardBatch(
      first,
      others.filter((p) => p.key === first.key),
      { ...settings, maxRecipients: 2 },
    );
    expect(tight).toHaveLength(2);
    // A text that would not survive as a list line stays out of a list request.
    const escaped = aboard(row({ phones: "79990000005", mes: "a\\nb", sender: "Shop" }));
    expect(boardBatch(first, [escaped], settings)).toHaveLength(1);
    // Bytes: the list shape counts each text.
    const long = aboard(row({ phones: "79990000006", mes: "y".repeat(300), sender: "Shop" }));
    expect(boardBatch(first, [long], { ...settings, maxBytes: 200 })).toHaveLength(1);
  });
});

describe("the request and its verdicts", () => {
  it("writes one text as a phones list and several as list lines, always with err=1 and the batch id", () => {
    const same = [
      aboard(row({ phones: "79990000001", mes: "hi" })),
      aboard(row({ phones: "79990000002", mes: "hi" })),
    ];
    expect(batchRequest(same, "B1")).toMatchObject({
      id: "B1",
      err: 1,
      phones: "79990000001,79990000002",
      mes: "hi",
    });
    const mixed = [
      aboard(row({ phones: "79990000001", mes: "a\nb" })),
      aboard(row({ phones: "79990000002", mes: "c" })),
    ];
    const request = batchRequest(mixed, "B2") as Record<string, unknown>;
    expect(request).toMatchObject({ id: "B2", err: 1, list: "79990000001:a\\nb\n79990000002:c" });
    expect(request.mes).toBeUndefined();
  });

  it("splits SMSC's cnt and cost by parts, and gives a refused recipient's row its status", () => {
    const long = "x".repeat(200); // two GSM-7 parts
    const batch = [
      aboard(row({ phones: "79990000001", mes: long })),
      aboard(row({ phones: "79990000002", mes: "short" })),
      aboard(row({ phones: "79990000003", mes: "short" })),
    ];
    const result = {
      id: "B",
      cnt: 3,
      cost: 4.5,
      errors: [{ phone: "+7 999 000-00-03", status: 22 }],
      raw: {},
    } as unknown as SendResult;
    expect(attribute(batch, result)).toEqual([
      { kind: "sent", cnt: 2, cost: 3 },
      { kind: "sent", cnt: 1, cost: 1.5 },
      { kind: "refused", phone: "79990000003", status: 22 },
    ]);
  });

  it("shares a total out exactly, in steps, by weight", () => {
    expect(shareOut(1, [1, 1, 1], 0.01)).toEqual([0.34, 0.33, 0.33]);
    expect(shareOut(10, [0, 0], 1)).toEqual([0, 0]);
    const shares = shareOut(7.77, [3, 5, 2], 0.0001);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(7.77, 6);
  });
});
