/**
 * smtp-relay benchmark: mails per second accepted with a durable outbox commit (the
 * relay answers 250 only after the row is committed), over many concurrent connections
 * from nodemailer's pooled SMTP transport (in a child process), on loopback.
 *
 *   cd bench && pnpm exec tsx smtp-relay/run.ts [mails] [connections]
 *
 * Anchor: Mailpit's README claims 200–300 mails/s over SMTP. Mailpit is a Go program and
 * cannot be built here (no Go module proxy), so its claim is quoted, and a bare
 * smtp-server sink that only drains DATA is measured on this machine as a second
 * reference. The outbox worker is not started: this measures acceptance, not SMSC.
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

const MAILS = Number(process.argv[2] ?? 3000);
const CONNECTIONS = Number(process.argv[3] ?? 50);
const WARMUP = 200;
const MAILPIT_CLAIM = { low: 200, high: 300 };
const AUTH = { user: "bench", pass: "bench-pass" };

const BODY =
  "Disk /var on db-1 is 95% full. Free space: 2.1 GB. Disk usage grows 1 GB/h; please check the backup job.\n";

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

async function measure(name: string, port: number): Promise<number> {
  await blast(port, WARMUP, 0);
  const { seconds, accepted, firstReply } = await blast(port, MAILS, WARMUP);
  if (accepted !== MAILS)
    throw new Error(`${name}: only ${accepted}/${MAILS} accepted; first: ${firstReply}`);
  const rate = MAILS / seconds;
  console.log(`${name.padEnd(34)} ${MAILS} mails in ${seconds.toFixed(2)} s = ${rate.toFixed(0)} mails/s`);
  return rate;
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
    limits: { maxClients: CONNECTIONS * 2 },
  });
  return { relay, outbox, client, commits };
}

function commitLine(commits: { transactions: number; rows: number }): string {
  const perCommit = (commits.rows / commits.transactions).toFixed(1);
  return `  (${commits.rows} rows in ${commits.transactions} transactions, ${perCommit} rows per commit)`;
}

async function main() {
  console.log(
    `smtp-relay bench: ${MAILS} mails (+${WARMUP} warm-up), ${CONNECTIONS} pooled nodemailer connections`,
  );
  const sink = await startSink();
  const sinkRate = await measure("bare smtp-server sink (reference)", sink.port);
  await sink.close();

  const dir = mkdtempSync(join(tmpdir(), "relay-bench-"));
  const sqlite = await relayOver(await openSqliteStore({ filename: join(dir, "outbox.db") }));
  const sqliteRate = await measure("relay + SQLite outbox", sqlite.relay.port);
  console.log(commitLine(sqlite.commits));
  await sqlite.relay.close();
  await sqlite.outbox.stop();
  await sqlite.client.close();
  rmSync(dir, { recursive: true, force: true });

  const pool = new pg.Pool({ host: "127.0.0.1", port: 5432, user: "postgres", database: "test", max: 20 });
  await pool.query("DROP SCHEMA IF EXISTS bench_smtp_relay CASCADE");
  const pgStack = await relayOver(await openPgStore({ pool, schema: "bench_smtp_relay" }));
  const pgRate = await measure("relay + PostgreSQL outbox", pgStack.relay.port);
  console.log(commitLine(pgStack.commits));
  await pgStack.relay.close();
  await pgStack.outbox.stop();
  await pgStack.client.close();
  await pool.query("DROP SCHEMA IF EXISTS bench_smtp_relay CASCADE");
  await pool.end();

  console.log("");
  console.log(
    `anchor: Mailpit README claims ${MAILPIT_CLAIM.low}–${MAILPIT_CLAIM.high} mails/s (not runnable here: no Go module proxy)`,
  );
  for (const [name, rate] of [
    ["SQLite", sqliteRate],
    ["PostgreSQL", pgRate],
  ] as const) {
    console.log(
      `relay + ${name}: ${(rate / MAILPIT_CLAIM.high).toFixed(1)}–${(rate / MAILPIT_CLAIM.low).toFixed(1)}× Mailpit's claim, ` +
        `${(rate / sinkRate).toFixed(2)}× the bare sink, target 1000/s ${rate >= 1000 ? "met" : "NOT met"}`,
    );
  }
}

await main();
