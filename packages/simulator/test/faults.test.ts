import { request } from "node:http";
import type { Client } from "soap";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAULT_HEADER, type RunningSimulator } from "../src/index.js";
import { call, DEMO, envelope, rawPost, soapClient, startTestSimulator } from "./helpers.js";

/** Sends a raw request and reports how the connection ended (answer, reset, or still open after `waitMs`). */
function rawOutcome(
  sim: RunningSimulator,
  body: string,
  waitMs: number,
): Promise<{ kind: "answer"; status: number } | { kind: "reset" } | { kind: "hung" }> {
  return new Promise((resolve) => {
    const req = request(
      sim.url,
      { method: "POST", headers: { "content-type": "text/xml" }, agent: false },
      (res) => {
        res.resume();
        resolve({ kind: "answer", status: res.statusCode ?? 0 });
      },
    );
    req.on("error", () => resolve({ kind: "reset" }));
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ kind: "hung" });
    }, waitMs);
    req.on("close", () => clearTimeout(timer));
    req.end(body);
  });
}

describe("fault injection", () => {
  let sim: RunningSimulator;
  let client: Client;

  beforeAll(async () => {
    sim = await startTestSimulator({ faults: [{ match: { login: "faulty" }, httpStatus: 503 }] });
    client = await soapClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  const sendBody = (id: string) => envelope("send", { ...DEMO, phones: "79991234567", mes: "x", id });

  it("timeout after accept (drop): the message IS created, the client sees the connection reset", async () => {
    sim.inspector.setFault({ match: { operation: "send_sms" }, afterAccept: "drop", times: 1 });
    expect(await rawOutcome(sim, sendBody("drop-1"), 2000)).toEqual({ kind: "reset" });
    expect(sim.inspector.message("drop-1", "79991234567")?.status).toBe(-1);
    expect(sim.inspector.balance("demo")).toBeCloseTo(998.5, 6);
    // The fault was used up: the client's status check finds the message.
    expect(await call(client, "get_status", { ...DEMO, phone: "79991234567", id: "drop-1" })).toMatchObject({
      status: "-1",
    });
  });

  it("timeout after accept (hang): the message IS created and no answer ever comes", async () => {
    sim.inspector.setFault({ match: { operation: "send_sms" }, afterAccept: "hang", times: 1 });
    expect(await rawOutcome(sim, sendBody("hang-1"), 300)).toEqual({ kind: "hung" });
    expect(sim.inspector.message("hang-1", "79991234567")).toBeDefined();
  });

  it.each([500, 503])("HTTP %i without processing the request", async (status) => {
    sim.inspector.setFault({ httpStatus: status, times: 1 });
    expect(await rawOutcome(sim, sendBody("h"), 2000)).toEqual({ kind: "answer", status });
    expect(sim.inspector.messages()).toHaveLength(0);
    expect(sim.inspector.counters().faultsInjected).toBe(1);
  });

  it("a configured rule matches by login", async () => {
    const response = await rawPost(sim, envelope("balance", { login: "faulty", psw: "x" }));
    expect(response.status).toBe(503);
    expect((await rawPost(sim, envelope("balance", DEMO))).status).toBe(200);
  });

  it("a rule matches by phone prefix against any recipient of the list, as core splits it", async () => {
    sim.inspector.setFault({ match: { operation: "send_sms", phonePrefix: "+7999555" }, error: 8, times: 1 });
    const other = await call(client, "send_sms", { ...DEMO, phones: "79990000001,79990000002", mes: "b" });
    expect(other["id"]).toBeDefined();
    const listed = await call(client, "send_sms", {
      ...DEMO,
      phones: "79990000001; +7999555 00 01",
      mes: "a",
    });
    expect(listed).toEqual({ error: "8" });
  });

  it("SOAP Fault on demand, which node-soap reports as a fault", async () => {
    sim.inspector.setFault({
      match: { operation: "get_balance" },
      soapFault: "Service unavailable",
      times: 1,
    });
    await expect(call(client, "get_balance", DEMO)).rejects.toThrow(/Service unavailable/);
    expect((await call(client, "get_balance", DEMO))["balance"]).toBe("1000.00");
  });

  it("a forced in-band error code", async () => {
    sim.inspector.setFault({ match: { operation: ["send_sms", "send_sms2"] }, error: 9, times: 2 });
    expect(await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "a" })).toEqual({
      error: "9",
    });
    expect(await call(client, "send_sms2", { ...DEMO, phones: "79991234567", mes: "b", query: "" })).toEqual({
      error: "9",
    });
    expect(
      (await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "c" }))["id"],
    ).toBeDefined();
  });

  it("latency holds one answer back while later requests are answered", async () => {
    sim.inspector.setFault({ match: { operation: "get_balance" }, latencyMs: 1500, times: 1 });
    let slowDone = false;
    const slow = rawPost(sim, envelope("balance", DEMO)).then((r) => {
      slowDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    const fast = await rawPost(sim, envelope("balance", DEMO));
    expect(fast.text).toContain("<balance>1000.00</balance>");
    expect(slowDone).toBe(false);
    expect((await slow).text).toContain("<balance>1000.00</balance>");
  });

  it("per request through the x-smsc-sim-fault header; a bad header is a 400 naming the key", async () => {
    const injected = await rawPost(sim, envelope("balance", DEMO), {
      "content-type": "text/xml",
      [FAULT_HEADER]: "error=4",
    });
    expect(injected.text).toContain("<error>4</error>");
    const bad = await rawPost(sim, envelope("balance", DEMO), {
      "content-type": "text/xml",
      [FAULT_HEADER]: "explode=1",
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("explode");
  });

  it("rejects a fault rule that names an error code outside the catalog", () => {
    expect(() => sim.inspector.setFault({ error: 77 })).toThrow(/77/);
    expect(() => sim.inspector.setFault({ httpStatus: 200 })).toThrow(/httpStatus/);
  });
});
