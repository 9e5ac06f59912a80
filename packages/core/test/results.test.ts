import { describe, expect, it } from "vitest";
import { decodeResult, MalformedResultError } from "../src/index.js";

// The decoder reads each result field by its catalog valueType (spec/catalog.yaml results) and requires
// the fields the catalog lists in requiredIn; `raw` keeps the wire record.

describe("decodeResult", () => {
  it("decodes by value type: integers, decimals, Moscow dates, timestamps, strings; raw kept", () => {
    const raw = {
      status: "1",
      last_date: "25.11.2026 11:00:05",
      last_timestamp: "1795593605",
      err: "0",
      cost: "1.40",
      sender_id: "shop",
      message: " hi ",
      sms_cnt: "2",
    };
    expect(decodeResult("status", raw)).toEqual({
      status: 1,
      lastDate: new Date("2026-11-25T08:00:05Z"),
      lastTimestamp: 1795593605,
      err: 0,
      cost: 1.4,
      senderId: "shop",
      message: " hi ",
      smsCnt: 2,
      statusName: "Delivered",
      final: true,
      raw,
    });
  });

  it("reads records item by item, and takes a required field the answer lacks from the request", () => {
    const raw = { cnt: "2", errors: [{ phone: "79990000001", status: "22" }] };
    expect(decodeResult("send", raw, { id: "order-7", psw: "secret" })).toEqual({
      id: "order-7",
      cnt: 2,
      errors: [{ phone: "79990000001", status: 22 }],
      raw,
    });
  });

  it("reads a record item like a whole answer: a field its type requires missing or empty is malformed", () => {
    // The WSDL's Error type declares phone and status with minOccurs 1: an item without them is not an answer
    // SMSC sends (never decoded as "" for a number).
    expect(() => decodeResult("send", { id: "1", cnt: "1", errors: [{ phone: "79990000001" }] })).toThrow(
      /result field errors\.status is missing/,
    );
    expect(() =>
      decodeResult("send", { id: "1", cnt: "1", errors: [{ phone: "79990000001", status: " " }] }),
    ).toThrow(MalformedResultError);
    expect(() => decodeResult("send", { id: "1", cnt: "1", errors: [{ status: "22" }] })).toThrow(
      /errors\.phone is missing/,
    );
    expect(() =>
      decodeResult("send", { id: "1", cnt: "1", errors: [{ phone: "79990000001", status: "x" }] }),
    ).toThrow(/errors\.status is not a number/);
  });

  it("refuses a required field missing or a value not of its type", () => {
    expect(() => decodeResult("balance", {})).toThrow(MalformedResultError);
    expect(() => decodeResult("balance", { balance: "lots" })).toThrow(/balance is not a number/);
    expect(() => decodeResult("status", { status: "1", last_date: "yesterday" })).toThrow(/last_date/);
  });
});
