/**
 * The enqueue side of each system, in the benchmark's own process: a fresh schema, then batches enqueued
 * one transaction each (the way a service hands over a campaign), each message stamped with the moment its
 * batch committed. Workers run in their own processes (worker.ts).
 */
import { createSmscClient } from "@smsc-kit/core";
import { createOutbox, openPgStore } from "@smsc-kit/outbox";
import { Logger, makeWorkerUtils } from "graphile-worker";
import pg from "pg";
import PgBoss from "pg-boss";
import type { Job } from "./workload.js";

export interface Queue {
  /** Enqueues one batch in one transaction. */
  enqueue(batch: readonly Job[]): Promise<void>;
  /** Drops the schema and closes connections. */
  close(): Promise<void>;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const db = new pg.Pool({ connectionString: url, max: 1 });
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await db.end();
}

export async function openQueue(system: string, url: string, schema: string): Promise<Queue> {
  await dropSchema(url, schema);
  if (system === "outbox") {
    const db = new pg.Pool({ connectionString: url, max: 2 });
    // The enqueuing side never sends; its client is never called.
    const client = createSmscClient({ login: "demo", psw: "demo" }, { baseUrl: "http://127.0.0.1:1" });
    const outbox = createOutbox({ store: openPgStore({ pool: db, schema }), client });
    await outbox.store.migrate();
    return {
      enqueue: async (batch) => {
        await outbox.enqueue(batch.map((job) => ({ ...job })));
      },
      close: async () => {
        await client.close();
        await db.end();
        await dropSchema(url, schema);
      },
    };
  }
  if (system === "pg-boss") {
    const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false });
    boss.on("error", () => {});
    await boss.start();
    await boss.createQueue("sms");
    return {
      enqueue: async (batch) => {
        await boss.insert(batch.map((data) => ({ name: "sms", data })));
      },
      close: async () => {
        await boss.stop({ graceful: false, wait: true });
        await dropSchema(url, schema);
      },
    };
  }
  const utils = await makeWorkerUtils({ connectionString: url, schema, logger: new Logger(() => () => {}) });
  await utils.migrate();
  const db = new pg.Pool({ connectionString: url, max: 1 });
  return {
    // graphile-worker's add_jobs SQL function (0.16 has no bulk addJob in JavaScript): one statement per batch.
    enqueue: async (batch) => {
      await db.query(
        `SELECT count(*) FROM "${schema}".add_jobs(ARRAY(
           SELECT ROW('sms', j, NULL, NULL, NULL, NULL, NULL, NULL)::"${schema}".job_spec
           FROM json_array_elements($1::json) j))`,
        [JSON.stringify(batch)],
      );
    },
    close: async () => {
      await db.end();
      await utils.release();
      await dropSchema(url, schema);
    },
  };
}
