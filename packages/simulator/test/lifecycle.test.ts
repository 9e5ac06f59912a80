import type { Client } from "soap";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { call, DEMO, soapClient, startTestSimulator, T0 } from "./helpers.js";

const MINUTE = 60_000;

describe("message lifecycle on the simulator clock", () => {
  let sim: RunningSimulator;
  let client: Client;

  beforeAll(async () => {
    sim = await startTestSimulator({
      rules: {
        lifecycle: { handoffMs: 1000, deliveryMs: 4000 },
        phones: [
          { prefix: "7900020", status: 20, err: 1 },
          { prefix: "7900022", status: 22, err: 249 },
          { prefix: "7900023", status: 23, err: 253 },
          { prefix: "7900024", status: 24, err: 0 },
          { prefix: "7900025", status: 25, err: 248, operator: "Beeline", region: "Moscow" },
          { prefix: "7900008", sendError: 8 },
        ],
      },
    });
    client = await soapClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  const status = (phone: string, id: string) => call(client, "get_status", { ...DEMO, phone, id, all: "1" });

  it("moves −1 → 0 → 1 as the clock advances, with the history and dates of each change", async () => {
    await call(client, "send_sms", { ...DEMO, phones: "+79991234567", mes: "hi", id: "a1" });
    expect((await status("79991234567", "a1"))["status"]).toBe("-1");
    sim.inspector.advance(1000);
    expect((await status("79991234567", "a1"))["status"]).toBe("0");
    sim.inspector.advance(3999);
    expect((await status("79991234567", "a1"))["status"]).toBe("0");
    sim.inspector.advance(1);
    const delivered = await status("+79991234567", "a1");
    expect(delivered).toMatchObject({
      status: "1",
      err: "0",
      status_name: "Delivered",
      last_date: "10.03.2026 10:00:05",
    });
    expect(
      sim.inspector.message("a1", "79991234567")?.history.map((h) => [h.status, h.at - T0.getTime()]),
    ).toEqual([
      [-1, 0],
      [0, 1000],
      [1, 5000],
    ]);
  });

  it.each([
    ["7900020", "20", "1"],
    ["7900022", "22", "249"],
    ["7900023", "23", "253"],
    ["7900024", "24", "0"],
    ["7900025", "25", "248"],
  ])("phone rule %s ends in status %s with err %s", async (prefix, finalStatus, err) => {
    const phone = `${prefix}1111`;
    await call(client, "send_sms", { ...DEMO, phones: phone, mes: "x", id: `r${finalStatus}` });
    sim.inspector.advance(5000);
    const result = await call(client, "get_status2", {
      ...DEMO,
      phone,
      id: `r${finalStatus}`,
      all: "2",
      query: "",
    });
    expect(result).toMatchObject({ status: finalStatus, err });
    if (finalStatus === "25") expect(result).toMatchObject({ operator: "Beeline", region: "Moscow" });
  });

  it("a phone rule can refuse the send itself", async () => {
    expect(await call(client, "send_sms", { ...DEMO, phones: "79000081111", mes: "x" })).toEqual({
      error: "8",
    });
  });

  // T0 is 10:00 Moscow (UTC+3) on 10.03.2026.
  it.each([
    ["DDMMYYhhmm", "1003261030", undefined, 30 * MINUTE],
    ["DD.MM.YY hh:mm", "10.03.26 11:00", undefined, 60 * MINUTE],
    ["DDMMYYhhmm with tz=2 (12:30 at Moscow+2 is 10:30 Moscow)", "1003261230", "2", 30 * MINUTE],
    ["0ts (unix seconds)", `0${T0.getTime() / 1000 + 600}`, undefined, 10 * MINUTE],
    ["+m (minutes from now)", "+15", undefined, 15 * MINUTE],
    ["h1-h2 window not open yet", "12-18", undefined, 120 * MINUTE],
    ["h1-h2 window open now", "9-18", undefined, 0],
    ["h1-h2 window already closed today", "6-9", undefined, (24 - 4) * 60 * MINUTE],
    ["0 means now", "0", undefined, 0],
    ["a past time means now", "0101200000", undefined, 0],
  ])("time format %s waits in −1 until due", async (_name, time, tz, waitMs) => {
    const query = tz === undefined ? "" : `tz=${tz}`;
    await call(client, "send_sms2", { ...DEMO, phones: "79991234567", mes: "later", id: "t1", time, query });
    const message = sim.inspector.message("t1", "79991234567");
    expect(message?.sendAt).toBe(T0.getTime() + waitMs);
    if (waitMs > 0) {
      sim.inspector.advance(waitMs + 999);
      expect((await status("79991234567", "t1"))["status"]).toBe("-1");
    }
    sim.inspector.advance(waitMs > 0 ? 1 : 1000);
    expect((await status("79991234567", "t1"))["status"]).toBe("0");
  });

  it("unknown message (or another account's message) is error 3", async () => {
    await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "x", id: "mine" });
    expect(await call(client, "get_status", { ...DEMO, phone: "79991234567", id: "other" })).toEqual({
      error: "3",
    });
    expect(await call(client, "get_status", { ...DEMO, phone: "79990000000", id: "mine" })).toEqual({
      error: "3",
    });
    expect(
      (await call(client, "get_status", { ...DEMO, phone: "+7 (999) 123-45-67", id: "mine" }))["status"],
    ).toBe("-1");
  });
});
