/**
 * Outbox benchmark, all on loopback:
 *  (a) enqueue rows/s, one batch in one transaction, on SQLite and on PostgreSQL;
 *  (b) dispatch msg/s at zero latency (CPU-bound): our outbox on PostgreSQL and on SQLite, pg-boss 10.4.2
 *      and graphile-worker 0.16.6 each configured for throughput (how, and why, in anchors.ts), and a bare
 *      loop of core's `client.send` (the ceiling of the call path). Every system sends the same messages
 *      through the same core client settings to the same simulator (its own process, rate rules off, no
 *      latency) under the same cap: SMSC's 14 simultaneous requests per login. The systems take turns for
 *      `rounds` rounds, so each meets the same mix of outside load; each one's median round is reported,
 *      with its lowest and highest, so a noisy machine shows as a wide range instead of a lucky figure.
 *
 *   cd bench && pnpm exec tsx outbox/run.ts [enqueueRows] [dispatchMessages] [rounds]
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSmscClient, type SmscClient } from "@smsc-kit/core";
import { createOutbox, type OutboxMessage, openPgStore, openSqliteStore } from "@smsc-kit/outbox";
import pg from "pg";
import { bareLoop, graphileWorker, IN_FLIGHT, pgBoss } from "./anchors.js";
import { dispatchOutbox } from "./dispatch-outbox.js";

const ENQUEUE_ROWS = Number(process.argv[2] ?? 20_000);
const DISPATCH = Number(process.argv[3] ?? 2_000);
const ROUNDS = Number(process.argv[4] ?? 5);
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * The production mix (as bench/production): half one campaign text, half texts of their own, every number
 * distinct, so an outbox that sends many messages per request can do so; the anchors and the bare loop
 * send the same messages one per request, as they would.
 */
