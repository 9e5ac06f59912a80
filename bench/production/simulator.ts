/**
 * The simulator as its own process, started from its command line as a user would start it for a load
 * test: every request answered after 100–200 ms and the catalog's rate rules on (15 sends in flight per
 * login get error 9, duplicates, flood, polling limits). Read through its HTTP inspector.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { CounterSnapshot } from "@smsc-kit/simulator";
import type { AcceptedRecord } from "./workload.js";

const CLI = fileURLToPath(new URL("./cli.js", import.meta.resolve("@smsc-kit/simulator")));

export const LATENCY = process.env.PRODUCTION_LATENCY ?? "100-200";

export interface SimProcess {
  /** http://127.0.0.1:<port> */
  origin: string;
  counters(): Promise<CounterSnapshot>;
  /** Every recipient the simulator stored (accepted or refused), one record each. */
  records(): Promise<AcceptedRecord[]>;
  close(): Promise<void>;
}

export async function startSimProcess(): Promise<SimProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      CLI,
      "--port=0",
      "--quiet",
      `--latency=${LATENCY}`,
      // Enough money for any run; the rate rules stay on (no --no-rate-limits).
      "--account=demo:demo::1000000000",
      "--max-messages=1000000",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const origin = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const ready = /SMSC simulator ready: (http:\/\/[^/\s]+)\//.exec(out);
      if (ready) resolve(ready[1]!);
    });
    child.once("exit", (code) => reject(new Error(`simulator exited (${code}): ${stderr}`)));
  });
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${origin}/_sim/${path}`);
    if (!res.ok) throw new Error(`GET /_sim/${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    origin,
    counters: () => get<CounterSnapshot>("counters"),
    records: () => get<AcceptedRecord[]>("messages"),
    async close() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
