import { describe, expect, it } from "vitest";
import { loadModel } from "../src/generate.js";
import { REAL_SPEC_DIR } from "./helpers/mini-spec.js";

// The real spec/: complete per issue 2 §2-§3, and consistent (loadModel runs every cross-check).

describe("spec/ (the real SMSC spec)", async () => {
  const model = await loadModel(REAL_SPEC_DIR);

  it("has the seven SOAP operations with their elements and wrappers", () => {
    expect(
      model.operations.map((o) => [o.name, o.inputElement, o.outputElement, o.resultElement, o.resultType]),
    ).toEqual([
      ["get_balance", "balance", "BalanceResponse", "balanceresult", "BalanceResponseType"],
      ["get_sms_cost", "cost", "CostResponse", "costresult", "CostResponseType"],
      ["get_sms_cost2", "cost2", "Cost2Response", "costresult", "Cost2ResponseType"],
      ["get_status", "status", "StatusResponse", "statusresult", "StatusResponseType"],
      ["get_status2", "status2", "Status2Response", "statusresult", "Status2ResponseType"],
      ["send_sms", "send", "SendResponse", "sendresult", "SendResponseType"],
      ["send_sms2", "send2", "Send2Response", "sendresult", "Send2ResponseType"],
    ]);
    expect(new Set(model.operations.map((o) => o.soapAction))).toEqual(new Set([model.specNamespace]));
  });

  it("keeps minOccurs exactly as documented", () => {
    const required = (op: string) =>
      model.operations
        .find((o) => o.name === op)
        ?.inputFields.map((f) => `${f.name}${f.required ? "" : "?"}`)
        .join(" ");
    expect(required("send_sms")).toBe("login psw phones mes id? sender? time?");
    expect(required("send_sms2")).toBe("login psw phones mes id? sender? time? query?");
    expect(required("get_sms_cost2")).toBe("login psw phones mes query");
    expect(required("get_status")).toBe("login psw phone id all?");
    expect(required("get_status2")).toBe("login psw phone id all? query");
    expect(required("get_balance")).toBe("login psw");
    const send2 = model.resultTypes.find((t) => t.tsName === "Send2ResponseType");
    expect(send2?.fields.find((f) => f.name === "errors")).toEqual({
      name: "errors",
      required: false,
      repeated: true,
      type: "ErrorType",
    });
    expect(model.errorTypeFields.map((f) => [f.name, f.required])).toEqual([
      ["phone", true],
      ["status", true],
    ]);
  });

  it("catalogues every query option named in issue 2 §3", () => {
    const names = model.queryOptions.map((o) => o.name);
    for (const option of [
      "apikey",
      "tz",
      "period",
      "freq",
      "flash",
      "bin",
      "push",
      "hlr",
      "ping",
      "mms",
      "mail",
      "soc",
      "viber",
      "whatsapp",
      "tg",
      "bot",
      "smsreq",
      "fileurl",
      "call",
      "voice",
      "param",
      "subj",
      "cost",
      "list",
      "nl",
      "valid",
      "tinyurl",
      "maxsms",
      "imgcode",
      "userip",
      "err",
      "op",
      "pp",
      "translit",
      "charset",
      "fmt",
    ]) {
      expect(names).toContain(option);
    }
    // `all` is a WSDL element field of get_status(2), catalogued once, as a field.
    expect(model.fields.map((f) => f.name)).toContain("all");
  });

  it("gives the SMSC error code a bad value yields: 7 for phones, 5 for time, 1 otherwise", () => {
    for (const p of [...model.fields, ...model.queryOptions]) {
      const expected = p.name === "phones" || p.name === "phone" ? 7 : p.name === "time" ? 5 : 1;
      expect([p.name, p.smscError]).toEqual([p.name, expected]);
    }
  });

  it("has the code tables at their documented sizes", () => {
    expect(model.statuses.map((s) => s.code)).toEqual([-3, -2, -1, 0, 1, 2, 3, 4, 20, 22, 23, 24, 25]);
    // docs/protocol.md §3.2 lists 32 delivery error codes (the issue text says 33).
    expect(model.deliveryErrors).toHaveLength(32);
    expect(model.errors["status"]?.find((e) => e.code === 3)?.class).toBe("not_found");
    expect(model.errors["balance"]?.find((e) => e.code === 0)?.class).toBe("ok");
    expect(model.statusTransitions.find((t) => t.from === 1)?.to).toEqual([2, 4]);
    expect(model.rateRules.find((r) => r.id === "ip-block-auth")).toMatchObject({
      blockSeconds: 1800,
      outcome: { error: 4 },
    });
  });

  it("carries the GSM 03.38 alphabets as data", () => {
    expect([...model.segments.gsm7Basic]).toHaveLength(127);
    expect([...model.segments.gsm7Extension].sort()).toEqual(
      ["\f", "[", "\\", "]", "^", "{", "|", "}", "~", "€"].sort(),
    );
    expect(model.segments.gsm7).toEqual({ single: 160, multi: 153 });
    expect(model.segments.ucs2).toEqual({ single: 70, multi: 67 });
  });

  it("marks every message kind's option and its mes/subj rules", () => {
    expect(Object.keys(model.messageKinds).sort()).toEqual(
      ["bin", "call", "flash", "hlr", "mail", "mms", "ping", "push", "soc", "tg", "viber", "whatsapp"].sort(),
    );
    expect(
      Object.entries(model.messageKinds)
        .filter(([, k]) => k.ignoresMes)
        .map(([n]) => n)
        .sort(),
    ).toEqual(["hlr", "ping"]);
    expect(model.messageKinds.mail?.needsSubj).toBe(true);
  });
});
