import { DELIVERY_ERRORS, STATUS_CODES } from "@smsc-kit/core";
import { describe, expect, it } from "vitest";
import { parseCallback, WebhookInputError } from "../src/index.js";

function refusal(fields: Record<string, string>): string {
  try {
    parseCallback(fields);
  } catch (error) {
    if (error instanceof WebhookInputError) return `${error.field}: ${error.rule}`;
    throw error;
  }
  return "accepted";
}

describe("parsing one callback", () => {
  it("types a delivery status with names and finality from core's tables", () => {
    const parsed = parseCallback({
      id: "77",
      phone: "79991234567",
      status: "20",
      err: "13",
      cost: "2.25",
      sender_id: "SHOP",
      sms_cnt: "2",
      ts: "1764061200",
      md5: "abc",
    });
    expect(parsed).toMatchObject({
      kind: "status",
      id: "77",
      status: 20,
      statusName: STATUS_CODES["20"].name,
      final: STATUS_CODES["20"].final,
      err: 13,
      errName: DELIVERY_ERRORS["13"].name,
      cost: 2.25,
      senderId: "SHOP",
      smsCnt: 2,
      eventAt: new Date(1764061200 * 1000),
    });
    expect(parsed.raw).not.toHaveProperty("md5");
  });

  it("collects HLR results and keeps fields it does not know", () => {
    const parsed = parseCallback({
      id: "h1",
      phone: "79991234567",
      status: "1",
      err: "0",
      imsi: "250011234567890",
      mcc: "250",
      mnc: "01",
      cn: "Россия",
      net: "МТС",
      type: "3",
      roaming_flag: "0",
    });
    expect(parsed).toMatchObject({
      kind: "status",
      type: 3,
      hlr: { imsi: "250011234567890", mcc: "250", mnc: "01", cn: "Россия", net: "МТС" },
      raw: { roaming_flag: "0" },
    });
  });

  it("keys a status callback's phone by subscriber (core's recipientKey), keeping the raw form", () => {
    for (const phone of ["+7 (999) 123-45-67", "79991234567", "8 999 123 45 67"]) {
      const parsed = parseCallback({ id: "42", phone, status: "1" });
      expect(parsed).toMatchObject({ kind: "status", phone: "79991234567", raw: { phone } });
    }
  });

  it("keeps a field named __proto__ as plain data", () => {
    const parsed = parseCallback(
      Object.fromEntries([
        ["id", "p1"],
        ["phone", "7"],
        ["status", "1"],
        ["__proto__", "x"],
      ]),
    );
    expect(Object.getPrototypeOf(parsed.raw)).toBeNull();
    expect(Object.entries(parsed.raw)).toContainEqual(["__proto__", "x"]);
    expect(JSON.parse(JSON.stringify(parsed.raw))).toMatchObject({ id: "p1" });
  });

  it("reads a callback with text and no status as an incoming SMS", () => {
    expect(parseCallback({ id: "900", phone: "79991234567", mes: "СТОП", to: "79990000000" })).toMatchObject({
      kind: "incoming",
      id: "900",
      phone: "79991234567",
      mes: "СТОП",
      to: "79990000000",
    });
  });

  it("names the field and the rule for each malformed value", () => {
    const ok = { id: "1", phone: "7", status: "1" };
    expect(refusal({ phone: "7", status: "1" })).toBe("id: is required");
    expect(refusal({ ...ok, id: "has space" })).toMatch(/^id: must be an integer 1\.\.2147483647/);
    expect(refusal({ id: "1", status: "1" })).toBe("phone: is required");
    expect(refusal({ ...ok, phone: "7\n8" })).toBe("phone: must not contain control characters");
    expect(refusal({ id: "1", phone: "7" })).toBe("status: is required");
    expect(refusal({ ...ok, status: "1.5" })).toBe("status: must be an integer status code");
    expect(refusal({ ...ok, err: "-1" })).toBe("err: must be a non-negative integer");
    expect(refusal({ ...ok, cost: "1,50" })).toBe("cost: must be a non-negative decimal number");
    expect(refusal({ ...ok, sms_cnt: "two" })).toBe("sms_cnt: must be a non-negative integer");
    expect(refusal({ ...ok, ts: "yesterday" })).toBe("ts: must be unix time in seconds");
    expect(refusal(ok)).toBe("accepted");
  });
});
