/**
 * Webhook benchmark: callbacks/s accepted AND durably stored, on SQLite and on PostgreSQL, against the
 * floor (a bare node `http` handler answering 200 without storing). Each receiver runs in its own
 * process; the load client (undici Pool, many connections) runs here, on loopback. Scenarios are
 * interleaved over several rounds so that a busy neighbour on this shared machine hurts them alike;
 * the median round is reported, with the best, and ratios are taken on medians.
 *
 *   cd bench && pnpm exec tsx webhook/run.ts [seconds-per-round] [connections] [scenarios] [rounds]
 *   (scenarios: comma list of floor, sqlite, postgres; default all three; default 3 s, 64, 3 rounds)
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { callbackSignature } from "@smsc-kit/core";
import { Pool } from "undici";

const SECONDS = Number(process.argv[2] ?? 3);
const CONNECTIONS = Number(process.argv[3] ?? 64);
const ONLY = new Set((process.argv[4] ?? "floor,sqlite,postgres").split(","));
const ROUNDS = Number(process.argv[5] ?? 3);
const WARMUP_SECONDS = 1;
const SECRET = "bench-secret";
const serverFile = fileURLToPath(new URL("./server.ts", import.meta.url));

const SCENARIOS = [
  { mode: "floor", name: "floor: bare node http, 200 without storing" },
  { mode: "sqlite", name: "webhook + SQLite (WAL, synchronous=FULL)" },
  { mode: "postgres", name: "webhook + PostgreSQL 15 (127.0.0.1)" },
].filter((s) => ONLY.has(s.mode));

interface Stats {
  messages: number;
  events: number;
  incoming: number;
}

interface Round {
  accepted: number;
  failed: number;
  perSecond: number;
  latencies: number[];
}

/** Signed status callbacks, each for a message of its own, prepared before the clock starts. */
function makeBodies(prefix: string, count: number): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}${i}`;
    const phone = `7999${String(i % 10_000_000).padStart(7, "0")}`;
    const status = "1";
    const md5 = callbackSignature({ id, phone, status }, SECRET, { algorithm: "md5" });
    const sha1 = callbackSignature({ id, phone, status }, SECRET, { algorithm: "sha1" });
    bodies.push(
      new URLSearchParams({
        id,
        phone,
        status,
        err: "0",
        cost: "1.50",
        sender_id: "SMSC",
        md5,
        sha1,
      }).toString(),
    );
  }
  return bodies;
}

async function startServer(mode: string): Promise<{ child: ChildProcess; port: number }> {
  // WEBHOOK_BENCH_NODE_ARGS (e.g. "--cpu-prof") goes to the receiver's process, for profiling it.
  const extra = process.env["WEBHOOK_BENCH_NODE_ARGS"]?.split(" ").filter(Boolean) ?? [];
  const child = fork(serverFile, [mode, SECRET], {
    execArgv: ["--import", "tsx", ...extra],
    stdio: "inherit",
  });
  const [message] = (await once(child, "message")) as [{ port: number }];
  return { child, port: message.port };
}

async function ask(child: ChildProcess): Promise<Stats> {
  child.send("stats");
  for (;;) {
    const [message] = (await once(child, "message")) as [{ stats?: Stats }];
    if (message.stats) return message.stats;
  }
}

/** Takes bodies from the end of `bodies`; with `cycle`, reuses them (the floor stores nothing). */
async function load(port: number, bodies: string[], seconds: number, cycle = false): Promise<Round> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  let accepted = 0;
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline && (cycle || bodies.length > 0)) {
      const body = cycle ? bodies[next++ % bodies.length]! : bodies.pop()!;
      const started = performance.now();
      try {
        const response = await pool.request({
          method: "POST",
          path: "/smsc",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body,
        });
        await response.body.text();
        if (response.statusCode === 200) accepted++;
        else failed++;
      } catch {
        failed++;
      }
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { accepted, failed, perSecond: accepted / elapsed, latencies };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const running = await Promise.all(
  SCENARIOS.map(async (scenario) => {
    const server = await startServer(scenario.mode);
    // Distinct callbacks for a generous rate in every round (a round that drains them stops early);
    // the floor stores nothing, so it cycles through a few.
    const count = scenario.mode === "floor" ? 20_000 : 30_000 * SECONDS * ROUNDS + 20_000;
    const bodies = makeBodies(`${scenario.mode}-${Date.now()}-`, count);
    return { ...scenario, ...server, bodies, rounds: [] as Round[], stored: 0 };
  }),
);

try {
  for (const r of running) {
    const warmup = r.mode === "floor" ? r.bodies : r.bodies.splice(0, 20_000);
    await load(r.port, warmup, WARMUP_SECONDS, r.mode === "floor");
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of running) {
      const before = await ask(r.child);
      r.rounds.push(await load(r.port, r.bodies, SECONDS, r.mode === "floor"));
      const after = await ask(r.child);
      r.stored += after.events - before.events;
    }
  }
} finally {
  for (const r of running) {
    r.child.send("close");
    await once(r.child, "exit");
  }
}

const floor = running.find((r) => r.mode === "floor");
const floorMedian = floor ? median(floor.rounds.map((x) => x.perSecond)) : undefined;
console.log(
  `\nwebhook benchmark: ${ROUNDS} interleaved rounds of ${SECONDS}s per scenario after ${WARMUP_SECONDS}s warm-up, ` +
    `${CONNECTIONS} connections, loopback; every callback signed (md5 + sha1) and distinct`,
);
console.log(
  "scenario                                    median/s    best/s   p50 ms   p99 ms   accepted   stored  failed  ratio (median)",
);
for (const r of running) {
  const rates = r.rounds.map((x) => x.perSecond);
  const latencies = r.rounds.flatMap((x) => x.latencies).sort((a, b) => a - b);
  const accepted = r.rounds.reduce((sum, x) => sum + x.accepted, 0);
  const failed = r.rounds.reduce((sum, x) => sum + x.failed, 0);
  const ratio = floorMedian ? (median(rates) / floorMedian).toFixed(2) : "-";
  const stored = r.mode === "floor" ? "-" : String(r.stored);
  console.log(
    r.name.padEnd(44) +
      median(rates).toFixed(0).padStart(8) +
      Math.max(...rates)
        .toFixed(0)
        .padStart(10) +
      percentile(latencies, 0.5).toFixed(2).padStart(9) +
      percentile(latencies, 0.99).toFixed(2).padStart(9) +
      String(accepted).padStart(11) +
      stored.padStart(9) +
      String(failed).padStart(8) +
      ratio.padStart(16),
  );
  if (r.mode !== "floor" && r.stored !== accepted) {
    console.log(`  WARNING: ${accepted} callbacks answered 200 but ${r.stored} stored`);
  }
}
const sqlite = running.find((r) => r.mode === "sqlite");
if (sqlite) {
  const rate = median(sqlite.rounds.map((x) => x.perSecond));
  console.log(
    `\nSQLite target >= 5,000/s (median round): ${rate >= 5000 ? "met" : "NOT met"} (${rate.toFixed(0)}/s)`,
  );
}
