/**
 * Only our `send` (or, with --bare, only the bare undici POST of run.ts) against the canned server, the same
 * calls as run.ts's send row (14 in flight, a different recipient each call), for profiling the send path:
 *
 *   cd bench && node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx soap-client/profile-send.ts [calls] [--bare]
 *
 * or, for instruction counts that do not depend on the machine's load, under valgrind with two call counts
 * (the difference, divided by the difference of calls, is the cost of one call):
 *
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null node --import tsx soap-client/profile-send.ts 2000
 *
 * Prints the client CPU per call; the server runs in its own process, so the profile is the client's.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createSmscClient, DEFAULT_CONNECTIONS } from "@smsc-kit/core";
import { Pool } from "undici";

const calls = Number(process.argv[2] ?? "30000");
const bareMode = process.argv.includes("--bare");
const IN_FLIGHT = 14;

const script = fileURLToPath(new URL("./server.ts", import.meta.url));
const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", script, "canned"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const origin = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", resolve),
);
const client = createSmscClient(
  { login: "bench", psw: "bench-secret" },
  { baseUrl: origin, fallbackUrls: [] },
);
const recipients = Array.from({ length: 1_000 }, (_, i) => `7999${String(1_000_000 + i * 7_919).slice(-7)}`);
let sent = 0;
const ourSend = () =>
  client.send({
    phones: recipients[sent++ % recipients.length] as string,
    mes: "Benchmark message",
    sender: "smsc-kit",
  });
const namespace = `${origin}/sys/soap.php`;
const pool = new Pool(origin, { connections: DEFAULT_CONNECTIONS, pipelining: 1 });
const envelopes = recipients.map(
  (phone) =>
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
    `<send xmlns="${namespace}"><login>bench</login><psw>bench-secret</psw><phones>${phone}</phones>` +
    "<mes>Benchmark message</mes><sender>smsc-kit</sender></send></soap:Body></soap:Envelope>",
);
const headers = { "content-type": "text/xml; charset=utf-8", soapaction: `"${namespace}"` };
const bareSend = async () => {
  const response = await pool.request({
    origin,
    method: "POST",
    path: "/sys/soap.php",
    headers,
    body: envelopes[sent++ % envelopes.length] as string,
  });
  return response.body.text();
};
const send = bareMode ? bareSend : ourSend;

async function run(total: number): Promise<number> {
  let next = 0;
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < total) {
        next++;
        await send();
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / total;
}

try {
  await run(4_000);
  const mode = bareMode ? "bare POST" : "our send";
  const perCall = await run(calls);
  console.log(`client CPU per ${mode}: ${perCall.toFixed(1)} µs (${calls} calls, ${IN_FLIGHT} in flight)`);
} finally {
  await client.close();
  await pool.close();
  child.kill();
}
