import { describe, expect, it } from "vitest";
import {
  costOptionsSchema,
  FIELDS,
  fieldSchemas,
  QUERY_OPTIONS,
  queryOptionSchemas,
  SECRET_PARAMETERS,
  sendOptionsSchema,
  statusOptionsSchema,
} from "../../../packages/core/src/generated/index.js";

// The committed generated schemas (determinism test proves they equal a fresh generation) enforce the
// catalog's formats, accept values as users write them, and name the field and rule when they refuse one.

function messages(result: {
  success: boolean;
  error?: { issues: { message: string; path: PropertyKey[] }[] };
}) {
  return result.success ? [] : (result.error?.issues ?? []).map((i) => `${i.path.join(".")}|${i.message}`);
}

describe("generated zod schemas (real spec)", () => {
  it("accept each documented `time` format and refuse others with SMSC's error code 5", () => {
    for (const ok of ["0", 0, "2512261530", "26.12.25 15:30", "9-21", "01735000000", "+90"]) {
      expect([ok, fieldSchemas.time.safeParse(ok).success]).toEqual([ok, true]);
    }
    for (const bad of ["tomorrow", "25-12-2026", "+", "12:30"]) {
      expect([bad, fieldSchemas.time.safeParse(bad).success]).toEqual([bad, false]);
    }
    expect(FIELDS.time.smscError).toBe(5);
  });

  it("accept numeric and textual message ids within the documented limits", () => {
    expect(fieldSchemas.id.safeParse(2147483647)).toMatchObject({ success: true, data: 2147483647 });
    expect(fieldSchemas.id.safeParse("order-42.a_b")).toMatchObject({ success: true, data: "order-42.a_b" });
    // Beyond 32 bits a number is still a valid *text* id (digits are allowed characters), as SEED reads.
    expect(fieldSchemas.id.safeParse(2147483648)).toMatchObject({ success: true, data: "2147483648" });
    expect(fieldSchemas.id.safeParse("идентификатор").success).toBe(false);
    expect(fieldSchemas.id.safeParse("x".repeat(41)).success).toBe(false);
    expect(fieldSchemas.id.safeParse("has space").success).toBe(false);
  });

  it("accept recipient lists as strings or arrays, with groups, e-mail and Telegram ids", () => {
    expect(fieldSchemas.phones.safeParse("+79991234567, 79990000000;G12;a@b.ru;#durov,").success).toBe(true);
    expect(fieldSchemas.phones.safeParse(["+79991234567", 79990000000]).success).toBe(true);
    expect(fieldSchemas.phones.safeParse("call me").success).toBe(false);
    expect(fieldSchemas.phones.safeParse([]).success).toBe(false);
    expect(FIELDS.phones.smscError).toBe(7);
  });

  it("coerce integers and decimals from strings and enforce ranges", () => {
    expect(queryOptionSchemas.tz.safeParse("-2")).toMatchObject({ success: true, data: -2 });
    expect(queryOptionSchemas.tz.safeParse(12).success).toBe(false);
    expect(queryOptionSchemas.period.safeParse("0.5")).toMatchObject({ success: true, data: 0.5 });
    expect(queryOptionSchemas.period.safeParse(0.05).success).toBe(false);
    expect(queryOptionSchemas.freq.safeParse("1.5").success).toBe(false);
    expect(queryOptionSchemas.maxsms.safeParse("").success).toBe(false);
  });

  it("accept enum values, with `voice`'s language suffix", () => {
    expect(queryOptionSchemas.voice.safeParse("w2,en").success).toBe(true);
    expect(queryOptionSchemas.voice.safeParse("m5").success).toBe(false);
    expect(queryOptionSchemas.translit.safeParse(2)).toMatchObject({ success: true, data: "2" });
    expect(queryOptionSchemas.flash.safeParse(3).success).toBe(false);
    expect(queryOptionSchemas.valid.safeParse("24:00").success).toBe(true);
    expect(queryOptionSchemas.valid.safeParse("00:00").success).toBe(false);
    expect(queryOptionSchemas.valid.safeParse(25).success).toBe(false);
    expect(queryOptionSchemas.param.safeParse("25,60,3").success).toBe(true);
  });

  it("refuse unknown options and name the field and rule of a bad one", () => {
    const result = sendOptionsSchema.safeParse({ phones: "79991234567", mes: "hi", tz: 40, flsh: 1 });
    const lines = messages(result);
    expect(lines).toContain("tz|tz: must be an integer -15..11");
    expect(lines.some((l) => l.includes("flsh"))).toBe(true);
  });

  it("require exactly the fields the plain operation requires, and keep credentials out", () => {
    expect(messages(sendOptionsSchema.safeParse({ mes: "hi" })).some((l) => l.startsWith("phones|"))).toBe(
      true,
    );
    expect(statusOptionsSchema.safeParse({ phone: "79991234567", id: 7, all: 1 }).success).toBe(true);
    expect(statusOptionsSchema.safeParse({ phone: "79991234567" }).success).toBe(false);
    expect(sendOptionsSchema.safeParse({ phones: "79991234567", mes: "x", psw: "secret" }).success).toBe(
      false,
    );
    expect([...SECRET_PARAMETERS]).toEqual(["apikey", "psw"]);
    expect(QUERY_OPTIONS.apikey.credential).toBe(true);
  });

  it("give each method exactly the options the catalog says it accepts", () => {
    const keys = (schema: { shape: object }) => Object.keys(schema.shape).sort();
    const send = keys(sendOptionsSchema);
    const cost = keys(costOptionsSchema);
    const status = keys(statusOptionsSchema);
    expect(send).toEqual(
      expect.arrayContaining(["phones", "mes", "id", "sender", "time", "cost", "list", "tz", "voice"]),
    );
    expect(send).not.toContain("del");
    expect(cost).toEqual(expect.arrayContaining(["phones", "mes", "sender", "time", "tz", "flash"]));
    expect(cost).not.toContain("cost");
    expect(cost).not.toContain("id");
    expect(status).toEqual(["all", "charset", "del", "fmt", "id", "phone"]);
    for (const name of [...send, ...cost, ...status])
      expect(["login", "psw", "apikey", "query"]).not.toContain(name);
  });
});
