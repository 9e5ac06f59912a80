import { describe, expect, it } from "vitest";
import { SmscValidationError } from "../src/errors.js";
import { validateRequest } from "../src/validate.js";

function failure(method: Parameters<typeof validateRequest>[0], fields: Record<string, unknown>) {
  const result = validateRequest(method, fields);
  if (result.ok) throw new Error(`expected ${JSON.stringify(fields)} to be refused`);
  return result.error;
}

describe("validateRequest", () => {
  it("accepts a plain send in wire form and types numbers", () => {
    const result = validateRequest("send", {
      phones: "79990000001,+79990000002",
      mes: "hi",
      translit: "1",
      maxsms: "2",
    });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject({ phones: "79990000001,+79990000002", mes: "hi" });
  });

  it("leaves credentials and query to others: the simulator passes what it received", () => {
    const fields = { login: "demo", psw: "x", apikey: "k", query: "a=b", phone: "79990000001", id: "1" };
    expect(validateRequest("status", fields).ok).toBe(true);
  });

  it("refuses a bad phone list with SMSC error 7", () => {
    const error = failure("send", { phones: "7999;;abc", mes: "x" });
    expect(error).toBeInstanceOf(SmscValidationError);
    expect(error).toMatchObject({ field: "phones", smscError: 7 });
  });

  it("refuses a bad time with SMSC error 5 and accepts all four formats", () => {
    expect(failure("send", { phones: "79990000001", mes: "x", time: "soon" })).toMatchObject({
      field: "time",
      smscError: 5,
    });
    expect(failure("send", { phones: "79990000001", mes: "x", time: "31.02.26 10:00" })).toMatchObject({
      field: "time",
      smscError: 5,
    });
    for (const time of ["2511261230", "25.11.26 12:30", "9-21", "01795593605", "+15", "0"]) {
      expect(validateRequest("send", { phones: "79990000001", mes: "x", time }).ok, time).toBe(true);
    }
  });

  it("refuses an id with forbidden characters or over 40 characters", () => {
    expect(failure("send", { phones: "79990000001", mes: "x", id: "a b" })).toMatchObject({ field: "id" });
    expect(failure("status", { phone: "79990000001", id: "x".repeat(41) })).toMatchObject({ field: "id" });
    expect(validateRequest("status", { phone: "79990000001", id: "2147483647" }).ok).toBe(true);
  });

  it("refuses a text over 1000 characters", () => {
    expect(failure("send", { phones: "79990000001", mes: "x".repeat(1001) })).toMatchObject({ field: "mes" });
    expect(validateRequest("send", { phones: "79990000001", mes: "x".repeat(1000) }).ok).toBe(true);
  });

  it("refuses options a method does not take", () => {
    expect(failure("status", { phone: "79990000001", id: "1", translit: "1" })).toMatchObject({
      field: "translit",
      rule: "unknown_option",
    });
    expect(failure("balance", { mes: "x" })).toMatchObject({ field: "mes", rule: "unknown_option" });
  });

  it("applies KIND_CONFLICTS: two message kinds exclude each other", () => {
    const error = failure("send", { phones: "79990000001", mes: "x", flash: "1", push: "1" });
    expect(error.rule).toBe("one-kind-per-message");
    expect(error.message).toContain("flash");
    expect(error.message).toContain("push");
    expect(validateRequest("send", { phones: "79990000001", mes: "x", flash: "1", push: "0" }).ok).toBe(true);
  });

  it("applies MESSAGE_KINDS: mes is required unless the kind ignores it; mail needs subj", () => {
    expect(failure("send", { phones: "79990000001", mes: "" })).toMatchObject({
      field: "mes",
      rule: "required",
    });
    expect(validateRequest("send", { phones: "79990000001", mes: "", ping: "1" }).ok).toBe(true);
    expect(failure("send", { phones: "a@b.ru", mes: "x", mail: "1" })).toMatchObject({ field: "subj" });
    expect(validateRequest("send", { phones: "a@b.ru", mes: "x", mail: "1", subj: "Hi" }).ok).toBe(true);
  });

  it("refuses characters XML cannot carry", () => {
    expect(failure("send", { phones: "79990000001", mes: "a\u0007b" })).toMatchObject({
      field: "mes",
      rule: "xml_char",
    });
  });

  it("reports every problem in issues, the first one on the error", () => {
    const error = failure("send", { phones: "bad", mes: "x".repeat(1001), time: "never" });
    expect(error.issues.map((issue) => issue.field).sort()).toEqual(["mes", "phones", "time"]);
  });
});

