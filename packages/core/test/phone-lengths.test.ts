/**
 * The digits-only shortcut (src/phone-lengths.ts) against libphonenumber-js itself: for every calling
 * code it covers and every length it accepts, numbers starting with each digit (national prefixes and
 * carrier codes included) and pseudo-random ones must be possible to the parser too; what the shortcut
 * does not cover it must leave to the parser; and isPossiblePhone keeps the parser's verdict.
 */
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { describe, expect, it } from "vitest";
import { isPossiblePhone, parsePhones, validateRequest } from "../src/index.js";
import { possibleByLength, shortcutTable } from "../src/phone-lengths.js";
import { impossiblePhones } from "../src/phones.js";

/** Deterministic pseudo-random digits (a fixed seed, so a failure names a number that reproduces). */
function digitSource(seed: number): (count: number) => string {
  let state = seed;
  return (count) => {
    let out = "";
    for (let i = 0; i < count; i++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      out += String(state % 10);
    }
    return out;
  };
}

function parserSaysPossible(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith("+")) return parsePhoneNumberFromString(trimmed)?.isPossible() === true;
  const digits = trimmed.replace(/\D/g, "");
  // A leading "00" is the international prefix (phones.ts).
  if (digits.startsWith("00"))
    return parsePhoneNumberFromString(`+${digits.slice(2)}`)?.isPossible() === true;
  return (
    parsePhoneNumberFromString(`+${digits}`)?.isPossible() === true ||
    parsePhoneNumberFromString(trimmed, "RU")?.isPossible() === true
  );
}

describe("possibleByLength", () => {
  const table = shortcutTable();

  it("covers the home region and most of the world", () => {
    expect([...(table.get("7") ?? [])]).toContain(10);
    expect(table.size).toBeGreaterThan(150);
  });

  it("answers yes only where libphonenumber-js says possible, for every covered code and length", () => {
    const digits = digitSource(12);
    const disagreements: string[] = [];
    for (const [callingCode, lengths] of table) {
      for (const length of lengths) {
        const samples = Array.from({ length: 10 }, (_, first) => `${first}${digits(length - 1)}`);
        for (let i = 0; i < 10; i++) samples.push(digits(length));
        for (const national of samples) {
          for (const text of [`+${callingCode}${national}`, `${callingCode}${national}`]) {
            if (possibleByLength(text) !== true) disagreements.push(`${text}: shortcut declined`);
            else if (!parserSaysPossible(text)) disagreements.push(`${text}: parser says impossible`);
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  it("leaves to the parser what it cannot prove (other lengths, punctuation, national form, codes it skips)", () => {
    for (const text of [
      "+7 12",
      "+712",
      "+7999123456",
      "+799912345678",
      "8 999 123-45-67",
      "+7 (999) 123-45-67",
      "89991234567",
      "+80012345678",
      "0079991234567",
      "abc",
    ]) {
      expect(possibleByLength(text), text).toBeUndefined();
    }
  });
});

describe("isPossiblePhone with the shortcut", () => {
  const digits = digitSource(7);
  const inputs = [
    "+7 12",
    "712",
    "+7 999 123",
    "79991234567",
    "+79991234567",
    "89991234567",
    "8 (999) 123-45-67",
    "+7 (999) 123-45-67",
    "9991234567",
    "+78991234567",
    "+44 20 7946 0958",
    "442079460958",
    "12025550123",
    "+1 202 555 0123",
    "+380441234567",
    "+8613812345678",
    "+80012345678",
    "+882123456789",
    "00447911123456",
    "0079991234567",
    ...Array.from(
      { length: 300 },
      (_, i) => `${i % 2 === 0 ? "+" : ""}${digits(1 + (i % 3))}${digits(4 + (i % 12))}`,
    ),
  ];

  it("gives libphonenumber-js's verdict for every input of the table", () => {
    const disagreements = inputs.filter((text) => isPossiblePhone(text) !== parserSaysPossible(text));
    expect(disagreements).toEqual([]);
  });

  it("lists the same impossible phones as the parser would, for single numbers and lists", () => {
    const lists = [...inputs, inputs.slice(0, 20).join(","), inputs.slice(20, 40).join(";"), " 79991234567 "];
    for (const phones of lists) {
      const expected = parsePhones(phones)
        .filter((recipient) => recipient.kind === "phone" && !parserSaysPossible(recipient.input))
        .map((recipient) => recipient.input);
      expect(impossiblePhones(phones), phones).toEqual(expected);
    }
  });

  it("still refuses a number no numbering plan has before sending (field, rule, code)", () => {
    const checked = validateRequest("send", { phones: "+7 12", mes: "hi" });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error.issues).toEqual([
      expect.objectContaining({ field: "phones", rule: "subscriber_number" }),
    ]);
  });
});
