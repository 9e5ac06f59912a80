import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateConfig } from "../src/config/load.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";

/**
 * /metrics carries the outbox's own metrics (registerOutboxMetrics): one stats() read per scrape however many
 * gauges it feeds, and a paused gauge whose help says what sets it. SMSC here blocks the IP on the first
 * send, which backs the outbox off without pausing it.
 */

let simulator: RunningSimulator;
let gateway: RunningGateway;

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "metrics", psw: "metrics-Password-7" }],
    faults: [{ match: { operation: ["send_sms", "send_sms2"] }, error: 4 }],
  });
  const dir = await mkdtemp(join(tmpdir(), "smsc-gw-metrics-"));
  const config = validateConfig({
    smsc: { baseUrl: new URL(simulator.url).origin, login: "metrics", psw: "metrics-Password-7" },
    store: { sqlite: join(dir, "gw.sqlite") },
    smtp: { enabled: false },
    http: { port: 0 },
  });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  gateway = await startGateway(config, createLogger({ destination: quiet }));
});

afterAll(async () => {
  await gateway?.close();
  await simulator?.close();
});

const scrape = async () => (await fetch(`${gateway.httpUrl}/metrics`)).text();

describe("gateway /metrics", () => {
  it("reads the outbox's stats once per scrape, not once per gauge", async () => {
    const stats = vi.spyOn(gateway.outbox, "stats");
    try {
      const text = await scrape();
      expect(stats).toHaveBeenCalledTimes(1);
      expect(text).toMatch(/^smsc_outbox_rows\{outbox="default",state="queued"\} 0$/m);
      expect(text).toMatch(/^smsc_outbox_dead_letter_depth\{outbox="default"\} 0$/m);
      expect(text).toMatch(/^smsc_outbox_oldest_due_age_seconds\{outbox="default"\} 0$/m);
      expect(text).toMatch(/^smsc_outbox_in_flight\{outbox="default"\} 0$/m);
      expect(text).toMatch(/^smsc_outbox_paused\{outbox="default"\} 0$/m);
    } finally {
      stats.mockRestore();
    }
  });

  it("an IP block leaves smsc_outbox_paused at 0, and its help text does not claim otherwise", async () => {
    const help = (await scrape()).match(/^# HELP smsc_outbox_paused (.*)$/m)?.[1];
    expect(help).toBeDefined();
    expect(help).not.toMatch(/IP|block/i);
    expect(help).toMatch(/funds/);
    expect(help).toMatch(/credentials/);

    const blocked = new Promise<void>((resolve) => gateway.outbox.once("blocked", () => resolve()));
    await gateway.outbox.enqueue({ phones: "79990004444", mes: "blocked" });
    await blocked;
    const ready = await fetch(`${gateway.httpUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reasons: string[] }).reasons.join("\n")).toMatch(
      /SMSC blocked this IP/,
    );
    // The cache of one stats() per scrape lasts a second: wait for a scrape that sees the block.
    const text = await vi.waitFor(
      async () => {
        const body = await scrape();
        expect(body).toMatch(/^smsc_outbox_rows\{outbox="default",state="queued"\} 1$/m);
        return body;
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(text).toMatch(/^smsc_outbox_paused\{outbox="default"\} 0$/m);
  });
});
