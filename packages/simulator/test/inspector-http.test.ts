import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../src/index.js";
import { DEMO, envelope, rawPost, startTestSimulator } from "./helpers.js";

describe("the inspector over HTTP (/_sim/)", () => {
  let sim: RunningSimulator;
  let origin: string;
  const get = async (path: string) => (await fetch(`${origin}/_sim/${path}`)).json() as Promise<unknown>;
  const post = (path: string, body?: unknown) =>
    fetch(`${origin}/_sim/${path}`, {
      method: "POST",
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });

  beforeAll(async () => {
    sim = await startTestSimulator({ rules: { lifecycle: { handoffMs: 1000, deliveryMs: 1000 } } });
    origin = new URL(sim.url).origin;
  });
  afterAll(() => sim.close());

  it("lists messages with their history and moves the clock", async () => {
    await rawPost(sim, envelope("send", { ...DEMO, phones: "79991234567", mes: "hi", id: "h1" }));
    expect(await get("messages")).toMatchObject([{ id: "h1", phone: "79991234567", status: -1 }]);
    expect((await post("advance?ms=2000")).status).toBe(200);
    const message = (await get("messages?id=h1&phone=79991234567")) as { history: { status: number }[] };
    expect(message.history.map((h) => h.status)).toEqual([-1, 0, 1]);
    expect(await get("counters")).toMatchObject({ messagesCreated: 1, byOperation: { send_sms: 1 } });
    expect((await fetch(`${origin}/_sim/messages?id=nope&phone=1`)).status).toBe(404);
  });

  it("sets and clears faults from JSON, naming the field of a bad one", async () => {
    expect(
      (await post("faults", { match: { operation: "get_balance" }, httpStatus: 503, times: 1 })).status,
    ).toBe(201);
    expect((await rawPost(sim, envelope("balance", DEMO))).status).toBe(503);
    const bad = await post("faults", { afterAccept: "sometimes" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: "afterAccept" } });
    const unknownCode = await post("faults", { error: 77 });
    expect(await unknownCode.json()).toMatchObject({ error: { field: "error", rule: "catalog" } });
    await post("faults", { latencyMs: 5 });
    expect(await get("faults")).toHaveLength(1);
    expect((await fetch(`${origin}/_sim/faults`, { method: "DELETE" })).status).toBe(200);
    expect(await get("faults")).toEqual([]);
  });

  it("resets, and answers 400 on a bad advance and 404 on an unknown route", async () => {
    expect((await post("reset")).status).toBe(200);
    expect(await get("messages")).toEqual([]);
    expect((await post("advance?ms=-5")).status).toBe(400);
    expect((await post("explode")).status).toBe(404);
  });

  it("can be switched off", async () => {
    const quiet = await startSimulator({ httpInspector: false });
    try {
      expect((await fetch(`${new URL(quiet.url).origin}/_sim/messages`)).status).toBe(404);
    } finally {
      await quiet.close();
    }
  });
});
