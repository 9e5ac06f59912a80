import type { Client } from "soap";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, SimulatorConfigError } from "../src/index.js";
import { MessageStore, type SimMessage } from "../src/messages.js";
import { call, DEMO, soapClient, startTestSimulator } from "./helpers.js";

const OFFLINE = "79000061111";

describe("message store cap (maxMessages)", () => {
  let sim: RunningSimulator;
  let client: Client;

  beforeAll(async () => {
    sim = await startTestSimulator({
      maxMessages: 3,
      rules: {
        rateLimits: false,
        lifecycle: { handoffMs: 1000, deliveryMs: 4000 },
        phones: [{ prefix: "7900006", unreachable: true }],
      },
    });
    client = await soapClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  const send = (phone: string, id: string) =>
    call(client, "send_sms", { ...DEMO, phones: phone, mes: `m ${id}`, id });
  const status = (phone: string, id: string) => call(client, "get_status", { ...DEMO, phone, id });

  it("forgets the oldest final message; get_status then answers error 3", async () => {
    for (const id of ["m1", "m2", "m3"]) await send("79991234567", id);
    sim.inspector.advance(5000);
    await send("79991234567", "m4");
    expect(await status("79991234567", "m1")).toEqual({ error: "3" });
    expect(await status("79991234567", "m2")).toMatchObject({ status: "1" });
    expect(sim.inspector.messages().map((m) => m.id)).toEqual(["m2", "m3", "m4"]);
    expect(sim.inspector.message("m1", "79991234567")).toBeUndefined();
    expect(sim.inspector.counters().messagesEvicted).toBe(1);
  });

  it("never forgets a message that is not final, even when it is the oldest", async () => {
    await send(OFFLINE, "slow");
    await send("79991234567", "d1");
    await send("79991234567", "d2");
    sim.inspector.advance(5000);
    await send("79991234567", "d3");
    expect(await status(OFFLINE, "slow")).toMatchObject({ status: "0" });
    expect(await status("79991234567", "d1")).toEqual({ error: "3" });
    expect(sim.inspector.messages().map((m) => m.id)).toEqual(["slow", "d2", "d3"]);
  });

  it("keeps every message in flight even past the cap", async () => {
    for (const id of ["f1", "f2", "f3", "f4", "f5"]) await send("79991234567", id);
    expect(sim.inspector.messages()).toHaveLength(5);
    expect(sim.inspector.counters().messagesEvicted).toBe(0);
    // Once they are final, the next message brings the store back to the cap.
    sim.inspector.advance(5000);
    await send("79991234567", "f6");
    expect(sim.inspector.messages().map((m) => m.id)).toEqual(["f4", "f5", "f6"]);
    expect(sim.inspector.counters().messagesEvicted).toBe(3);
  });

  it("refuses a cap that is not a positive integer", async () => {
    await expect(startTestSimulator({ maxMessages: 0 })).rejects.toThrow(SimulatorConfigError);
  });
});

describe("MessageStore", () => {
  function message(id: string, status: number): SimMessage {
    return {
      login: "demo",
      id,
      phone: "79991234567",
      mes: "x",
      sender: "",
      kind: "sms",
      type: 0,
      parts: 1,
      cost: 0,
      refused: false,
      createdAt: 0,
      sendAt: 0,
      expiresAt: 0,
      status,
      err: 0,
      lastChangeAt: 0,
      operator: "",
      region: "",
      history: [],
    };
  }

  it("stays at its cap over a long run and keeps the newest messages findable", () => {
    const evicted: string[] = [];
    const store = new MessageStore({
      maxMessages: 10,
      isFinal: (s) => s === 1,
      onEvict: (m) => evicted.push(m.id),
    });
    for (let i = 0; i < 5000; i++) store.add(message(String(i), 1));
    expect(store.size).toBe(10);
    expect(store.all().map((m) => m.id)).toEqual(Array.from({ length: 10 }, (_, i) => String(4990 + i)));
    expect(evicted).toHaveLength(4990);
    expect(evicted.slice(0, 3)).toEqual(["0", "1", "2"]);
    expect(store.find("demo", "4999", "79991234567")?.id).toBe("4999");
    expect(store.findAny("4995", "+79991234567")?.id).toBe("4995");
    expect(store.find("demo", "4989", "79991234567")).toBeUndefined();
  });

  it("defaults to a cap of 100,000", () => {
    let evictions = 0;
    const store = new MessageStore({ isFinal: () => true, onEvict: () => evictions++ });
    for (let i = 0; i < 100_001; i++) store.add(message(String(i), 1));
    expect(store.size).toBe(100_000);
    expect(evictions).toBe(1);
  });
});
