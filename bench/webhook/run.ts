/**
 * Webhook benchmark: callbacks/s accepted AND durably stored, on SQLite and on PostgreSQL, against the
 * floor (a bare node `http` handler answering 200 without storing). The receiver runs in its own
 * process; the load client (undici Pool, many connections) runs here, on loopback.
 *
 *   cd bench && pnpm exec tsx webhook/run.ts [seconds-per-scenario] [connections] [scenarios]
 *   (scenarios: comma list of floor, sqlite, postgres; default all three)
 */
import { type ChildProcess, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = Number(process.argv[3] ?? 64);
const ONLY = new Set((process.argv[4] ?? "floor,sqlite,postgres").split(","));
const WARMUP_SECONDS = 1;
const SECRET = "bench-secret";
const serverFile = fileURLToPath(new URL("./server.ts", import.meta.url));

interface Stats {
  messages: number;
  events: number;
  incoming: number;
}

interface Result {
  name: string;
  mode?: string;
  accepted: number;
  failed: number;
  perSecond: number;
  p50: number;
  p99: number;
  stored?: number;
}

/** Signed status callbacks, each for a message of its own, prepared before the clock starts. */
function makeBodies(prefix: string, count: number): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}${i}`;
    const phone = `7999${String(i % 10_000_000).padStart(7, "0")}`;
    const status = "1";
    const payload = `${id}:${phone}:${status}:${SECRET}`;
    const md5 = createHash("md5").update(payload).digest("hex");
    const sha1 = createHash("sha1").update(payload).digest("hex");
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

async function load(port: number, bodies: string[], seconds: number) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  let next = 0;
  let accepted = 0;
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && next < bodies.length) {
      const body = bodies[next++]!;
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
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return { accepted, failed, perSecond: accepted / elapsed, p50: pct(0.5), p99: pct(0.99) };
}

async function scenario(name: string, mode: string): Promise<Result> {
  const { child, port } = await startServer(mode);
  try {
    // Enough distinct callbacks for a generous rate; if a run ever drains them, it stops early.
    const bodies = makeBodies(`${mode}-${Date.now()}-`, 40_000 * SECONDS + 20_000);
    await load(port, bodies.splice(0, 20_000), WARMUP_SECONDS);
    const before = await ask(child);
    const measured = await load(port, bodies, SECONDS);
    const after = await ask(child);
    return { name, ...measured, ...(mode === "floor" ? {} : { stored: after.events - before.events }) };
  } finally {
    child.send("close");
    await once(child, "exit");
  }
}

const results: Result[] = [];
const SCENARIOS: [string, string][] = [
  ["floor", "floor: bare node http, 200 without storing"],
  ["sqlite", "webhook + SQLite (WAL, synchronous=FULL)"],
  ["postgres", "webhook + PostgreSQL 15 (127.0.0.1)"],
];
for (const [mode, name] of SCENARIOS) {
  if (ONLY.has(mode)) results.push({ ...(await scenario(name, mode)), mode });
}

const floor = results.find((r) => r.mode === "floor")?.perSecond;
console.log(
  `\nwebhook benchmark: ${SECONDS}s per scenario after ${WARMUP_SECONDS}s warm-up, ${CONNECTIONS} connections, loopback`,
);
console.log(
  "scenario                                      callbacks/s   p50 ms   p99 ms   accepted  stored  failed  ratio to floor",
);
for (const r of results) {
  const ratio = floor ? (r.perSecond / floor).toFixed(2) : "-";
  console.log(
    `${r.name.padEnd(46)}${r.perSecond.toFixed(0).padStart(11)}${r.p50.toFixed(2).padStart(9)}${r.p99
      .toFixed(2)
      .padStart(9)}${String(r.accepted).padStart(11)}${String(r.stored ?? "-").padStart(8)}${String(
      r.failed,
    ).padStart(8)}${ratio.padStart(16)}`,
  );
}
const sqlite = results.find((r) => r.mode === "sqlite");
if (sqlite) {
  const verdict = sqlite.perSecond >= 5000 ? "met" : "NOT met";
  console.log(`\nSQLite target >= 5,000/s: ${verdict} (${sqlite.perSecond.toFixed(0)}/s)`);
}
for (const r of results) {
  if (r.stored !== undefined && r.stored !== r.accepted) {
    console.log(`WARNING ${r.name}: ${r.accepted} answered 200 but ${r.stored} stored`);
  }
}
