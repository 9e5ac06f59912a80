/**
 * The simulator under requests that carry many recipients, as a coalescing outbox sends them: send_sms2
 * with a 500-number `phones` list and with a 300-line `list`, the rate rules ON (duplicate, flood and
 * concurrency rules are checked per request and per recipient), a callback URL on the account (a callback
 * per recipient and status) and the lifecycle running. Prints the simulator's time per request and per
 * recipient (its own process's CPU, over IPC, and the answer's round trip), so a slow per-recipient
 * step shows however the machine is loaded.
 *
 *   cd bench && pnpm exec tsx simulator/big-requests.ts [requests per shape (40)]
 *   BENCH_PROF=1 writes a V8 CPU profile of the simulator to /tmp/simprof
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const REQUESTS = Number(process.argv[2] ?? 40);
const PHONES = 500;
const LINES = 300;

/** A callback receiver that answers 200 at once, counting what it gets. */
async function startCallbackSink(): Promise<{ url: string; received: () => number; close: () => void }> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/cb`, received: () => received, close: () => server.close() };
}

async function startSim(callbackUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const flags = process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/simprof"] : [];
  const child = spawn(
    process.execPath,
    [...flags, "--import", "tsx", fileURLToPath(new URL("./big-sim-server.ts", import.meta.url))],
    { stdio: ["ignore", "pipe", "inherit", "ipc"], env: { ...process.env, CALLBACK_URL: callbackUrl } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0]!.trim());
    });
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { url, child };
}

const cpuMicros = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    child.once("message", (u) => resolve((u as NodeJS.CpuUsage).user + (u as NodeJS.CpuUsage).system));
    child.send("cpu");
  });

function envelope(fields: Record<string, string>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${v.replaceAll("&", "&amp;").replaceAll("<", "&lt;")}</${k}>`)
    .join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">` +
    `<soap:Body><send2 xmlns="x">${body}</send2></soap:Body></soap:Envelope>`
  );
}

/** Request `r` of a shape: fresh numbers each time (the flood rule), its own text (the duplicate rule). */
function phonesRequest(r: number): string {
  const phones = Array.from({ length: PHONES }, (_, i) => `7999${String(r * PHONES + i).padStart(7, "0")}`);
  return envelope({
    login: "bench",
    psw: "bench",
    phones: phones.join(","),
    mes: `Campaign ${r}: 20% off`,
    query: "err=1",
  });
}

function listRequest(r: number): string {
  const lines = Array.from(
    { length: LINES },
    (_, i) => `7998${String(r * LINES + i).padStart(7, "0")}:Order ${r * LINES + i} is ready for pickup`,
  );
  return envelope({
    login: "bench",
    psw: "bench",
    phones: "",
    mes: "",
    query: `err=1&list=${encodeURIComponent(lines.join("\n"))}`,
  });
}

async function measure(
  name: string,
  recipients: number,
  build: (r: number) => string,
  sim: { url: string; child: ChildProcess },
  pool: Pool,
): Promise<void> {
  const { pathname } = new URL(sim.url);
  const bodies = Array.from({ length: REQUESTS + 5 }, (_, r) => build(r));
  const post = async (body: string) => {
    const res = await pool.request({
      method: "POST",
      path: pathname,
      body,
      headers: { "content-type": "text/xml; charset=utf-8" },
    });
    const text = await res.body.text();
    if (!text.includes(`<cnt>${recipients}</cnt>`))
      throw new Error(`${name}: unexpected answer ${res.statusCode} ${text.slice(0, 300)}`);
  };
  for (let r = 0; r < 5; r++) await post(bodies[r]!); // warm-up
  const cpu0 = await cpuMicros(sim.child);
  const t0 = performance.now();
  for (let r = 5; r < bodies.length; r++) await post(bodies[r]!);
  const ms = (performance.now() - t0) / REQUESTS;
  const cpuMs = ((await cpuMicros(sim.child)) - cpu0) / 1000 / REQUESTS;
  console.log(
    `  ${name.padEnd(42)} ${ms.toFixed(2)} ms per request round trip, simulator CPU ${cpuMs.toFixed(2)} ms per request ` +
      `(${((cpuMs * 1000) / recipients).toFixed(1)} µs per recipient)`,
  );
}

const sink = await startCallbackSink();
console.log(`simulator, big requests (${REQUESTS} of each shape, one at a time, rate rules on)`);
for (const callbacks of [false, true]) {
  const sim = await startSim(callbacks ? sink.url : "");
  const pool = new Pool(new URL(sim.url).origin, { connections: 1 });
  try {
    const label = callbacks ? "callbacks on " : "callbacks off";
    await measure(`${label}, phones list of ${PHONES}`, PHONES, phonesRequest, sim, pool);
    await measure(`${label}, list of ${LINES} lines`, LINES, listRequest, sim, pool);
  } finally {
    await pool.close();
    sim.child.kill("SIGTERM");
  }
}
sink.close();
