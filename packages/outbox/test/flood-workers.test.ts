import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SUBSCRIBER_FLOOD } from "../src/protocol.js";
import { dropSchema, openTestPool, PG_URL, uniqueSchema } from "./support/pg.js";

const FLOOD_PROCESS = fileURLToPath(new URL("./support/flood-process.ts", import.meta.url));

interface Verdict {
  rowId: number;
  phone: string;
  now: number;
  earliest: number;
}

interface FloodProc {
  child: ChildProcess;
  /** Sends one command and resolves with its verdicts once the process printed "done". */
  run(command: {
    at: number;
    batches: number;
    phones: string[];
    first: number;
    startAt: number;
  }): Promise<{ verdicts: Verdict[]; span: [number, number] }>;
}

let pool: pg.Pool;
const procs: FloodProc[] = [];
let schema: string | undefined;
let dir: string | undefined;

beforeAll(async () => {
  pool = await openTestPool(2);
});
afterAll(async () => {
  await pool.end();
});
afterEach(async () => {
  await Promise.all(
    procs.splice(0).map(async ({ child }) => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin!.end();
      await exited;
    }),
  );
  if (schema) await dropSchema(pool, schema);
  if (dir) rmSync(dir, { recursive: true, force: true });
  schema = undefined;
  dir = undefined;
});

function spawnFloodProcess(env: Record<string, string>): Promise<FloodProc> {
  const child = spawn(process.execPath, ["--import", "tsx", FLOOD_PROCESS], {
    env: { ...process.env, PG_URL, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
  });
  let buf = "";
  let verdicts: Verdict[] = [];
  let span: [number, number] = [0, 0];
  let onDone: ((result: { verdicts: Verdict[]; span: [number, number] }) => void) | null = null;
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`flood process exited (${code}): ${err}`)));
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "ready")
          resolve({
            child,
            run(command) {
              verdicts = [];
              const done = new Promise<{ verdicts: Verdict[]; span: [number, number] }>((r) => {
                onDone = r;
              });
              child.stdin!.write(`${JSON.stringify(command)}\n`);
              return done;
            },
          });
        else if (line === "done") onDone?.({ verdicts, span });
        else if (line.startsWith("span ")) span = [Number(line.split(" ")[1]), Number(line.split(" ")[2])];
        else if (line.startsWith("verdict ")) {
          const [, rowId, phone, now, earliest] = line.split(" ");
          verdicts.push({
            rowId: Number(rowId),
            phone: phone!,
            now: Number(now),
            earliest: Number(earliest),
          });
        }
      }
    });
  });
}

const PHONES = ["79990000001", "79990000002", "79990000003", "79990000004", "79990000005"];

/**
 * Every process admits batches naming every phone twice, at the same moments (offset by a millisecond each), so
 * their statements race on the same rows. Within one run each phone admits exactly the limit, whichever process
 * asks; every refusal waits for the run's end, a spacing after its last admitted message; at that end a new run
 * admits the limit again.
 */
async function raceOnSharedStore(): Promise<void> {
  const { limit, spacingMs } = SUBSCRIBER_FLOOD;
  // Each process alone asks for several times the limit per phone, over long enough for the processes to overlap
  // (SQLite answers a batch in well under a millisecond).
  const batches = 300;
  const phase = async (at: number, first: number) => {
    const startAt = Date.now() + 300;
    return Promise.all(
      procs.map((proc, i) =>
        proc.run({ at: at + i, batches, phones: PHONES, first: first + i * 100_000, startAt }),
      ),
    );
  };

  const check = (results: { verdicts: Verdict[]; span: [number, number] }[]) => {
    const all = results.flatMap((r) => r.verdicts);
    expect(all).toHaveLength(procs.length * batches * PHONES.length * 2);
    const ends: number[] = [];
    for (const phone of PHONES) {
      const mine = all.filter((v) => v.phone === phone);
      const admitted = mine.filter((v) => v.earliest <= v.now);
      expect(admitted, `admitted to ${phone} within one run`).toHaveLength(limit);
      const end = Math.max(...admitted.map((v) => v.now)) + spacingMs;
      for (const refused of mine.filter((v) => v.earliest > v.now)) expect(refused.earliest).toBe(end);
      ends.push(end);
    }
    // The processes were admitting at the same time (their wall-clock spans overlap): the race was real.
    const latestStart = Math.max(...results.map((r) => r.span[0]));
    const earliestEnd = Math.min(...results.map((r) => r.span[1]));
    expect(latestStart, "the processes' spans overlap").toBeLessThan(earliestEnd);
    return Math.max(...ends);
  };

  const t0 = 1_000_000_000;
  const end = check(await phase(t0, 1));
  // At the end of the first runs, new runs start: once more exactly the limit per phone.
  check(await phase(end, 10_000_000));
}

describe("the subscriber-flood rule, shared by every process on the store", () => {
  it("three processes on one PostgreSQL schema admit at most the limit per phone within a run", async () => {
    schema = uniqueSchema("flood");
    for (let i = 0; i < 3; i++) procs.push(await spawnFloodProcess({ SCHEMA: schema }));
    await raceOnSharedStore();
  }, 120_000);

  it("two processes on one SQLite file admit at most the limit per phone within a run", async () => {
    dir = mkdtempSync(join(tmpdir(), "outbox-flood-"));
    const file = join(dir, "outbox.db");
    for (let i = 0; i < 2; i++) procs.push(await spawnFloodProcess({ STORE: "sqlite", SQLITE_FILE: file }));
    await raceOnSharedStore();
  }, 120_000);
});
