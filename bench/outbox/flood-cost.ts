/**
 * Cost of the shared subscriber-flood rule on the worker's hot path: one `store.admitFlood` call per batch of
 * distinct phones (the statement every batch of sends asks before it goes), on PostgreSQL and on SQLite,
 * beside the floor of one PostgreSQL round trip (`SELECT 1`) measured in the same run. Three shapes:
 *  - new phones: every phone of the batch is new (an insert per phone);
 *  - same phones: the batch's phones already have a run (an update per phone);
 *  - 4 at once: four connections admit batches at the same moment, over the same phones (they take turns on the
 *    row locks, in phone order) and over phones of their own (the usual case: a phone's rows are few).
 * Each figure is the median of its batches with the lowest and highest, in ms per batch; then the time of the
 * periodic cleanup deleting every run the batches left.
 *
 *   cd bench && pnpm exec tsx outbox/flood-cost.ts [batchPhones] [batches]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPgStore, openSqliteStore } from "@smsc-kit/outbox";
import pg from "pg";

type OutboxStore = ReturnType<typeof openPgStore> | ReturnType<typeof openSqliteStore>;

const PHONES = Number(process.argv[2] ?? 500);
const BATCHES = Number(process.argv[3] ?? 200);
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** The catalog's rule (subscriber-flood: 50 messages, 2 minutes); the clock stays inside one run. */
const RULE = { limit: 50, spacingMs: 120_000 };

let rowId = 0;
const batchOf = (first: number) =>
  Array.from({ length: PHONES }, (_, i) => ({
    rowId: ++rowId,
    recipients: [`7${String(first + i).padStart(10, "0")}`],
  }));

function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const f = (x: number) => x.toFixed(2);
  return `${f(median)} ms/batch (${f(sorted[0]!)}–${f(sorted.at(-1)!)}), ${((median * 1000) / PHONES).toFixed(1)} µs/phone`;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measure(name: string, stores: OutboxStore[]): Promise<void> {
  let now = 1_000_000;
  const fresh: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const batch = batchOf(b * PHONES);
    fresh.push(await timed(() => stores[0]!.admitFlood("bench", batch, RULE, ++now)));
  }
  // The first 40 batches' phones again and again: each phone's run continues (and fills at 50).
  const same: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const batch = batchOf((b % 40) * PHONES);
    same.push(await timed(() => stores[0]!.admitFlood("bench", batch, RULE, ++now)));
  }
  const racing: number[] = [];
  const apart: number[] = [];
  for (let b = 0; b < BATCHES / stores.length; b++) {
    const batch = batchOf(((b % 40) + 100) * PHONES);
    const at = ++now;
    racing.push(
      ...(await Promise.all(stores.map((store) => timed(() => store.admitFlood("bench", batch, RULE, at))))),
    );
    // The usual case: each process's batch goes to other phones than the others' batches.
    const own = stores.map((_, i) => batchOf((200 + b * stores.length + i) * PHONES));
    apart.push(
      ...(await Promise.all(
        stores.map((store, i) => timed(() => store.admitFlood("bench", own[i]!, RULE, at))),
      )),
    );
  }
  // Every run ends a spacing after the last admission: the periodic cleanup deletes them all.
  let pruned = 0;
  const pruneMs = await timed(async () => {
    pruned = await stores[0]!.pruneFloodRuns(now + RULE.spacingMs);
  });
  console.log(`flood admission ${name}, ${PHONES} phones per batch:`);
  console.log(`  new phones   ${summary(fresh)}`);
  console.log(`  same phones  ${summary(same)}`);
  console.log(`  ${stores.length} at once, same phones   ${summary(racing)}`);
  console.log(`  ${stores.length} at once, other phones  ${summary(apart)}`);
  console.log(`  prune        ${pruned} ended runs in ${pruneMs.toFixed(1)} ms`);
}

const pool = new pg.Pool({ connectionString: PG_URL, max: 8 });
const schema = `flood_bench_${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "flood-bench-"));
try {
  const floor: number[] = [];
  for (let i = 0; i < BATCHES; i++) floor.push(await timed(() => pool.query("SELECT 1")));
  const sorted = floor.sort((a, b) => a - b);
  console.log(
    `PostgreSQL round trip (SELECT 1): ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)} ms median`,
  );
  const pgStores = Array.from({ length: 4 }, () => openPgStore({ pool, schema }));
  await pgStores[0]!.migrate();
  await measure("PostgreSQL", pgStores);
  const file = join(dir, "outbox.db");
  const sqliteStores = Array.from({ length: 4 }, () => openSqliteStore({ filename: file }));
  await sqliteStores[0]!.migrate();
  await measure("SQLite (4 connections in one process take turns)", sqliteStores);
  for (const store of sqliteStores) await store.close();
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
}
