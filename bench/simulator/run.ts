/**
 * SOAP requests/s: the smsc-kit simulator vs a node-soap server built from the same WSDL (the anchor),
 * same load client, same run. Each server runs in its own Node process; the load client (undici,
 * keep-alive, fixed concurrency, the same hand-written envelopes) runs here. Loopback only, ~45 s.
 * Besides requests/s it prints each server's own CPU time per request (process.cpuUsage over IPC),
 * which is steadier than throughput on a machine shared with other work.
 *
 *   cd bench && pnpm exec tsx simulator/run.ts
 *   knobs: BENCH_CONCURRENCY (16), BENCH_MS (3000 per measurement), BENCH_ROUNDS (3), BENCH_OP
 *          (get_balance | send_sms),
 *          BENCH_PROF=1 (write V8 CPU profiles of both servers to /tmp/simprof)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 16);
const WARMUP_MS = 1500;
const MEASURE_MS = Number(process.env["BENCH_MS"] ?? 3000);
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
}

async function startServer(name: string, script: string): Promise<Server> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const flags = process.env["BENCH_PROF"] ? ["--cpu-prof", "--cpu-prof-dir=/tmp/simprof"] : [];
  const child = spawn(process.execPath, [...flags, "--import", "tsx", path], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve(line.trim());
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return { name, url, child };
}

function envelope(namespace: string, element: string, fields: Record<string, string>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<soap:Body><${element} xmlns="${namespace}">${body}</${element}></soap:Body></soap:Envelope>`
  );
}

const OPERATIONS = {
  get_balance: { element: "balance", fields: { login: "bench", psw: "bench" }, expect: "<balance>" },
  send_sms: {
    element: "send",
    fields: { login: "bench", psw: "bench", phones: "79991234567", mes: "Hello world!" },
    expect: "<cnt>1</cnt>",
  },
} as const;

function cpuMicros(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.child.once("message", (usage) => {
      const { user, system } = usage as NodeJS.CpuUsage;
      resolve(user + system);
    });
    server.child.send("cpu");
  });
}

interface Measurement {
  perSecond: number;
  /** Server CPU time (user + system) per request. */
  cpuMicrosPerRequest: number;
}

async function load(
  server: Server,
  operation: keyof typeof OPERATIONS,
  durationMs: number,
): Promise<Measurement> {
  const op = OPERATIONS[operation];
  const target = new URL(server.url);
  const pool = new Pool(target.origin, { connections: CONCURRENCY, pipelining: 1 });
  const body = envelope(server.url, op.element, op.fields);
  // No SOAPAction: SMSC gives every operation the same one, and node-soap would then route every call to
  // the first operation; without it node-soap routes by the body element, as the simulator always does.
  const headers = { "content-type": "text/xml; charset=utf-8" };
  let done = 0;
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const response = await pool.request({ path: target.pathname, method: "POST", headers, body });
      const text = await response.body.text();
      if (response.statusCode !== 200 || !text.includes(op.expect)) {
        throw new Error(`${server.name} ${operation}: HTTP ${response.statusCode} ${text.slice(0, 300)}`);
      }
      done++;
    }
  };
  const cpuBefore = await cpuMicros(server);
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = performance.now() - started;
  const cpuAfter = await cpuMicros(server);
  await pool.close();
  return { perSecond: (done / elapsed) * 1000, cpuMicrosPerRequest: (cpuAfter - cpuBefore) / done };
}

const servers = [
  await startServer("smsc-kit simulator", "./sim-server.ts"),
  await startServer("node-soap server (anchor)", "./node-soap-server.ts"),
];
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

try {
  console.log(
    `SOAP requests/s, ${CONCURRENCY} concurrent keep-alive connections, ${ROUNDS} alternating rounds of ` +
      `${MEASURE_MS} ms per server (median shown)`,
  );
  const only = process.env["BENCH_OP"];
  for (const operation of Object.keys(OPERATIONS) as (keyof typeof OPERATIONS)[]) {
    if (only !== undefined && operation !== only) continue;
    for (const server of servers) await load(server, operation, WARMUP_MS);
    // Rounds alternate between the servers so a change in the machine's load hits both alike.
    const rounds: Measurement[][] = servers.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, server] of servers.entries()) rounds[i]!.push(await load(server, operation, MEASURE_MS));
    }
    const results = rounds.map((list) => ({
      perSecond: median(list.map((m) => m.perSecond)),
      cpuMicrosPerRequest: median(list.map((m) => m.cpuMicrosPerRequest)),
      spread: `${Math.min(...list.map((m) => m.perSecond)).toFixed(0)}–${Math.max(...list.map((m) => m.perSecond)).toFixed(0)}`,
    }));
    for (const [i, server] of servers.entries()) {
      const result = results[i]!;
      console.log(
        `  ${operation.padEnd(12)} ${server.name.padEnd(28)} ${result.perSecond.toFixed(0).padStart(7)} req/s` +
          ` (${result.spread})   server CPU ${result.cpuMicrosPerRequest.toFixed(0).padStart(4)} µs/request`,
      );
    }
    const [ours, anchor] = results as [Measurement, Measurement];
    console.log(
      `  ${operation.padEnd(12)} ratio simulator / node-soap: throughput ${(ours.perSecond / anchor.perSecond).toFixed(2)}x,` +
        ` CPU per request ${(anchor.cpuMicrosPerRequest / ours.cpuMicrosPerRequest).toFixed(2)}x less`,
    );
  }
} finally {
  for (const server of servers) server.child.kill("SIGTERM");
}
