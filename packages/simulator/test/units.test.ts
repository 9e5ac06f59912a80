import { describe, expect, it } from "vitest";
import { SimClock } from "../src/clock.js";
import { loadSimulatorConfig, parseSimulatorConfig } from "../src/config.js";
import { FaultRegistry, parseFaultSpec } from "../src/faults.js";
import { Scheduler } from "../src/scheduler.js";
import { parseSoapRequest } from "../src/soap/request.js";

describe("Scheduler on a frozen clock", () => {
  it("runs jobs in due order (ties in insertion order) only when the clock reaches them", () => {
    const clock = new SimClock({ start: 0, frozen: true });
    const scheduler = new Scheduler(clock);
    const ran: string[] = [];
    const dues = [50, 10, 30, 10, 70, 20, 60, 40];
    for (const [i, due] of dues.entries()) scheduler.at(due, () => ran.push(`${due}#${i}`));
    clock.advance(25);
    expect(ran).toEqual(["10#1", "10#3", "20#5"]);
    clock.advance(100);
    expect(ran).toEqual(["10#1", "10#3", "20#5", "30#2", "40#7", "50#0", "60#6", "70#4"]);
    expect(scheduler.pending).toBe(0);
    scheduler.close();
  });

  it("runs jobs scheduled by a job when they are already due", () => {
    const clock = new SimClock({ start: 0, frozen: true });
    const scheduler = new Scheduler(clock);
    const ran: number[] = [];
    scheduler.at(10, () => {
      ran.push(10);
      scheduler.at(15, () => ran.push(15));
      scheduler.at(500, () => ran.push(500));
    });
    clock.advance(20);
    expect(ran).toEqual([10, 15]);
    scheduler.close();
  });
});

describe("Scheduler on a running clock", () => {
  it("fires by itself when the time comes", async () => {
    const scheduler = new Scheduler(new SimClock());
    const fired = new Promise<number>((resolve) => scheduler.at(Date.now() + 20, () => resolve(1)));
    expect(await fired).toBe(1);
    scheduler.close();
  });
});