function messages(n: number, tag: string): OutboxMessage[] {
  const campaign = Math.floor(n / 2);
  return Array.from({ length: n }, (_, i) => ({
    phones: `7999${String(i).padStart(7, "0")}`,
    mes: i < campaign ? `${tag}: spring sale, 20% off everything until Sunday` : `${tag} code ${i}`,
    meta: { userId: i },
  }));
}

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function startSim(): Promise<{
  child: ChildProcess;
  url: string;
  /** Messages the simulator has accepted so far. */
  count(): Promise<number>;
}> {
  const child = fork(fileURLToPath(new URL("./sim-process.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
  });
  const [msg] = (await once(child, "message")) as [{ url: string }];
  return {
    child,
    url: msg.url,
    async count() {
      child.send({ cmd: "count" });
      const [m] = (await once(child, "message")) as [{ count: number }];
      return m.count;
    },
  };
}

function makeClient(url: string): SmscClient {
  return createSmscClient(
    { login: "demo", psw: "demo" },
    { baseUrl: new URL(url).origin, fallbackUrls: [], connections: IN_FLIGHT },
  );
}

// ---------- (a) enqueue ----------
async function enqueueSqlite(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "bench-outbox-"));
  try {
    const store = openSqliteStore({ filename: join(dir, "bench.db") });
    const outbox = createOutbox({ store, client: makeClient("http://127.0.0.1:1") });
    await store.migrate();
    await outbox.enqueue(messages(5_000, "warm"));
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const batch = messages(ENQUEUE_ROWS, `s${r}`);
      const t0 = performance.now();
      await outbox.enqueue(batch);
      runs.push(perSecond(ENQUEUE_ROWS, performance.now() - t0));
    }
    await store.close();
    return median(runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function enqueuePg(pool: pg.Pool): Promise<number> {
  const schema = `bench_enqueue_${process.pid}`;
  const store = openPgStore({ pool, schema });
  const outbox = createOutbox({ store, client: makeClient("http://127.0.0.1:1") });
  try {
    await store.migrate();
    await outbox.enqueue(messages(5_000, "warm"));
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const batch = messages(ENQUEUE_ROWS, `p${r}`);
      const t0 = performance.now();
      await outbox.enqueue(batch); // one transaction, statements of 5,000 rows
      runs.push(perSecond(ENQUEUE_ROWS, performance.now() - t0));
    }
    return median(runs);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

// ---------- (b) dispatch ----------
/** Warms the simulator's and the client's JIT, so whichever system runs first is not penalised. */
async function warmUp(simUrl: string): Promise<void> {
  const client = makeClient(simUrl);
  await bareLoop(client, messages(3_000, "warm"), "warm");
  await client.close();
}

async function outboxPg(
  pool: pg.Pool,
  client: SmscClient,
  jobs: OutboxMessage[],
  tag: string,
): Promise<number> {
  const schema = `bench_dispatch_${tag}_${process.pid}`;
  try {
    return await dispatchOutbox(openPgStore({ pool, schema }), client, jobs);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function outboxSqlite(client: SmscClient, jobs: OutboxMessage[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "bench-outbox-dispatch-"));
  const store = openSqliteStore({ filename: join(dir, "dispatch.db") });
  try {
    return await dispatchOutbox(store, client, jobs);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type System = {
  name: string;
  run: (client: SmscClient, jobs: OutboxMessage[], tag: string) => Promise<number>;
};

async function dispatch(pool: pg.Pool, sim: Awaited<ReturnType<typeof startSim>>): Promise<void> {
  const systems: System[] = [
    { name: "smsc-kit outbox, PostgreSQL", run: (c, j, t) => outboxPg(pool, c, j, t) },
    { name: "smsc-kit outbox, SQLite", run: (c, j) => outboxSqlite(c, j) },
    { name: "pg-boss 10.4.2 (batchSize 1000, 14-wide pool)", run: (c, j, t) => pgBoss(PG_URL, c, j, t) },
    { name: "graphile-worker 0.16.6 (concurrency 14)", run: (c, j, t) => graphileWorker(PG_URL, c, j, t) },
    { name: "bare client.send loop, 14 in flight", run: (c, j, t) => bareLoop(c, j, t) },
  ];
  const rates = new Map<string, number[]>(systems.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, system] of systems.entries()) {
      const tag = `r${round}s${index}`;
      const client = makeClient(sim.url);
      const before = await sim.count();
      const ms = await system.run(client, messages(DISPATCH, tag), tag);
      await client.close();
      const got = (await sim.count()) - before;
      if (got !== DISPATCH)
        throw new Error(`${system.name}: the simulator got ${got} messages, not ${DISPATCH}`);
      const rate = perSecond(DISPATCH, ms);
      console.log(`  round ${round + 1}  ${system.name.padEnd(48)} ${rate.toLocaleString("en")} msg/s`);
      rates.get(system.name)!.push(rate);
    }
  }
  const typical = new Map(systems.map((s) => [s.name, median(rates.get(s.name)!)]));
  const [oursPg, oursSqlite, boss, graphile, bare] = systems.map((s) => typical.get(s.name)!);
  const bestAnchor = Math.max(boss!, graphile!);
  const anchorName = bestAnchor === boss ? "pg-boss" : "graphile-worker";
  console.log(`\n  median of ${ROUNDS} rounds (lowest–highest), ${DISPATCH} messages each:`);
  for (const s of systems) {
    const all = rates.get(s.name)!;
    const range = `${Math.min(...all).toLocaleString("en")}–${Math.max(...all).toLocaleString("en")}`;
    console.log(`  ${s.name.padEnd(48)} ${typical.get(s.name)!.toLocaleString("en")} msg/s  (${range})`);
  }
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  console.log(
    `\n  ours / best anchor (${anchorName}), PostgreSQL / SQLite   ${ratio(oursPg!, bestAnchor)} / ${ratio(oursSqlite!, bestAnchor)}  (target ≥ 1.5×)`,
  );
  console.log(
    `  ours / bare loop, PostgreSQL / SQLite                    ${ratio(oursPg!, bare!)} / ${ratio(oursSqlite!, bare!)}  (target ≥ 0.8×)`,
  );
  console.log(
    `  ours / pg-boss, ours / graphile-worker (PostgreSQL)      ${ratio(oursPg!, boss!)} / ${ratio(oursPg!, graphile!)}`,
  );
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 8 });
  const sim = await startSim();
  try {
    console.log(
      `outbox benchmark — Node ${process.version}, loopback, PostgreSQL ${PG_URL.replace(/\/\/[^@]*@/, "//")}`,
    );
    console.log(`\n(a) enqueue, ${ENQUEUE_ROWS} rows in one call / one transaction, median of 3`);
    const sq = await enqueueSqlite();
    console.log(`  SQLite (WAL)   ${sq.toLocaleString("en")} rows/s`);
    const pgRate = await enqueuePg(pool);
    console.log(
      `  PostgreSQL     ${pgRate.toLocaleString("en")} rows/s   (target ≥ 50,000: ${pgRate >= 50_000 ? "met" : "NOT met"})`,
    );
    console.log(
      `\n(b) dispatch of ${DISPATCH} messages to the simulator (separate process, zero latency), ${IN_FLIGHT} in flight`,
    );
    await warmUp(sim.url);
    await dispatch(pool, sim);
  } finally {
    sim.child.disconnect();
    await pool.end();
  }
}

await main();
