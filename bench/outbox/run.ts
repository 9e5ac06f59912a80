/**
 * Outbox benchmark, all on loopback:
 *  (a) enqueue rows/s, one batch in one transaction, on SQLite and on PostgreSQL;
 *  (b) dispatch messages/s to the simulator on PostgreSQL: our outbox side by side with pg-boss 10.4.2 and
 *      graphile-worker 0.16.6, whose job handler makes the same call (core's client.send to the simulator).
 * Every system gets the same in-flight limit: SMSC's 14 simultaneous requests per login.
 *
 *   cd bench && pnpm exec tsx outbox/run.ts [enqueueRows] [dispatchMessages]
 */
import { type ChildProcess, fork } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSmscClient, type SmscClient } from "@smsc-kit/core";
import { createOutbox, type OutboxMessage, openPgStore, openSqliteStore } from "@smsc-kit/outbox";
import { Logger, makeWorkerUtils, run as runGraphile } from "graphile-worker";
import pg from "pg";
import PgBoss from "pg-boss";

const ENQUEUE_ROWS = Number(process.argv[2] ?? 20_000);
const DISPATCH = Number(process.argv[3] ?? 2_000);
/** pg-boss sends 14 jobs per 0.5 s poll, so fewer messages keep its run short; rates are per second either way. */
const DISPATCH_BOSS = Math.min(DISPATCH, 300);
const IN_FLIGHT = 14;
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function messages(n: number, tag: string): OutboxMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    phones: `7999${String(i).padStart(7, "0")}`,
    mes: `${tag} code ${i}`,
    meta: { userId: i },
  }));
}

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function startSim(): Promise<{
  child: ChildProcess;
  url: string;
  count(): Promise<{ count: number; ids: number }>;
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
      const [m] = (await once(child, "message")) as [{ count: number; ids: number }];
      return m;
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
  let i = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (i < 3_000) {
        const k = i++;
        await client.send({ phones: `7990${String(k).padStart(7, "0")}`, mes: `warm ${k}`, id: `warm${k}` });
      }
    }),
  );
  await client.close();
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 110_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("benchmark step timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function dispatchOutbox(pool: pg.Pool, simUrl: string): Promise<number> {
  const schema = `bench_dispatch_${process.pid}`;
  const client = makeClient(simUrl);
  const outbox = createOutbox({ store: openPgStore({ pool, schema }), client });
  try {
    await outbox.store.migrate();
    await outbox.enqueue(messages(DISPATCH, "ours"));
    let sent = 0;
    outbox.on("sent", () => {
      sent += 1;
    });
    const t0 = performance.now();
    outbox.start({ concurrency: IN_FLIGHT });
    await waitUntil(async () => sent >= DISPATCH);
    const ms = performance.now() - t0;
    await outbox.stop();
    return perSecond(DISPATCH, ms);
  } finally {
    await client.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function dispatchPgBoss(simUrl: string): Promise<number> {
  const schema = `bench_pgboss_${process.pid}`;
  const client = makeClient(simUrl);
  const boss = new PgBoss({ connectionString: PG_URL, schema, max: 4 });
  boss.on("error", () => {});
  try {
    await boss.start();
    await boss.createQueue("sms");
    await boss.insert(messages(DISPATCH_BOSS, "boss").map((data) => ({ name: "sms", data })));
    let done = 0;
    const t0 = performance.now();
    // One worker fetching as many jobs per poll as our outbox holds ahead (3 × 14) and sending them 14 at a time;
    // 0.5 s is pg-boss's shortest polling interval.
    await boss.work<OutboxMessage>(
      "sms",
      { batchSize: IN_FLIGHT * 3, pollingIntervalSeconds: 0.5 },
      async (jobs) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            while (next < jobs.length) {
              const job = jobs[next++]!;
              await client.send({
                ...job.data,
                meta: undefined,
                id: `b${job.id.replaceAll("-", "").slice(0, 30)}`,
              });
              done += 1;
            }
          }),
        );
      },
    );
    await waitUntil(async () => done >= DISPATCH_BOSS);
    const ms = performance.now() - t0;
    return perSecond(DISPATCH_BOSS, ms);
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await client.close();
    const p = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await p.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await p.end();
  }
}

async function dispatchGraphile(simUrl: string): Promise<number> {
  const schema = `bench_graphile_${process.pid}`;
  const client = makeClient(simUrl);
  const utils = await makeWorkerUtils({
    connectionString: PG_URL,
    schema,
    logger: new Logger(() => () => {}),
  });
  try {
    await utils.migrate();
    const jobs = messages(DISPATCH, "graphile");
    for (let i = 0; i < jobs.length; i += 200) {
      await Promise.all(jobs.slice(i, i + 200).map((payload) => utils.addJob("sms", payload)));
    }
    let done = 0;
    const t0 = performance.now();
    const runner = await runGraphile({
      connectionString: PG_URL,
      schema,
      concurrency: IN_FLIGHT,
      noHandleSignals: true,
      pollInterval: 500,
      // Silent, like ours: logging every completed job to the console would slow it down.
      logger: new Logger(() => () => {}),
      taskList: {
        sms: async (payload, helpers) => {
          const msg = payload as OutboxMessage;
          await client.send({ ...msg, meta: undefined, id: `g${helpers.job.id}` });
          done += 1;
        },
      },
    });
    await waitUntil(async () => done >= DISPATCH);
    const ms = performance.now() - t0;
    await runner.stop();
    return perSecond(DISPATCH, ms);
  } finally {
    await utils.release();
    await client.close();
    const p = new pg.Pool({ connectionString: PG_URL, max: 1 });
    await p.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await p.end();
  }
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
      `\n(b) dispatch of ${DISPATCH} messages to the simulator (separate process), ${IN_FLIGHT} in flight`,
    );
    await warmUp(sim.url);
    const before = await sim.count();
    const ours = await dispatchOutbox(pool, sim.url);
    const afterOurs = await sim.count();
    console.log(
      `  smsc-kit outbox     ${ours.toLocaleString("en")} msg/s  (simulator got ${afterOurs.count - before.count} messages)`,
    );
    const graphile = await dispatchGraphile(sim.url);
    console.log(`  graphile-worker 0.16.6  ${graphile.toLocaleString("en")} msg/s`);
    const boss = await dispatchPgBoss(sim.url);
    console.log(`  pg-boss 10.4.2      ${boss.toLocaleString("en")} msg/s  (${DISPATCH_BOSS} messages)`);
    console.log(`\n  ratio outbox / pg-boss          ${(ours / boss).toFixed(2)}×  (target ≥ 3×)`);
    console.log(`  ratio outbox / graphile-worker  ${(ours / graphile).toFixed(2)}×  (target ≥ 1×)`);
  } finally {
    sim.child.disconnect();
    await pool.end();
  }
}

await main();
