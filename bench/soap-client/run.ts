/**
 * Our SOAP client against node-soap's client (the anchor), side by side in the same run, against one
 * local server in a separate process: a node-soap server and a canned fast server. Sequential calls
 * and concurrent calls (a fixed number in flight). Each client is warmed up first. Both call
 * get_status (plain operation, 10 result fields); both clients use their default HTTP settings.
 *
 *   cd bench && pnpm exec tsx soap-client/run.ts
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createSmscClient } from "@smsc-kit/core";
import * as soap from "soap";

const SEQUENTIAL_CALLS = 2_000;
const CONCURRENT_CALLS = 4_000;
const IN_FLIGHT = 16;
const WARMUP_CALLS = 200;

type Call = () => Promise<unknown>;

async function startServer(kind: "node-soap" | "canned"): Promise<{ origin: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL("./server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, kind], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const origin = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { origin, child };
}

async function sequential(call: Call, calls: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await call();
  return calls / ((performance.now() - started) / 1000);
}

async function concurrent(call: Call, calls: number, inFlight: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next++;
      await call();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return calls / ((performance.now() - started) / 1000);
}

interface Row {
  server: string;
  mode: string;
  ours: number;
  anchor: number;
}

async function measure(kind: "node-soap" | "canned"): Promise<Row[]> {
  const { origin, child } = await startServer(kind);
  try {
    const ours = createSmscClient(
      { login: "bench", psw: "bench-secret" },
      { baseUrl: origin, fallbackUrls: [] },
    );
    const request = { phone: "79990000001", id: "42" };
    const oursCall: Call = () => ours.status(request);
    const anchorClient = await soap.createClientAsync(
      `${origin}/sys/soap.php?wsdl`,
      {},
      `${origin}/sys/soap.php`,
    );
    const anchorArgs = { login: "bench", psw: "bench-secret", ...request };
    const anchorCall: Call = () => anchorClient.get_statusAsync(anchorArgs);

    // Sanity: both clients read the same answer.
    const [ourResult, [anchorResult]] = await Promise.all([
      oursCall(),
      anchorClient.get_statusAsync(anchorArgs),
    ]);
    const ourStatus = (ourResult as { status: number }).status;
    const anchorStatus = Number((anchorResult as { statusresult: { status: string } }).statusresult.status);
    if (ourStatus !== 1 || anchorStatus !== 1)
      throw new Error(`unexpected status ${ourStatus}/${anchorStatus}`);

    await sequential(oursCall, WARMUP_CALLS);
    await sequential(anchorCall, WARMUP_CALLS);
    // Alternate the order so neither client always runs on a warmer machine.
    const oursSeq = await sequential(oursCall, SEQUENTIAL_CALLS);
    const anchorSeq = await sequential(anchorCall, SEQUENTIAL_CALLS);
    const anchorConc = await concurrent(anchorCall, CONCURRENT_CALLS, IN_FLIGHT);
    const oursConc = await concurrent(oursCall, CONCURRENT_CALLS, IN_FLIGHT);
    await ours.close();
    return [
      { server: kind, mode: `sequential (${SEQUENTIAL_CALLS} calls)`, ours: oursSeq, anchor: anchorSeq },
      {
        server: kind,
        mode: `concurrent (${CONCURRENT_CALLS} calls, ${IN_FLIGHT} in flight)`,
        ours: oursConc,
        anchor: anchorConc,
      },
    ];
  } finally {
    child.kill();
  }
}

const rows = [...(await measure("node-soap")), ...(await measure("canned"))];
console.log("\n@smsc-kit/core SOAP client vs node-soap 1.13.0 client (get_status, loopback, calls/s)\n");
console.log(
  `${"server".padEnd(10)} ${"mode".padEnd(40)} ${"ours".padStart(8)} ${"node-soap".padStart(10)} ${"ratio".padStart(7)}`,
);
for (const row of rows) {
  console.log(
    `${row.server.padEnd(10)} ${row.mode.padEnd(40)} ${row.ours.toFixed(0).padStart(8)} ` +
      `${row.anchor.toFixed(0).padStart(10)} ${`${(row.ours / row.anchor).toFixed(2)}x`.padStart(7)}`,
  );
}
