/**
 * smtp-relay benchmark: mails per second accepted with a durable outbox commit (the
 * relay answers 250 only after the row is committed), over many concurrent connections
 * from nodemailer's pooled SMTP transport (in a child process), on loopback.
 *
 *   cd bench && pnpm exec tsx smtp-relay/run.ts [mails] [connections] [rounds]
 *
 * Anchor: Mailpit's README claims 200–300 mails/s over SMTP. Mailpit is a Go program and
 * cannot be built here (no Go module proxy), so its claim is quoted, and a bare
 * smtp-server sink that only drains DATA is measured on this machine as a second
 * reference. Targets are measured in interleaved rounds (sink, SQLite, PostgreSQL, sink,
 * …) so that load from other processes hits all of them alike; the median and the best
 * round are reported, and the ratios use the medians.
 * The outbox worker is not started: this measures acceptance, not SMSC.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSmscClient } from "@smsc-kit/core";
import { createOutbox, openPgStore, openSqliteStore } from "@smsc-kit/outbox";
import { startRelay } from "@smsc-kit/smtp-relay";
import pg from "pg";
import type { LoadRequest, LoadResult } from "./load-client.js";
import { startSink } from "./sink.js";

const MAILS = Number(process.argv[2] ?? 2000);
const CONNECTIONS = Number(process.argv[3] ?? 50);
const ROUNDS = Number(process.argv[4] ?? 5);
const WARMUP = 200;
const MAILPIT_CLAIM = { low: 200, high: 300 };
const AUTH = { user: "bench", pass: "bench-pass" };
const PG_SCHEMA = "bench_smtp_relay";

const BODY =
  "Disk /var on db-1 is 95% full. Free space: 2.1 GB. Disk usage grows 1 GB/h; please check the backup job.\n";

interface Target {
  name: string;
  port: number;
  commits?: { transactions: number; rows: number };
  rates: number[];
}

function blast(port: number, count: number, offset: number): Promise<LoadResult> {
  const child = fork(fileURLToPath(new URL("./load-client.ts", import.meta.url)));
  return new Promise((resolve, reject) => {
    child.once("message", (result) => resolve(result as LoadResult));
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`load client exited with ${code}`));
    });
    const request: LoadRequest = { port, count, offset, connections: CONNECTIONS, ...AUTH, body: BODY };
    child.send(request);
  });
}

async function measure(target: Target, offset: number): Promise<void> {
  const { seconds, accepted, firstReply } = await blast(target.port, MAILS, offset);
  if (accepted !== MAILS)
    throw new Error(`${target.name}: only ${accepted}/${MAILS} accepted; first: ${firstReply}`);
  const rate = MAILS / seconds;
  target.rates.push(rate);
  console.log(
    `  ${target.name.padEnd(34)} ${MAILS} mails in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} mails/s`,
  );
}

async function relayOver(store: Parameters<typeof createOutbox>[0]["store"]) {
  // Never called: the worker is not started, but the outbox needs a client to exist.
  const client = createSmscClient(
    { login: "bench", psw: "bench" },
    { baseUrl: "http://127.0.0.1:9", fallbackUrls: [] },
  );
  const outbox = createOutbox({ store, client });
  const commits = { transactions: 0, rows: 0 };
  const relay = await startRelay({
    port: 0,
    users: { [AUTH.user]: { password: AUTH.pass } },
    domains: ["sms.example.com"],
    // Counts the relay's group commits: how many mails shared one transaction.
    outbox: {
      enqueue(messages) {
        commits.transactions += 1;
        commits.rows += messages.length;
        return outbox.enqueue(messages);
      },
    },
    // The bench's 50 pooled connections all come from 127.0.0.1, one client address: the per-address cap
    // (default 16, there to stop one host hogging the slots) is raised to the pool, as the sink has no cap.
    limits: { maxClients: CONNECTIONS * 2, maxClientsPerAddress: CONNECTIONS },
  });
  return {
    relay,
    commits,
    async close() {
      await relay.close();
      await outbox.stop();
      await store.close();
      await client.close();
    },
  };
}

async function main() {
  console.log(
    `smtp-relay bench: ${ROUNDS} rounds of ${MAILS} mails per target (after ${WARMUP} warm-up), ` +
      `${CONNECTIONS} pooled nodemailer connections from a child process`,
  );
  const sink = await startSink();

  const dir = mkdtempSync(join(tmpdir(), "relay-bench-"));
  const sqliteStore = openSqliteStore({ filename: join(dir, "outbox.db") });
  const sqlite = await relayOver(sqliteStore);
  const sqliteSync = sqliteStore.db.pragma("synchronous", { simple: true });
  const sqliteJournal = sqliteStore.db.pragma("journal_mode", { simple: true });

  const pool = new pg.Pool({ host: "127.0.0.1", port: 5432, user: "postgres", database: "test", max: 20 });
  await pool.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
  const pgRelay = await relayOver(openPgStore({ pool, schema: PG_SCHEMA }));
  const pgSettings = await pool.query<{ name: string; setting: string }>(
    "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')",
  );
  console.log(
    `durability: SQLite journal_mode=${sqliteJournal} synchronous=${sqliteSync} (2 = FULL); PostgreSQL ` +
      pgSettings.rows.map((row) => `${row.name}=${row.setting}`).join(" "),
  );

  const targets: Target[] = [
    { name: "bare smtp-server sink (reference)", port: sink.port, rates: [] },
    { name: "relay + SQLite outbox", port: sqlite.relay.port, commits: sqlite.commits, rates: [] },
    { name: "relay + PostgreSQL outbox", port: pgRelay.relay.port, commits: pgRelay.commits, rates: [] },
  ];
  for (const target of targets) await blast(target.port, WARMUP, 0);
  for (let round = 0; round < ROUNDS; round++) {
    console.log(`round ${round + 1}`);
    for (const target of targets) await measure(target, WARMUP + round * MAILS);
  }

  await sink.close();
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });
  await pgRelay.close();
  await pool.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
  await pool.end();

  console.log("");
  const best = (target: Target) => Math.max(...target.rates);
  const median = (target: Target) => {
    const sorted = [...target.rates].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const [sinkTarget, ...relays] = targets as [Target, ...Target[]];
  console.log(`median (best) of ${ROUNDS} rounds:`);
  const figure = (target: Target) =>
    `${target.name.padEnd(34)} ${median(target).toFixed(0)} (${best(target).toFixed(0)}) mails/s`;
  console.log(`  ${figure(sinkTarget)}`);
  for (const target of relays) {
    const rate = median(target);
    const commits = target.commits!;
    console.log(
      `  ${figure(target)}; ` +
        `${(rate / MAILPIT_CLAIM.high).toFixed(1)}–${(rate / MAILPIT_CLAIM.low).toFixed(1)}× Mailpit's claim, ` +
        `${(rate / median(sinkTarget)).toFixed(2)}× the bare sink, target 1000/s ${rate >= 1000 ? "met" : "NOT met"}; ` +
        `${(commits.rows / commits.transactions).toFixed(1)} rows per commit`,
    );
  }
  console.log(
    `anchor: Mailpit README claims ${MAILPIT_CLAIM.low}–${MAILPIT_CLAIM.high} mails/s (not runnable here: no Go module proxy)`,
  );
}

await main();