describe("validateRequest lenient mode (as SMSC judges)", () => {
  it("does not refuse a bad param, which SMSC replaces with its defaults, but reports it", () => {
    const fields = { phones: "79990000001", mes: "x", call: "1", param: "not-a-param" };
    expect(validateRequest("send", fields).ok).toBe(false);
    const lenient = validateRequest("send", fields, { lenient: true });
    expect(lenient.ok).toBe(true);
    if (lenient.ok) {
      expect(lenient.ignored.map((found) => found.field)).toEqual(["param"]);
      expect(lenient.value).not.toHaveProperty("param");
      expect(lenient.value).toMatchObject({ phones: "79990000001", call: "1" });
    }
  });

  it("still refuses what SMSC refuses", () => {
    const result = validateRequest("send", { phones: "bad", mes: "x", param: "nope" }, { lenient: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ field: "phones", smscError: 7 });
  });
});

describe("validateRequest takes request-shaped input too", () => {
  it("judges booleans, recipient arrays and list lines in their wire form", () => {
    const result = validateRequest("send", {
      phones: ["79990000001", "+79990000002"],
      mes: "x",
      flash: true,
      list: [{ phones: ["79990000001"], mes: "one\ntwo" }],
    });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toMatchObject({ phones: "79990000001,+79990000002", flash: "1" });
  });

  it("refuses values of no wire form", () => {
    expect(failure("send", { phones: "79990000001", mes: { text: "x" } })).toMatchObject({
      field: "mes",
      rule: "type",
    });
  });
});

describe("validateRequest: what replaces phones and mes (catalog MESSAGE_KINDS ignoresMes, QUERY_OPTIONS replaces)", () => {
  it("accepts hlr and ping sends without mes, as the catalog's kinds ignore it", () => {
    expect(validateRequest("send", { phones: "79990000001", hlr: "1" }).ok).toBe(true);
    expect(validateRequest("send", { phones: "79990000001", ping: 1 }).ok).toBe(true);
    expect(validateRequest("cost", { phones: "79990000001", hlr: true }).ok).toBe(true);
  });

  it("still requires mes for kinds that use it, and phones for hlr", () => {
    expect(failure("send", { phones: "79990000001", flash: "1" })).toMatchObject({ field: "mes" });
    expect(failure("send", { phones: "79990000001" })).toMatchObject({ field: "mes" });
    expect(failure("send", { hlr: "1" })).toMatchObject({ field: "phones", smscError: 7 });
  });

  it("accepts a send that carries only list, whose lines hold the phones and texts", () => {
    expect(validateRequest("send", { list: "79990000001:hi\n79990000002:there" }).ok).toBe(true);
    expect(validateRequest("cost", { list: "79990000001:hi", phones: "", mes: "" }).ok).toBe(true);
  });

  it("with nl=1 lets a list text go on over further lines, and refuses such a line without it", () => {
    const list = "79990000001:first\nsecond line\n79990000002:other";
    expect(validateRequest("send", { list, nl: "1" }).ok).toBe(true);
    expect(failure("send", { list })).toMatchObject({ field: "list", rule: "line" });
    expect(failure("send", { list: "no separator at all", nl: "1" })).toMatchObject({ field: "list" });
  });

  it("judges every list line as the message it stands for", () => {
    expect(failure("send", { list: "79990000001:hi\nnot-a-phone:there" })).toMatchObject({
      field: "list",
      smscError: 7,
    });
    expect(failure("send", { list: `79990000001:${"x".repeat(1001)}` })).toMatchObject({ field: "list" });
    expect(failure("send", { list: "way-too-long-sender|79990000001:hi" })).toMatchObject({ field: "list" });
  });
});
