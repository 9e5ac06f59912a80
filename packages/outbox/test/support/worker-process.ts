/**
 * One outbox worker as its own OS process, for the multi-process and crash tests. Reports every row it marks
 * sent on stdout ("sent <rowId>") so the test can see which process did the work.
 */
import { createSmscClient } from "@smsc-kit/core";
import pg from "pg";
import { createOutbox, openPgStore } from "../../src/index.js";

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`worker-process needs ${name}`);
  return v;
};

const pool = new pg.Pool({ connectionString: env("PG_URL"), max: 4, application_name: env("APP_NAME") });
pool.on("error", () => {});
const client = createSmscClient(
  { login: "demo", psw: "demo" },
  {
    baseUrl: env("SIM_ORIGIN"),
    fallbackUrls: [],
    timeoutMs: Number(env("CLIENT_TIMEOUT_MS")),
    retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
  },
);
const outbox = createOutbox({
  store: openPgStore({ pool, schema: env("SCHEMA") }),
  client,
  pollIntervalMs: 20,
  leaseMs: Number(env("LEASE_MS")),
  reconcileDelayMs: 50,
  duplicateWindowMs: 100,
  backoff: { baseDelayMs: 20, maxDelayMs: 200 },
  maxConcurrentRequests: Number(env("CONCURRENCY")),
});
outbox.on("sent", (e) => process.stdout.write(`sent ${e.rowId}${e.reconciled ? " reconciled" : ""}\n`));
outbox.start({ concurrency: Number(env("CONCURRENCY")) });
process.stdout.write("ready\n");

process.on("SIGTERM", () => {
  void outbox
    .stop({ timeoutMs: 5_000 })
    .then(() => Promise.all([client.close(), pool.end()]))
    .finally(() => process.exit(0));
});
