import { describe, expect, it } from "vitest";
import { SmscValidationError } from "../src/errors.js";
import { isPhoneRegion, isPossiblePhone, parsePhones, phoneIdentity, recipientKey } from "../src/phones.js";
import { parseSendTime } from "../src/send-time.js";
import { validateRequest } from "../src/validate.js";

describe("parsePhones", () => {
  it("splits on , and ; and tells the kinds apart", () => {
    expect(parsePhones("+7 (999) 000-00-01; 79990000002,G12, user@example.com ,#durov")).toEqual([
      { kind: "phone", input: "+7 (999) 000-00-01", value: "+79990000001" },
      { kind: "phone", input: "79990000002", value: "79990000002" },
      { kind: "group", input: "G12", value: "G12" },
      { kind: "email", input: "user@example.com", value: "user@example.com" },
      { kind: "telegram", input: "#durov", value: "#durov" },
    ]);
  });

  it("accepts arrays and marks what is not a recipient", () => {
    expect(parsePhones(["79990000001", "hello"])).toEqual([
      { kind: "phone", input: "79990000001", value: "79990000001" },
      { kind: "invalid", input: "hello", value: "hello" },
    ]);
  });

  it("ignores empty entries", () => {
    expect(parsePhones("79990000001,,;")).toHaveLength(1);
  });
});

describe("recipientKey", () => {
  it("keys a recipient whatever its punctuation: phone digits, e-mail in lower case, others trimmed", () => {
    expect(recipientKey("+7 (999) 123-45-67")).toBe("79991234567");
    expect(recipientKey("79991234567")).toBe("79991234567");
    expect(recipientKey(" Mail@Example.com ")).toBe("mail@example.com");
    expect(recipientKey(" G12 ")).toBe("G12");
    expect(recipientKey("#Nick")).toBe("#Nick");
    expect(recipientKey(" not a phone ")).toBe("not a phone");
  });
});

describe("phone identity (libphonenumber-js)", () => {
  it("reads every way of writing one subscriber as the same number", () => {
    const spellings = [
      "8 999 000 00 30",
      "+7 (999) 000-00-30",
      "7999 000 0030",
      "+79990000030",
      "79990000030",
    ];
    for (const spelling of spellings) {
      expect(phoneIdentity(spelling)).toBe("79990000030");
      expect(recipientKey(spelling)).toBe("79990000030");
    }
  });

  it("reads numbers without + as international when the home region has no such number", () => {
    expect(recipientKey("380501234567")).toBe("380501234567");
    expect(recipientKey("+49 151 1234 5678")).toBe("4915112345678");
  });

  it("reads a leading 00 as the international prefix, never as digits of a home-region number", () => {
    // Written with 00 (the international prefix most of the world dials), a UK number must stay that UK
    // number: read in Russia it once became +7 00447911123456, another number SMSC would be asked to send to.
    expect(phoneIdentity("00447911123456")).toBe("447911123456");
    expect(phoneIdentity("00 380 50 123 45 67")).toBe("380501234567");
    expect(recipientKey("0079990000030")).toBe("79990000030");
    expect(phoneIdentity("00 7 (999) 000-00-30")).toBe("79990000030");
    expect(phoneIdentity("00447911123456", { defaultRegion: "KZ" })).toBe("447911123456");
    // The prefix alone, or followed by what no country has, is no subscriber.
    expect(phoneIdentity("0012")).toBeUndefined();
    expect(isPossiblePhone("00012345678901")).toBe(false);
  });

  it("reads the Kazakh +7 7xx range in any spelling as one subscriber", () => {
    for (const spelling of ["+7 701 123 45 67", "77011234567", "87011234567", "0077011234567"]) {
      expect(phoneIdentity(spelling)).toBe("77011234567");
      expect(phoneIdentity(spelling, { defaultRegion: "KZ" })).toBe("77011234567");
    }
  });

  it("knows which regions exist", () => {
    expect(isPhoneRegion("RU")).toBe(true);
    expect(isPhoneRegion("KZ")).toBe(true);
    expect(isPhoneRegion("XX")).toBe(false);
  });

  it("takes the home region from the caller", () => {
    expect(phoneIdentity("0151 1234 5678", { defaultRegion: "DE" })).toBe("4915112345678");
    expect(phoneIdentity("8 999 000 00 30", { defaultRegion: "DE" })).not.toBe("79990000030");
  });

  it("tells a number no numbering plan has from one that may be a subscriber", () => {
    expect(isPossiblePhone("+7 12")).toBe(false);
    expect(isPossiblePhone("7999")).toBe(false);
    expect(isPossiblePhone("+7 999 000-00-30")).toBe(true);
    expect(phoneIdentity("+7 12")).toBeUndefined();
  });

  it("refuses a phone that cannot be a subscriber with the field and SMSC's code", () => {
    const result = validateRequest("send", { phones: "79990000030,+7 12", mes: "hi" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.issues).toEqual([
        expect.objectContaining({ field: "phones", rule: "subscriber_number", smscError: 7 }),
      ]);
    }
    expect(validateRequest("send", { phones: "8 (999) 000-00-30", mes: "hi" }).ok).toBe(true);
  });

  it("judges the phones of list lines the same way", () => {
    const result = validateRequest("send", { list: "79990000030:hi\n+7 12:there" });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.issues[0]).toMatchObject({ field: "list", rule: "line-phones-subscriber_number" });
    }
  });
});

describe("parseSendTime", () => {
  const now = new Date("2026-11-25T08:00:00Z");

  it("reads DDMMYYhhmm as Moscow time by default", () => {
    expect(parseSendTime("2511261230", { now })).toEqual(new Date("2026-11-25T09:30:00Z"));
  });

  it("reads DD.MM.YY hh:mm in the zone tz hours from Moscow", () => {
    expect(parseSendTime("25.11.26 12:30", { now, tz: 2 })).toEqual(new Date("2026-11-25T07:30:00Z"));
    expect(parseSendTime("25.11.26 12:30", { now, tz: "-3" })).toEqual(new Date("2026-11-25T12:30:00Z"));
  });

  it("a ten-digit value starting with 0 is still a date, longer ones are 0ts", () => {
    expect(parseSendTime("0112261200", { now })).toEqual(new Date("2026-12-01T09:00:00Z"));
    expect(parseSendTime("01795593605", { now })).toEqual(new Date(1795593605 * 1000));
  });

  it("reads +m as minutes from now and 0 as now", () => {
    expect(parseSendTime("+90", { now })).toEqual(new Date("2026-11-25T09:30:00Z"));
    expect(parseSendTime("0", { now })).toEqual(now);
    expect(parseSendTime(0, { now })).toEqual(now);
  });

  it("returns an hour window with its zone", () => {
    expect(parseSendTime("9-21", { now, tz: 1 })).toEqual({
      window: { fromHour: 9, toHour: 21, utcOffsetHours: 4 },
    });
  });

  it("refuses anything else with SMSC error 5", () => {
    for (const bad of ["tomorrow", "31.02.26 10:00", "9-25", "+", "12:30"]) {
      let thrown: unknown;
      try {
        parseSendTime(bad, { now });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, bad).toBeInstanceOf(SmscValidationError);
      expect(thrown).toMatchObject({ field: "time", smscError: 5 });
    }
  });
});
