/**
 * Many messages per request, side by side with one message per request: the outbox (PostgreSQL and SQLite)
 * dispatching the same messages with `coalesce` on (the default) and off, to the simulator in its own process,
 * at zero latency and with every answer taking `latencyMs`, 14 requests in flight. Half the messages share one
 * campaign text (phones lists), half are personal (list lines). Each row is a median of `rounds`.
 *
 *   cd bench && pnpm exec tsx outbox/coalesce.ts [messages] [rounds] [latencyMs]
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSmscClient } from "@smsc-kit/core";
import { type createOutbox, type OutboxMessage, openPgStore, openSqliteStore } from "@smsc-kit/outbox";
import pg from "pg";
import { IN_FLIGHT } from "./anchors.js";
import { dispatchOutbox } from "./dispatch-outbox.js";

type OutboxStore = Parameters<typeof createOutbox>[0]["store"];

const MESSAGES = Number(process.argv[2] ?? 5_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const LATENCY_MS = Number(process.argv[4] ?? 150);
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function messages(n: number, round: number): OutboxMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    phones: `79${String(round).padStart(2, "0")}${String(i).padStart(7, "0")}`,
    mes: i % 2 === 0 ? "Campaign: -20% today only" : `Your code ${i}`,
  }));
}

async function startSim(latencyMs: number): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(new URL("./sim-process.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, SIM_LATENCY_MS: String(latencyMs) },
  });
  const [msg] = (await once(child, "message")) as [{ url: string }];
  return { child, url: msg.url };
}

async function run(
  store: OutboxStore,
  url: string,
  coalesce: boolean,
  jobs: OutboxMessage[],
): Promise<number> {
  const client = createSmscClient(
    { login: "demo", psw: "demo" },
    { baseUrl: new URL(url).origin, fallbackUrls: [], connections: IN_FLIGHT, timeoutMs: 30_000 },
  );
  const ms = await dispatchOutbox(store, client, jobs, { coalesce });
  await client.close();
  return Math.round((jobs.length / ms) * 1000);
}

async function onPg(pool: pg.Pool, url: string, coalesce: boolean, jobs: OutboxMessage[]): Promise<number> {
  const schema = `bench_coalesce_${process.pid}`;
  try {
    return await run(openPgStore({ pool, schema }), url, coalesce, jobs);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function onSqlite(url: string, coalesce: boolean, jobs: OutboxMessage[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "bench-coalesce-"));
  const store = openSqliteStore({ filename: join(dir, "coalesce.db") });
  try {
    return await run(store, url, coalesce, jobs);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 10 });
  for (const latencyMs of [0, LATENCY_MS]) {
    const sim = await startSim(latencyMs);
    // One message per request at 150 ms is slow: fewer messages keep the run short, the rate is what counts.
    const alone = latencyMs === 0 ? MESSAGES : Math.min(MESSAGES, 1_000);
    console.log(`\nlatency ${latencyMs} ms, ${IN_FLIGHT} requests in flight`);
    const cases = [
      {
        name: "outbox PostgreSQL, many per request",
        n: MESSAGES,
        go: (j: OutboxMessage[]) => onPg(pool, sim.url, true, j),
      },
      {
        name: "outbox PostgreSQL, one per request",
        n: alone,
        go: (j: OutboxMessage[]) => onPg(pool, sim.url, false, j),
      },
      {
        name: "outbox SQLite, many per request",
        n: MESSAGES,
        go: (j: OutboxMessage[]) => onSqlite(sim.url, true, j),
      },
      {
        name: "outbox SQLite, one per request",
        n: alone,
        go: (j: OutboxMessage[]) => onSqlite(sim.url, false, j),
      },
    ];
    const rates = new Map<string, number[]>(cases.map((c) => [c.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) rates.get(c.name)!.push(await c.go(messages(c.n, round)));
    }
    for (const c of cases) {
      const xs = rates.get(c.name)!;
      console.log(
        `  ${c.name.padEnd(40)} ${median(xs).toLocaleString("en")} msg/s  (${Math.min(...xs)}–${Math.max(...xs)}, ${c.n} messages)`,
      );
    }
    sim.child.disconnect();
  }
  await pool.end();
}

await main();
