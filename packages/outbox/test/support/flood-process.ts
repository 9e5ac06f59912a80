/**
 * A process that only admits messages through the shared subscriber-flood rule, for the race test
 * (../flood-workers.test.ts). It answers "ready" once its store is migrated, then takes one command per stdin
 * line — `{"at": <ms>, "batches": <n>, "phones": [...], "first": <rowId>, "startAt": <wall ms>}` — waits for the
 * wall clock to reach `startAt` (so every process starts together), admits `n` batches (each phone twice per
 * batch) at the times at, at+10, at+20, … (the test's clock, not the wall clock), prints every candidate's
 * verdict as `verdict <rowId> <phone> <now> <earliest>`, then `span <wall start> <wall end>` and "done".
 */
import { createInterface } from "node:readline";
import pg from "pg";
import type { FloodCandidate } from "../../src/flood/admission.js";
import { SharedFloodAdmission } from "../../src/flood/shared-admission.js";
import { openPgStore, openSqliteStore } from "../../src/index.js";
import { SUBSCRIBER_FLOOD } from "../../src/protocol.js";

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`flood-process needs ${name}`);
  return v;
};

const onSqlite = process.env.STORE === "sqlite";
const pool = onSqlite ? null : new pg.Pool({ connectionString: env("PG_URL"), max: 2 });
pool?.on("error", () => {});
const store = pool
  ? openPgStore({ pool, schema: env("SCHEMA") })
  : openSqliteStore({ filename: env("SQLITE_FILE") });
await store.migrate();
const flood = new SharedFloodAdmission({
  store,
  login: "demo",
  rule: SUBSCRIBER_FLOOD,
  storeRetryMs: 1_000,
  onStoreError: (err) => process.stderr.write(`store error: ${String(err)}\n`),
});

interface Command {
  at: number;
  batches: number;
  phones: string[];
  first: number;
  startAt: number;
}

process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command;
  let rowId = command.first;
  const out: string[] = [];
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, command.startAt - Date.now())));
  const began = Date.now();
  for (let b = 0; b < command.batches; b++) {
    const now = command.at + b * 10;
    const batch: FloodCandidate[] = [...command.phones, ...command.phones].map((phone) => ({
      rowId: rowId++,
      recipients: [phone],
    }));
    const verdicts = await flood.admit(batch, now);
    for (const candidate of batch)
      out.push(
        `verdict ${candidate.rowId} ${candidate.recipients[0]} ${now} ${verdicts.get(candidate.rowId)}`,
      );
  }
  out.push(`span ${began} ${Date.now()}`);
  process.stdout.write(`${out.join("\n")}\ndone\n`);
}
await store.close();
await pool?.end();
