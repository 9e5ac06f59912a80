import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { call, DEMO, soapClient, startTestSimulator } from "./helpers.js";

const WAIT = { timeout: 10_000, interval: 20 };

/** A status handler that holds every request open until released, counting how many it holds at once. */
async function startHoldingReceiver() {
  const held: ServerResponse[] = [];
  let open = 0;
  let maxOpen = 0;
  let answered = 0;
  let releasing = false;
  const answer = (res: ServerResponse) => {
    open--;
    answered++;
    res.end("ok");
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      if (releasing) answer(res);
      else held.push(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cb`,
    open: () => open,
    maxOpen: () => maxOpen,
    answered: () => answered,
    release() {
      releasing = true;
      for (const res of held.splice(0)) answer(res);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("callbacks of a big send", () => {
  let sim: RunningSimulator | undefined;
  let receiver: Awaited<ReturnType<typeof startHoldingReceiver>> | undefined;
  afterEach(async () => {
    receiver?.release();
    await sim?.close();
    await receiver?.close();
  });

  it("go out at most maxConcurrent at a time, the rest in turn, every one delivered", async () => {
    receiver = await startHoldingReceiver();
    sim = await startTestSimulator({
      accounts: [{ login: "demo", psw: "demo", balance: 1000, callback: { url: receiver.url } }],
      rules: { lifecycle: { handoffMs: 1000, deliveryMs: 1000 } },
      callbacks: { maxConcurrent: 4, statuses: "final" },
    });
    const phones = Array.from({ length: 30 }, (_, i) => `7999000${String(i).padStart(4, "0")}`);
    const soap = await soapClient(sim);
    expect((await call(soap, "send_sms", { ...DEMO, phones: phones.join(","), mes: "hi" }))["cnt"]).toBe(
      "30",
    );
    sim.inspector.advance(2000); // 30 final statuses at once
    await vi.waitFor(() => expect(receiver!.open()).toBe(4), WAIT);
    // The other 26 wait their turn, counted as outstanding.
    expect(sim.inspector.pendingCallbacks()).toBe(30);
    receiver.release();
    await vi.waitFor(() => expect(receiver!.answered()).toBe(30), WAIT);
    expect(receiver.maxOpen()).toBe(4);
    await vi.waitFor(() => expect(sim!.inspector.pendingCallbacks()).toBe(0), WAIT);
    const delivered = sim.inspector.callbacks().filter((a) => a.delivered);
    expect(new Set(delivered.map((a) => a.phone))).toEqual(new Set(phones));
  });
});
