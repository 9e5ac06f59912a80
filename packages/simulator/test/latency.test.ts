import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient, type SmscClient } from "@smsc-kit/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConfigFileError,
  parseLatencySpec,
  parseSimulatorConfig,
  type RunningSimulator,
  runSimulatorCli,
} from "../src/index.js";
import { startTestSimulator } from "./helpers.js";

const quiet = { out: () => {}, err: () => {}, handleSignals: false };

function clientFor(sim: RunningSimulator): SmscClient {
  return createSmscClient(
    { login: "demo", psw: "demo" },
    {
      baseUrl: new URL(sim.url).origin,
      fallbackUrls: [],
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    },
  );
}

/** Round trips of `count` balance calls through core's client, in ms. */
async function roundTrips(client: SmscClient, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await client.balance();
    times.push(performance.now() - started);
  }
  return times;
}

describe("latency profile", () => {
  const running: { sim: RunningSimulator; client: SmscClient }[] = [];
  afterEach(async () => {
    for (const { sim, client } of running.splice(0)) {
      await client.close();
      await sim.close();
    }
  });

  it("parses MIN-MAX and a single number, and names the rule a bad value breaks", () => {
    expect(parseLatencySpec("100-300")).toEqual({ minMs: 100, maxMs: 300 });
    expect(parseLatencySpec("150")).toEqual({ minMs: 150, maxMs: 150 });
    expect(() => parseLatencySpec("300-100")).toThrow(/MIN \(300\) is above MAX \(100\)/);
    expect(() => parseLatencySpec("fast")).toThrow(/MIN-MAX in milliseconds/);
    expect(() => parseLatencySpec("1-9999999")).toThrow(/latency\.maxMs/);
  });

  it("every SOAP request waits within the profile, and setLatency switches it off", async () => {
    const sim = await startTestSimulator({
      latency: { minMs: 60, maxMs: 90 },
      // Twelve balance calls in a row would meet the ten-per-minute balance rule.
      rules: { rateLimits: false },
    });
    const client = clientFor(sim);
    running.push({ sim, client });
    const slow = await roundTrips(client, 6);
    // Timers may fire a little late on a busy machine, never early (1 ms slack for timer rounding).
    expect(Math.min(...slow)).toBeGreaterThanOrEqual(59);
    sim.inspector.setLatency(undefined);
    const fast = await roundTrips(client, 6);
    expect(Math.min(...fast)).toBeLessThan(59);
    expect(() => sim.inspector.setLatency({ minMs: 5, maxMs: 1 })).toThrow(/above MAX/);
  });

  it("--latency on the command line, and latency in the YAML config (the flag wins)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "smsc-sim-latency-"));
    const config = join(dir, "sim.yaml");
    writeFileSync(config, "latency: 1-2\n");
    expect(parseSimulatorConfig("latency: 100-300").latency).toEqual({ minMs: 100, maxMs: 300 });
    expect(parseSimulatorConfig("latency: { minMs: 5, maxMs: 7 }").latency).toEqual({ minMs: 5, maxMs: 7 });
    expect(() => parseSimulatorConfig("latency: 9-3", "sim.yaml")).toThrow(ConfigFileError);
    expect(() => parseSimulatorConfig("latency: 9-3", "sim.yaml")).toThrow(/sim\.yaml: latency: MIN \(9\)/);

    const out: string[] = [];
    const sim = await runSimulatorCli(
      ["node", "smsc-sim", "--port", "0", "--quiet", "--config", config, "--latency", "70-80"],
      { ...quiet, out: (line) => out.push(line) },
    );
    expect(out).toContain("latency: 70-80 ms per request");
    const client = clientFor(sim);
    running.push({ sim, client });
    expect(Math.min(...(await roundTrips(client, 4)))).toBeGreaterThanOrEqual(69);
    await expect(
      runSimulatorCli(["node", "smsc-sim", "--port", "0", "--latency", "80-70"], quiet),
    ).rejects.toThrow(/--latency: MIN \(80\) is above MAX \(70\)/);
  });
});
