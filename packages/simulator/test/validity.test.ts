import type { Client } from "soap";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type RunningSimulator, SimulatorConfigError } from "../src/index.js";
import { call, DEMO, soapClient, startCallbackReceiver, startTestSimulator } from "./helpers.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OFFLINE = "79000061111";

describe("message lifetime (`valid`) for an unreachable subscriber", () => {
  let sim: RunningSimulator;
  let client: Client;

  beforeAll(async () => {
    sim = await startTestSimulator({
      rules: {
        rateLimits: false,
        lifecycle: { handoffMs: 1000, deliveryMs: 4000 },
        phones: [
          { prefix: "7900006", unreachable: true },
          { prefix: "7900011", unreachable: true, err: 11 },
        ],
      },
    });
    client = await soapClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  const status = (phone: string, id: string) => call(client, "get_status", { ...DEMO, phone, id, all: "1" });
  const send = (phone: string, id: string, query: string) =>
    call(client, "send_sms2", { ...DEMO, phones: phone, mes: `m ${id}`, id, query });

  it("stays at 0 for the default 24 h, then expires (3) with err 6", async () => {
    await send(OFFLINE, "e1", "");
    sim.inspector.advance(1000);
    expect(await status(OFFLINE, "e1")).toMatchObject({ status: "0", err: "0" });
    sim.inspector.advance(24 * HOUR - 1001);
    expect(await status(OFFLINE, "e1")).toMatchObject({ status: "0" });
    sim.inspector.advance(1);
    expect(await status(OFFLINE, "e1")).toMatchObject({ status: "3", err: "6", status_name: "Expired" });
    expect(sim.inspector.message("e1", OFFLINE)?.history.map((h) => [h.status, h.err])).toEqual([
      [-1, 0],
      [0, 0],
      [3, 6],
    ]);
  });

  it.each([
    ["2", 2 * HOUR],
    ["00:30", 30 * MINUTE],
    ["24:00", 24 * HOUR],
  ])("valid=%s expires the message after that lifetime", async (valid, lifetime) => {
    await send(OFFLINE, "e2", `valid=${valid}`);
    sim.inspector.advance(lifetime - 1);
    expect((await status(OFFLINE, "e2"))["status"]).toBe("0");
    sim.inspector.advance(1);
    expect(await status(OFFLINE, "e2")).toMatchObject({ status: "3", err: "6" });
  });

  it("counts the lifetime from the requested send time", async () => {
    await send(OFFLINE, "e3", "valid=1&time=%2B60");
    sim.inspector.advance(HOUR);
    expect((await status(OFFLINE, "e3"))["status"]).toBe("-1");
    sim.inspector.advance(HOUR - 1);
    expect((await status(OFFLINE, "e3"))["status"]).toBe("0");
    sim.inspector.advance(1);
    expect((await status(OFFLINE, "e3"))["status"]).toBe("3");
  });

  it("reports the rule's own err when it names one", async () => {
    await send("79000111111", "e4", "valid=1");
    sim.inspector.advance(HOUR);
    expect(await status("79000111111", "e4")).toMatchObject({ status: "3", err: "11" });
  });

  it("a reachable subscriber is delivered as usual within its lifetime", async () => {
    await send("79991234567", "e5", "valid=00:01");
    sim.inspector.advance(5000);
    expect(await status("79991234567", "e5")).toMatchObject({ status: "1", err: "0" });
  });

  it.each(["25", "0", "00:00", "1:30"])("refuses valid=%s with error 1 and stores nothing", async (valid) => {
    expect(await send(OFFLINE, "bad", `valid=${encodeURIComponent(valid)}`)).toEqual({ error: "1" });
    expect(sim.inspector.messages()).toEqual([]);
  });

  it("rejects a phone rule that is both unreachable and has a final status", async () => {
    await expect(
      startTestSimulator({ rules: { phones: [{ prefix: "7", unreachable: true, status: 1 }] } }),
    ).rejects.toThrow(SimulatorConfigError);
  });
});

describe("expiry callback", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("POSTs status 3 with err 6 like any final status", async () => {
    const receiver = await startCallbackReceiver();
    const sim = await startTestSimulator({
      accounts: [{ login: "demo", psw: "demo", callback: { url: receiver.url, secret: "s" } }],
      rules: { phones: [{ prefix: "7900006", unreachable: true }] },
      callbacks: { retryDelaysMs: [20], statuses: "final" },
    });
    cleanups.push(
      () => receiver.close(),
      () => sim.close(),
    );
    const client = await soapClient(sim);
    await call(client, "send_sms2", { ...DEMO, phones: OFFLINE, mes: "x", id: "cb", query: "valid=1" });
    sim.inspector.advance(HOUR);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(receiver.received[0]?.fields).toMatchObject({ id: "cb", phone: OFFLINE, status: "3", err: "6" });
  });
});
