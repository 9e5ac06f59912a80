import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { DEMO, envelope, rawPost, startTestSimulator } from "./helpers.js";

interface Tally {
  accepted: number;
  error9: number;
  other: string[];
}

const HAMMER = fileURLToPath(new URL("./fixtures/hammer.ts", import.meta.url));

/** Starts one load process per entry of `inFlight`, releases them together, and collects their tallies. */
async function hammer(sim: RunningSimulator, inFlight: number[], count: number): Promise<Tally[]> {
  const origin = new URL(sim.url).origin;
  const children = inFlight.map((width, index) =>
    spawn(
      process.execPath,
      ["--import", "tsx", HAMMER, origin, String(index), String(count), String(width)],
      {
        stdio: ["pipe", "pipe", "inherit"],
      },
    ),
  );
  running.push(...children);
  const lines = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
  const next = async (reader: AsyncIterator<string>) => {
    const line = await reader.next();
    if (line.done) throw new Error("a load process ended without its report");
    return line.value;
  };
  expect(await Promise.all(lines.map(next))).toEqual(inFlight.map(() => "ready"));
  for (const child of children) child.stdin.write("go\n");
  return (await Promise.all(lines.map(next))).map((line) => JSON.parse(line) as Tally);
}

const running: ChildProcess[] = [];

/**
 * SMSC refuses a 15th simultaneous send "from different connections under one login" (catalog rule
 * send-concurrency): counted per login across every connection of every process.
 */
describe("simultaneous requests per login, from several processes", () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => {
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
    await sim?.close();
  });

  async function start(): Promise<RunningSimulator> {
    sim = await startTestSimulator({
      accounts: [{ login: "demo", psw: "demo", apikey: "demo-key", balance: 1_000_000 }],
      // Long enough that the processes' requests overlap on the server.
      latency: { minMs: 40, maxMs: 60 },
    });
    return sim;
  }

  it("3 processes with 10 in flight each (30 > 14): the login is refused with error 9, and the inspector counts it", async () => {
    const sim = await start();
    // Any two of them at once are already too many, so a slow start of one process cannot hide the rule.
    const tallies = await hammer(sim, [10, 10, 10], 70);
    expect(tallies.flatMap((t) => t.other)).toEqual([]);
    const accepted = tallies.reduce((sum, t) => sum + t.accepted, 0);
    const refused = tallies.reduce((sum, t) => sum + t.error9, 0);
    expect(accepted + refused).toBe(3 * 70);
    expect(refused).toBeGreaterThan(0);
    // Every refusal the clients saw is one the simulator counts for the login, and nothing refused was sent.
    const counters = sim.inspector.counters();
    expect(counters.logins["demo"]).toMatchObject({ refusedConcurrent: refused, error9: refused });
    expect(counters.logins["demo"]?.highestConcurrency["send"]).toBeGreaterThan(14);
    expect(sim.inspector.messages()).toHaveLength(accepted);
    // The same figures over HTTP, for a simulator in another process.
    const overHttp = (await (
      await fetch(`${new URL(sim.url).origin}/_sim/counters`)
    ).json()) as typeof counters;
    expect(overHttp.logins["demo"]).toEqual(counters.logins["demo"]);
  });

  it("2 processes with 7 in flight each (14 in all): no error 9, and the highest concurrency seen spans both processes", async () => {
    const sim = await start();
    const tallies = await hammer(sim, [7, 7], 100);
    expect(tallies).toEqual([
      { accepted: 100, error9: 0, other: [] },
      { accepted: 100, error9: 0, other: [] },
    ]);
    const login = sim.inspector.counters().logins["demo"];
    expect(login).toMatchObject({ refusedConcurrent: 0, error9: 0 });
    // More than one process's 7 at once: the count is per login, not per connection or process.
    expect(login?.highestConcurrency["send"]).toBeGreaterThan(7);
    expect(login?.highestConcurrency["send"]).toBeLessThanOrEqual(14);
  });

  it("login+password and the API key of one account share one count", async () => {
    const sim = await start();
    sim.inspector.setLatency(undefined);
    // Held a second each, so all fifteen are in flight together.
    sim.inspector.setFault({ match: { operation: "send_sms" }, latencyMs: 1000, times: 15 });
    const byLogin = Array.from({ length: 8 }, (_, i) => ({
      ...DEMO,
      phones: `7999100000${i}`,
      mes: `a${i}`,
    }));
    const byKey = Array.from({ length: 7 }, (_, i) => ({
      apikey: "demo-key",
      phones: `7999200000${i}`,
      mes: `b${i}`,
    }));
    const answers = await Promise.all(
      [...byLogin, ...byKey].map((fields) => rawPost(sim, envelope("send", fields))),
    );
    expect(answers.filter((a) => a.text.includes("<error>9</error>"))).toHaveLength(1);
    expect(sim.inspector.counters().logins["demo"]).toMatchObject({
      highestConcurrency: { send: 15 },
      refusedConcurrent: 1,
    });
  });
});