describe("SimClock", () => {
  it("moves only forward", () => {
    const clock = new SimClock({ start: 1000, frozen: true });
    clock.set(5000);
    expect(clock.now()).toBe(5000);
    expect(() => clock.set(10)).toThrow(/forward/);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe("parseSimulatorConfig", () => {
  it("turns YAML into startSimulator options", () => {
    const options = parseSimulatorConfig(
      "clock: { start: '2026-03-10T07:00:00Z', frozen: true }\naccounts: [{ login: a, psw: b }]\nrules: { rateLimits: false }\n",
    );
    expect(options.clock).toEqual({ frozen: true, start: new Date("2026-03-10T07:00:00Z") });
    expect(options.accounts).toEqual([{ login: "a", psw: "b" }]);
    expect(options.rules).toEqual({ rateLimits: false });
  });

  it("accepts the example config shipped with the package", () => {
    const options = loadSimulatorConfig(new URL("../sim.example.yaml", import.meta.url).pathname);
    expect(options.port).toBe(8900);
    expect(options.accounts?.[0]?.callback?.url).toContain("/smsc/callback");
    expect(options.rules?.phones).toHaveLength(3);
  });

  it("names the path of a bad value and never echoes a password", () => {
    expect(() =>
      parseSimulatorConfig("accounts: [{ login: a, psw: hunter2, extra: 1 }]", "sim.yaml"),
    ).toThrow(/sim\.yaml: accounts\.0/);
    let message = "";
    try {
      parseSimulatorConfig("accounts: [{ login: '', psw: hunter2 }]");
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/accounts\.0\.login/);
    expect(message).not.toContain("hunter2");
    expect(() => parseSimulatorConfig("faults: [{ afterAccept: sometimes }]")).toThrow(
      /faults\.0\.afterAccept/,
    );
    expect(() => parseSimulatorConfig("port: [")).toThrow(/not valid YAML/);
  });
});

describe("parseSoapRequest", () => {
  const wrap = (body: string, header = "") =>
    `<?xml version="1.0"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:x">${header}<S:Body>${body}</S:Body></S:Envelope>`;

  it("reads the operation element and its string fields by local name, as sent", () => {
    const parsed = parseSoapRequest(
      wrap(
        "<ns1:send><ns1:login>a&amp;b</ns1:login><ns1:phones> 007 </ns1:phones><ns1:mes><![CDATA[<hi>]]>\n&#1055;</ns1:mes><ns1:id/></ns1:send>",
        "<S:Header><ns1:login>not this</ns1:login></S:Header>",
      ),
    );
    expect(parsed).toEqual({
      soapVersion: "1.1",
      namespace: "urn:x",
      element: "send",
      fields: { login: "a&b", phones: " 007 ", mes: "<hi>\nП", id: "" },
      malformedFields: [],
    });
  });

  it("marks nested and repeated fields as malformed", () => {
    const parsed = parseSoapRequest(
      wrap("<send><psw><a>x</a></psw><id>1</id><id>2</id><login>ok</login></send>"),
    );
    expect(parsed.fields).toEqual({ login: "ok" });
    expect(parsed.malformedFields.sort()).toEqual(["id", "psw"]);
  });

  it.each([
    ["not XML", "hello", /well-formed/],
    ["mismatched tags", wrap("<send><login>x</logn></send>"), /well-formed/],
    ["an undefined entity", wrap("<send><login>&x;</login></send>"), /well-formed/],
    ["another root", "<Envelope2/>", /no SOAP Envelope/],
    [
      "no Body",
      '<S:Envelope xmlns:S="http://www.w3.org/2003/05/soap-envelope"><S:Header/></S:Envelope>',
      /no SOAP Body/,
    ],
    [
      "an Envelope of no SOAP version",
      '<S:Envelope xmlns:S="urn:s"><S:Body><send/></S:Body></S:Envelope>',
      /Wrong Version/,
    ],
    ["an unbound prefix", "<S:Envelope><S:Body><send/></S:Body></S:Envelope>", /not declared/],
    ["an empty Body", wrap(""), /empty SOAP Body/],
    ["a DTD", "<!DOCTYPE x><x/>", /DTD/],
  ])("refuses %s", (_name, xml, message) => {
    expect(() => parseSoapRequest(xml)).toThrow(message);
  });
});

describe("fault rules", () => {
  const known = (code: number) => [1, 2, 3, 9].includes(code);

  it("parse from text with selection and effect keys", () => {
    expect(
      parseFaultSpec(
        "operation=send_sms,send_sms2; login=shop; phone=+7999; times=2; probability=0.5; http=503",
        known,
      ),
    ).toEqual({
      match: { operation: ["send_sms", "send_sms2"], login: "shop", phonePrefix: "+7999" },
      times: 2,
      probability: 0.5,
      httpStatus: 503,
    });
    expect(parseFaultSpec("latency=50;after-accept=hang", known)).toEqual({
      latencyMs: 50,
      afterAccept: "hang",
    });
    expect(parseFaultSpec("fault=", known)).toEqual({ soapFault: "Injected fault" });
  });

  it.each([
    ["two effects", "http=503;error=9", /at most one/],
    ["no effect", "times=1", /needs/],
    ["a bad after-accept", "after-accept=later", /afterAccept/],
    ["a bad probability", "error=9;probability=2", /probability/],
    ["bad times", "error=9;times=0", /times/],
    ["bad latency", "latency=-1", /latencyMs/],
    ["an unknown code", "error=42", /42/],
  ])("refuse %s", (_name, spec, message) => {
    expect(() => parseFaultSpec(spec, known)).toThrow(message);
  });

  it("match by operation, login and phone prefix; times and probability are honoured", () => {
    const draws = [0.9, 0.1];
    const registry = new FaultRegistry([], known, () => draws.shift() ?? 0);
    registry.add({ match: { operation: "send_sms", phonePrefix: "7999" }, error: 9, times: 1 });
    registry.add({ match: { login: "shop" }, error: 2, probability: 0.5 });
    const phones = () => ["+79991234567"];
    expect(registry.pick({ operation: "get_balance", login: "demo", phones })).toBeUndefined();
    expect(
      registry.pick({ operation: "send_sms", login: "demo", phones: () => ["78880000000"] }),
    ).toBeUndefined();
    expect(registry.pick({ operation: "send_sms", login: "demo", phones })?.error).toBe(9);
    expect(registry.pick({ operation: "send_sms", login: "demo", phones })).toBeUndefined(); // used up
    expect(registry.pick({ operation: "get_balance", login: "shop", phones })).toBeUndefined(); // draw 0.9
    expect(registry.pick({ operation: "get_balance", login: "shop", phones })?.error).toBe(2); // draw 0.1
  });
});
