import type { Client } from "soap";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { call, DEMO, envelope, rawPost, soapClient, startTestSimulator } from "./helpers.js";

const MINUTE = 60_000;

describe("SMSC rate and abuse rules (from core's RATE_RULES)", () => {
  let sim: RunningSimulator;
  let client: Client;

  beforeAll(async () => {
    sim = await startTestSimulator({ accounts: [{ login: "demo", psw: "demo", balance: 100_000 }] });
    client = await soapClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.inspector.reset();
    sim.inspector.setRules({ rateLimits: true });
  });

  it("an identical send within a minute is error 9; a different one, or a minute later, is accepted", async () => {
    const request = { ...DEMO, phones: "79991234567", mes: "same text" };
    expect((await call(client, "send_sms", request))["id"]).toBe("1");
    expect(await call(client, "send_sms", request)).toEqual({ error: "9" });
    expect((await call(client, "send_sms", { ...request, mes: "other text" }))["error"]).toBeUndefined();
    sim.inspector.advance(MINUTE);
    expect((await call(client, "send_sms", request))["error"]).toBeUndefined();
    expect(sim.inspector.messages()).toHaveLength(3);
  });

  it("more than five status requests a minute for one message is error 9", async () => {
    await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "x", id: "s1" });
    for (let i = 0; i < 5; i++) {
      expect((await call(client, "get_status", { ...DEMO, phone: "79991234567", id: "s1" }))["status"]).toBe(
        "-1",
      );
    }
    expect(await call(client, "get_status", { ...DEMO, phone: "79991234567", id: "s1" })).toEqual({
      error: "9",
    });
    sim.inspector.advance(MINUTE);
    expect(
      (await call(client, "get_status", { ...DEMO, phone: "79991234567", id: "s1" }))["error"],
    ).toBeUndefined();
  });

  it("more than ten balance requests a minute is error 9", async () => {
    for (let i = 0; i < 10; i++) expect((await call(client, "get_balance", DEMO))["balance"]).toBeDefined();
    expect(await call(client, "get_balance", DEMO)).toEqual({ error: "9" });
    sim.inspector.advance(MINUTE);
    expect((await call(client, "get_balance", DEMO))["balance"]).toBe("100000.00");
  });

  it("more than five identical cost requests a minute is error 9", async () => {
    const request = { ...DEMO, phones: "79991234567", mes: "price me" };
    for (let i = 0; i < 5; i++) expect((await call(client, "get_sms_cost", request))["cost"]).toBe("1.50");
    expect(await call(client, "get_sms_cost", request)).toEqual({ error: "9" });
  });

  it("5 auth errors in 30 minutes block the IP (error 4) for 30 minutes, even with good credentials", async () => {
    for (let i = 0; i < 5; i++) {
      expect(await call(client, "get_balance", { login: "demo", psw: `wrong${i}` })).toEqual({ error: "2" });
      sim.inspector.advance(MINUTE);
    }
    expect(await call(client, "get_balance", DEMO)).toEqual({ error: "4" });
    expect(await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "x" })).toEqual({
      error: "4",
    });
    // The block began with the 5th error, 4 minutes in; it lasts 30 minutes from there.
    sim.inspector.advance(28 * MINUTE);
    expect(await call(client, "get_balance", DEMO)).toEqual({ error: "4" });
    sim.inspector.advance(MINUTE);
    expect((await call(client, "get_balance", DEMO))["balance"]).toBeDefined();
  });

  it("4 auth errors spread over more than 30 minutes do not block", async () => {
    for (let i = 0; i < 6; i++) {
      await call(client, "get_balance", { login: "demo", psw: "wrong" });
      sim.inspector.advance(8 * MINUTE);
    }
    expect((await call(client, "get_balance", DEMO))["balance"]).toBeDefined();
  });

  it("more than 50 messages to one subscriber less than 2 minutes apart: the 51st gets status 23", async () => {
    for (let i = 1; i <= 50; i++) {
      await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: `flood ${i}`, id: `f${i}` });
      sim.inspector.advance(MINUTE);
    }
    const result = await call(client, "send_sms2", {
      ...DEMO,
      phones: "79991234567,79990000000",
      mes: "flood 51",
      id: "f51",
      query: "err=1",
    });
    expect(result["errors"]).toEqual([{ phone: "79991234567", status: "23" }]);
    expect(sim.inspector.message("f51", "79991234567")?.status).toBe(23);
    expect(sim.inspector.message("f51", "79990000000")?.status).toBe(-1);
    // The flooded recipient is refused, not sent: the inspector counts it apart.
    expect(sim.inspector.message("f51", "79991234567")?.refused).toBe(true);
    expect(sim.inspector.message("f51", "79990000000")?.refused).toBe(false);
    expect(sim.inspector.counters().sends).toMatchObject({ recipients: 51, refusedRecipients: 1 });
    expect(sim.inspector.message("f50", "79991234567")?.status).not.toBe(23);
    // A pause of 2 minutes ends the chain.
    sim.inspector.advance(2 * MINUTE);
    await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "after pause", id: "f52" });
    expect(sim.inspector.message("f52", "79991234567")?.status).toBe(-1);
  });

  it("100 erroneous send requests in a row within 10 minutes block the IP (error 4) for 10 minutes", async () => {
    const bad = envelope("send", { ...DEMO, phones: "79991234567", mes: "x", time: "not-a-time" });
    for (let i = 0; i < 99; i++) expect((await rawPost(sim, bad)).text).toContain("<error>5</error>");
    // A success in between restarts the count.
    expect(
      (await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "fine" }))["id"],
    ).toBeDefined();
    for (let i = 0; i < 100; i++) expect((await rawPost(sim, bad)).text).toContain("<error>5</error>");
    expect(await call(client, "get_balance", DEMO)).toEqual({ error: "4" });
    sim.inspector.advance(10 * MINUTE);
    expect((await call(client, "get_balance", DEMO))["error"]).toBe("0");
  });

  it("15 simultaneous send requests under one login: the 15th is error 9", async () => {
    sim.inspector.setFault({ match: { operation: "send_sms" }, latencyMs: 1000, times: 15 });
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        rawPost(sim, envelope("send", { ...DEMO, phones: "79991234567", mes: `parallel ${i}` })),
      ),
    );
    const errors = answers.filter((a) => a.text.includes("<error>9</error>"));
    expect(errors).toHaveLength(1);
    expect(sim.inspector.messages()).toHaveLength(14);
  });

  it("5 simultaneous status requests under one login: the 5th is error 9", async () => {
    await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "x", id: "c1" });
    sim.inspector.setFault({ match: { operation: "get_status" }, latencyMs: 1000, times: 5 });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        rawPost(sim, envelope("status", { ...DEMO, phone: "79991234567", id: "c1" })),
      ),
    );
    expect(answers.filter((a) => a.text.includes("<error>9</error>"))).toHaveLength(1);
    expect(answers.filter((a) => a.text.includes("<status>-1</status>"))).toHaveLength(4);
  });

  it("each rule can be switched off for load tests, one by id or all at once", async () => {
    sim.inspector.setRules({ rateLimits: { "balance-polling": false } });
    for (let i = 0; i < 20; i++) expect((await call(client, "get_balance", DEMO))["error"]).toBe("0");
    const request = { ...DEMO, phones: "79991234567", mes: "same" };
    await call(client, "send_sms", request);
    expect(await call(client, "send_sms", request)).toEqual({ error: "9" });
    sim.inspector.setRules({ rateLimits: false });
    expect((await call(client, "send_sms", request))["error"]).toBeUndefined();
    for (let i = 0; i < 6; i++) await call(client, "get_balance", { login: "demo", psw: "bad" });
    expect((await call(client, "get_balance", DEMO))["error"]).toBe("0");
  });

  it("names the catalog rules it cannot simulate", () => {
    // status-mass: the catalog's status schema takes one id, so a SOAP mass request is error 1 before any count.
    expect(sim.inspector.unenforcedRules().map((r) => r.id)).toEqual(["status-mass", "ip-block-bursts"]);
  });
});
