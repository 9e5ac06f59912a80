/**
 * One worker process of the production benchmark; SYSTEM says which queue it runs. Prints "ready" once it
 * takes work, stops on SIGTERM (in-flight sends finish). Every job goes out through core's client to the
 * simulator process at SIM_ORIGIN; the queues differ only in how they hand jobs to it.
 *
 * - outbox: our outbox with DEFAULT settings (createOutbox({ store, client }), start()): the default cap is
 *   the login's whole limit, which the store's shared budget splits between the processes by itself.
 * - pg-boss: one poller (`work`) taking BATCH jobs per fetch and sending them through a SHARE-wide pool
 *   inside its handler (pg-boss 10 has no per-job concurrency option; see anchors.ts and the README).
 * - graphile-worker: `run({ concurrency: SHARE })`.
 * SHARE is this process's part of SMSC's 14 requests in flight per login (4+4+3+3 over four processes).
 */
import { createSmscClient, type SmscClient } from "@smsc-kit/core";
import { createOutbox, openPgStore } from "@smsc-kit/outbox";
import { Logger, run as runGraphile } from "graphile-worker";
import pg from "pg";
import PgBoss from "pg-boss";
import type { Job } from "./workload.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`worker needs ${name}`);
  return value;
};
const PG_URL = env("PG_URL");
const SCHEMA = env("SCHEMA");
const SIM_ORIGIN = env("SIM_ORIGIN");
const PG_BOSS_BATCH = 100;

/** Sends `items` with at most `width` in flight; `task` settles each on its own. */
async function pool<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

function anchorClient(share: number): SmscClient {
  return createSmscClient(
    { login: "demo", psw: "demo" },
    { baseUrl: SIM_ORIGIN, fallbackUrls: [], connections: share },
  );
}

async function outbox(): Promise<() => Promise<void>> {
  const db = new pg.Pool({ connectionString: PG_URL });
  const client = createSmscClient({ login: "demo", psw: "demo" }, { baseUrl: SIM_ORIGIN, fallbackUrls: [] });
  const box = createOutbox({ store: openPgStore({ pool: db, schema: SCHEMA }), client });
  box.start();
  return async () => {
    await box.stop();
    await client.close();
    await db.end();
  };
}

async function pgBoss(share: number): Promise<() => Promise<void>> {
  const client = anchorClient(share);
  const boss = new PgBoss({ connectionString: PG_URL, schema: SCHEMA });
  boss.on("error", (e) => process.stderr.write(`pg-boss: ${String(e)}\n`));
  await boss.start();
  // pollingIntervalSeconds 0.5 is the shortest pg-boss 10 allows; a batch that takes longer is followed by
  // the next fetch at once.
  await boss.work<Job>("sms", { batchSize: PG_BOSS_BATCH, pollingIntervalSeconds: 0.5 }, async (jobs) => {
    await pool(jobs, share, async (job) => {
      try {
        await client.send(job.data);
      } catch (error) {
        // Fail this job alone (pg-boss retries it by its retry policy); the batch's others complete.
        await boss.fail("sms", job.id, { message: String(error) });
      }
    });
  });
  return async () => {
    await boss.stop({ graceful: true, wait: true });
    await client.close();
  };
}

async function graphile(share: number): Promise<() => Promise<void>> {
  const client = anchorClient(share);
  const runner = await runGraphile({
    connectionString: PG_URL,
    schema: SCHEMA,
    concurrency: share,
    noHandleSignals: true,
    logger: new Logger(() => () => {}),
    taskList: {
      sms: async (payload) => {
        await client.send(payload as Job);
      },
    },
  });
  return async () => {
    await runner.stop();
    await client.close();
  };
}

const system = env("SYSTEM");
const share = Number(process.env.SHARE ?? "0");
const stop =
  system === "outbox" ? await outbox() : system === "pg-boss" ? await pgBoss(share) : await graphile(share);
process.stdout.write("ready\n");
process.once("SIGTERM", () => {
  void stop()
    .catch((e: unknown) => process.stderr.write(`stop: ${String(e)}\n`))
    .finally(() => process.exit(0));
});
