/**
 * The anchors of the dispatch benchmark, each configured the way its documentation says to run it for
 * throughput, under the same cap of 14 requests in flight (SMSC's limit per login), and each job making
 * the same call as our outbox: core's `client.send` to the same simulator.
 *
 * - pg-boss 10.4.2: one worker (`boss.work`) with `batchSize: 1000`: the handler receives up to 1000 jobs
 *   per fetch and sends them through a 14-wide pool of its own. pg-boss 10 has no per-job concurrency
 *   option (`teamSize` went in v10); `batchSize` is its documented way to take many jobs per poll, and
 *   its worker loop fetches again at once when a batch took longer than the polling interval (0.5 s,
 *   the shortest it allows), so it is bound by the work, not by the poll. The batch completes as a
 *   whole (`boss.complete` of every id), which is pg-boss's own batch semantics.
 * - graphile-worker 0.16.6: `run({ concurrency: 14 })`, its documented knob for parallel jobs in one
 *   process; jobs are announced with LISTEN/NOTIFY, so the 500 ms `pollInterval` only matters when idle.
 * - bare loop: 14 lanes calling `client.send` back to back with no queue at all: the ceiling of the call
 *   path (client + server), which no queue can beat.
 */
import type { SmscClient } from "@smsc-kit/core";
import type { OutboxMessage } from "@smsc-kit/outbox";
import { Logger, makeWorkerUtils, run as runGraphile } from "graphile-worker";
import pg from "pg";
import PgBoss from "pg-boss";

export const IN_FLIGHT = 14;
const PG_BOSS_BATCH = 1000;
const silent = () => new Logger(() => () => {});

/** Waits until `check()` holds, polling every 5 ms (a benchmark, not a test: the figure includes it for everyone). */
export async function waitUntil(check: () => boolean, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("benchmark step timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs `task` over `items` with at most IN_FLIGHT at once. */
export async function pool<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const p = new pg.Pool({ connectionString: url, max: 1 });
  await p.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await p.end();
}

/** ms to send every message with no queue: 14 lanes of `client.send`. */
export async function bareLoop(
  client: SmscClient,
  jobs: readonly OutboxMessage[],
  tag: string,
): Promise<number> {
  const t0 = performance.now();
  let i = 0;
  await pool(jobs, async (job) => {
    await client.send({ ...job, meta: undefined, id: `${tag}${i++}` });
  });
  return performance.now() - t0;
}

/** ms for pg-boss to work off every message (jobs inserted beforehand, outside the timing). */
export async function pgBoss(
  url: string,
  client: SmscClient,
  jobs: readonly OutboxMessage[],
  tag: string,
): Promise<number> {
  const schema = `bench_pgboss_${tag}_${process.pid}`;
  const boss = new PgBoss({ connectionString: url, schema, max: 4 });
  boss.on("error", () => {});
  try {
    await boss.start();
    await boss.createQueue("sms");
    await boss.insert(jobs.map((data) => ({ name: "sms", data })));
    let done = 0;
    const t0 = performance.now();
    await boss.work<OutboxMessage>(
      "sms",
      { batchSize: PG_BOSS_BATCH, pollingIntervalSeconds: 0.5 },
      async (batch) => {
        await pool(batch, async (job) => {
          await client.send({
            ...job.data,
            meta: undefined,
            id: `b${job.id.replaceAll("-", "").slice(0, 30)}`,
          });
          done += 1;
        });
      },
    );
    await waitUntil(() => done >= jobs.length);
    return performance.now() - t0;
  } finally {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    await dropSchema(url, schema);
  }
}

/** ms for graphile-worker to work off every message (jobs added beforehand, outside the timing). */
export async function graphileWorker(
  url: string,
  client: SmscClient,
  jobs: readonly OutboxMessage[],
  tag: string,
): Promise<number> {
  const schema = `bench_graphile_${tag}_${process.pid}`;
  const utils = await makeWorkerUtils({ connectionString: url, schema, logger: silent() });
  try {
    await utils.migrate();
    for (let i = 0; i < jobs.length; i += 200) {
      await Promise.all(jobs.slice(i, i + 200).map((payload) => utils.addJob("sms", payload)));
    }
    let done = 0;
    const t0 = performance.now();
    const runner = await runGraphile({
      connectionString: url,
      schema,
      concurrency: IN_FLIGHT,
      noHandleSignals: true,
      pollInterval: 500,
      // Silent, like ours: logging every completed job to the console would slow it down.
      logger: silent(),
      taskList: {
        sms: async (payload, helpers) => {
          await client.send({ ...(payload as OutboxMessage), meta: undefined, id: `g${helpers.job.id}` });
          done += 1;
        },
      },
    });
    await waitUntil(() => done >= jobs.length);
    const ms = performance.now() - t0;
    await runner.stop();
    return ms;
  } finally {
    await utils.release();
    await dropSchema(url, schema);
  }
}
