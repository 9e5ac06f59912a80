import { createHash } from "node:crypto";
import type { Client } from "soap";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RunningSimulator, SimulatorOptions } from "../src/index.js";
import { call, DEMO, soapClient, startCallbackReceiver, startTestSimulator } from "./helpers.js";

const SECRET = "cb-secret-42";

function expectedSignatures(fields: Record<string, string>): { md5: string; sha1: string } {
  const base = `${fields["id"]}:${fields["phone"]}:${fields["status"]}:${SECRET}`;
  return {
    md5: createHash("md5").update(base).digest("hex"),
    sha1: createHash("sha1").update(base).digest("hex"),
  };
}

/** Callbacks travel over real HTTP; a loaded machine can take a while. */
const WAIT = { timeout: 10_000, interval: 20 };

describe("delivery callbacks", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function setup(planned: number[], callbacks: SimulatorOptions["callbacks"] = {}) {
    const receiver = await startCallbackReceiver(planned);
    const sim: RunningSimulator = await startTestSimulator({
      accounts: [{ login: "demo", psw: "demo", callback: { url: receiver.url, secret: SECRET } }],
      rules: { lifecycle: { handoffMs: 1000, deliveryMs: 1000 } },
      callbacks: { retryDelaysMs: [20], ...callbacks },
    });
    cleanups.push(
      () => receiver.close(),
      () => sim.close(),
    );
    const client: Client = await soapClient(sim);
    return { receiver, sim, client };
  }

  it("POSTs id, phone, status, err, cost, sender_id, ts with md5/sha1 of id:phone:status:secret", async () => {
    const { receiver, sim, client } = await setup([]);
    await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "hi", id: "cb1", sender: "ivan" });
    // One step at a time, so the two callbacks leave (and arrive) in order.
    sim.inspector.advance(1000);
    await vi.waitFor(
      () => expect(sim.inspector.callbacks().filter((a) => a.delivered)).toHaveLength(1),
      WAIT,
    );
    sim.inspector.advance(1000);
    await vi.waitFor(
      () => expect(sim.inspector.callbacks().filter((a) => a.delivered)).toHaveLength(2),
      WAIT,
    );
    const [handed, delivered] = receiver.received.map((r) => r.fields);
    expect(receiver.received[0]?.contentType).toBe("application/x-www-form-urlencoded");
    expect(handed).toMatchObject({
      id: "cb1",
      phone: "79991234567",
      status: "0",
      err: "0",
      cost: "1.50",
      sender_id: "ivan",
    });
    expect(delivered).toMatchObject({ id: "cb1", status: "1", err: "0" });
    expect(delivered?.["ts"]).toBe(String(Math.floor(sim.inspector.now().getTime() / 1000)));
    for (const fields of [handed!, delivered!]) {
      expect(fields).toMatchObject(expectedSignatures(fields));
      expect(JSON.stringify(fields)).not.toContain(SECRET);
    }
    const log = sim.inspector.callbacks();
    expect(log.map((a) => a.fields["sha1"])).toEqual([handed?.["sha1"], delivered?.["sha1"]]);
    expect(JSON.stringify(log)).not.toContain(SECRET);
  });

  it("retries until the receiver answers 200", async () => {
    const { receiver, sim, client } = await setup([500, 503, 404], { statuses: "final" });
    await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "hi", id: "cb2" });
    sim.inspector.advance(2000);
    // The simulator logs an attempt once the answer is back, so wait on its log, not on the receiver.
    await vi.waitFor(
      () => expect(sim.inspector.callbacks().filter((a) => a.delivered)).toHaveLength(1),
      WAIT,
    );
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received.map((r) => r.fields["status"])).toEqual(["1", "1", "1", "1"]);
    const attempts = sim.inspector.callbacks();
    expect(attempts.map((a) => [a.attempt, a.httpStatus, a.delivered])).toEqual([
      [1, 500, false],
      [2, 503, false],
      [3, 404, false],
      [4, 200, true],
    ]);
    expect(sim.inspector.pendingCallbacks()).toBe(0);
  });

  it("retries when the receiver is unreachable, up to maxAttempts", async () => {
    const sim = await startTestSimulator({
      accounts: [
        { login: "demo", psw: "demo", callback: { url: "http://127.0.0.1:9/nothing", secret: SECRET } },
      ],
      rules: { lifecycle: { handoffMs: 0, deliveryMs: 0 } },
      callbacks: { retryDelaysMs: [5], maxAttempts: 3, statuses: "final" },
    });
    cleanups.push(() => sim.close());
    const client = await soapClient(sim);
    await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "hi", id: "cb3" });
    sim.inspector.advance(0);
    await vi.waitFor(() => expect(sim.inspector.callbacks()).toHaveLength(3), WAIT);
    expect(sim.inspector.callbacks().every((a) => !a.delivered && a.error !== undefined)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.inspector.callbacks()).toHaveLength(3);
  });

  it("can duplicate every callback", async () => {
    const { receiver, sim, client } = await setup([], { duplicate: true, statuses: "final" });
    await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "hi", id: "cb4" });
    sim.inspector.advance(2000);
    await vi.waitFor(
      () => expect(sim.inspector.callbacks().filter((a) => a.delivered)).toHaveLength(2),
      WAIT,
    );
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]?.fields).toEqual(receiver.received[1]?.fields);
    expect(sim.inspector.callbacks().map((a) => a.duplicate)).toEqual([false, true]);
  });

  it("can reorder: the final status arrives before the intermediate one", async () => {
    const { receiver, sim, client } = await setup([], { reorder: true });
    await call(client, "send_sms", { ...DEMO, phones: "79991234567", mes: "hi", id: "cb5" });
    sim.inspector.advance(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.received).toHaveLength(0);
    sim.inspector.advance(1000);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2), WAIT);
    expect(receiver.received.map((r) => r.fields["status"])).toEqual(["1", "0"]);
  });
});
