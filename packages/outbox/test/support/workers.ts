import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PG_URL } from "./pg.js";

const WORKER = fileURLToPath(new URL("./worker-process.ts", import.meta.url));

export interface WorkerProc {
  child: ChildProcess;
  sent: number[];
  /** Rows this process found already sent by get_status (an earlier attempt's answer was lost). */
  reconciled: number[];
  /** When this process reported "paused" and "resumed" events (the test process's clock). */
  paused: number[];
  resumed: number[];
  exited: Promise<number | null>;
  stderr: () => string;
}

export function spawnWorker(env: {
  schema: string;
  simOrigin: string;
  appName: string;
  concurrency: number;
  leaseMs: number;
  clientTimeoutMs: number;
  /** "default": the outbox's default per-process cap; otherwise `concurrency` is also the cap. */
  maxRequests?: "default";
  /** Lease of the shared budget's slots (the outbox's budgetLeaseMs). */
  budgetLeaseMs?: number;
  /** Interval of balance probes while paused (the outbox's probeIntervalMs). */
  probeIntervalMs?: number;
  /** Put the worker on this SQLite file instead of the PostgreSQL schema. */
  sqliteFile?: string;
  /**
   * false: every row in a request of its own (the outbox's `coalesce: false`); a number: at most that many rows
   * per request (maxRecipients and maxListLines); default: coalescing on with the catalog's limits.
   */
  coalesce?: false | number;
}): Promise<WorkerProc> {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER], {
    env: {
      ...process.env,
      PG_URL,
      SCHEMA: env.schema,
      SIM_ORIGIN: env.simOrigin,
      APP_NAME: env.appName,
      CONCURRENCY: String(env.concurrency),
      LEASE_MS: String(env.leaseMs),
      CLIENT_TIMEOUT_MS: String(env.clientTimeoutMs),
      ...(env.maxRequests ? { MAX_REQUESTS: env.maxRequests } : {}),
      ...(env.budgetLeaseMs ? { BUDGET_LEASE_MS: String(env.budgetLeaseMs) } : {}),
      ...(env.probeIntervalMs ? { PROBE_INTERVAL_MS: String(env.probeIntervalMs) } : {}),
      ...(env.sqliteFile ? { STORE: "sqlite", SQLITE_FILE: env.sqliteFile } : {}),
      ...(env.coalesce === undefined ? {} : { COALESCE: String(env.coalesce) }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const sent: number[] = [];
  const reconciled: number[] = [];
  const paused: number[] = [];
  const resumed: number[] = [];
  let err = "";
  let buf = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split("\n");
      buf = lines.pop() ?? "";
      for (const line of lines) {
        if (line === "ready")
          resolve({ child, sent, reconciled, paused, resumed, exited, stderr: () => err });
        else if (line.startsWith("paused ")) paused.push(Date.now());
        else if (line === "resumed") resumed.push(Date.now());
        else if (line.startsWith("sent ")) {
          const rowId = Number(line.split(" ")[1]);
          sent.push(rowId);
          if (line.endsWith(" reconciled")) reconciled.push(rowId);
        }
      }
    });
    void exited.then((code) => reject(new Error(`worker exited (${code}) before ready: ${err}`)));
  });
}

export async function stopWorker(w: WorkerProc): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill("SIGTERM");
  await w.exited;
}
