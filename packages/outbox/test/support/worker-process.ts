/**
 * One outbox worker as its own OS process, for the multi-process and crash tests. Reports every row it marks
 * sent on stdout ("sent <rowId>") so the test can see which process did the work.
 */
import { createSmscClient } from "@smsc-kit/core";
import pg from "pg";
import {
  createOutbox,
  type OutboxOptions,
  type OutboxStore,
  openPgStore,
  openSqliteStore,
} from "../../src/index.js";

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`worker-process needs ${name}`);
  return v;
};

// PostgreSQL by default; STORE=sqlite puts the outbox on the SQLite file SQLITE_FILE (processes on one host).
const onSqlite = process.env.STORE === "sqlite";
const pool = new pg.Pool({ connectionString: env("PG_URL"), max: 4, application_name: env("APP_NAME") });
pool.on("error", () => {});
const store: OutboxStore = onSqlite
  ? openSqliteStore({ filename: env("SQLITE_FILE") })
  : openPgStore({ pool, schema: env("SCHEMA") });
// Unset: the outbox's default cap per process (the whole per-login limit), shared with the other processes.
const maxRequests = process.env.MAX_REQUESTS;
const client = createSmscClient(
  { login: "demo", psw: "demo" },
  {
    baseUrl: env("SIM_ORIGIN"),
    fallbackUrls: [],
    timeoutMs: Number(env("CLIENT_TIMEOUT_MS")),
    retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 },
  },
);
/** COALESCE: "false" sends every row alone, a number caps the rows per request; unset keeps the default. */
function coalesceOption(value: string | undefined): Partial<OutboxOptions> {
  if (value === undefined) return {};
  if (value === "false") return { coalesce: false };
  return { coalesce: { maxRecipients: Number(value), maxListLines: Number(value) } };
}

const outbox = createOutbox({
  store,
  client,
  pollIntervalMs: 20,
  leaseMs: Number(env("LEASE_MS")),
  reconcileDelayMs: 50,
  duplicateWindowMs: 100,
  ...(process.env.BUDGET_LEASE_MS ? { budgetLeaseMs: Number(process.env.BUDGET_LEASE_MS) } : {}),
  ...(process.env.PROBE_INTERVAL_MS ? { probeIntervalMs: Number(process.env.PROBE_INTERVAL_MS) } : {}),
  backoff: { baseDelayMs: 20, maxDelayMs: 200 },
  ...coalesceOption(process.env.COALESCE),
  ...(maxRequests === "default" ? {} : { maxConcurrentRequests: Number(maxRequests ?? env("CONCURRENCY")) }),
});
outbox.on("sent", (e) => process.stdout.write(`sent ${e.rowId}${e.reconciled ? " reconciled" : ""}\n`));
outbox.on("paused", (e) => process.stdout.write(`paused ${e.reason}\n`));
outbox.on("resumed", () => process.stdout.write("resumed\n"));
outbox.start({ concurrency: Number(env("CONCURRENCY")) });
process.stdout.write("ready\n");

process.on("SIGTERM", () => {
  void outbox
    .stop({ timeoutMs: 5_000 })
    .then(() => Promise.all([client.close(), pool.end(), store.close()]))
    .finally(() => process.exit(0));
});
