/**
 * Our SOAP client against node-soap's client (the anchor), side by side in the same run, against one
 * local server in a separate process: a node-soap server and a canned fast server. Sequential calls
 * and concurrent calls (a fixed number in flight). Each client is warmed up first; each figure is summed
 * over 5 rounds in which the clients alternate, so a change in machine load hits both. Both call
 * get_status (plain operation, 10 result fields); both clients use their default HTTP settings.
 *
 * Besides calls/s it prints the CPU time the client process spent per call: the server runs in another
 * process, so that figure is the client's own cost and varies less with machine load than calls/s.
 *
 * A second table prices `send` (validation included) against the floor: a bare undici POST of a prepared
 * envelope to the same canned server (no validation, no XML work), with node-soap's client alongside. All
 * three name the same 1,000 recipients in turn (the bare POST picks the recipient's prepared envelope), 14 in
 * flight (SMSC refuses a 15th simultaneous request), 6,000 calls each, over as many connections as our
 * client opens by default (DEFAULT_CONNECTIONS). Ours and the bare POST alternate round by round; node-soap
 * runs after them in the same process. Run `pnpm exec tsx soap-client/run.ts --send` for that table alone.
 *
 *   cd bench && pnpm exec tsx soap-client/run.ts
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createSmscClient, DEFAULT_CONNECTIONS } from "@smsc-kit/core";
import * as soap from "soap";
import { Pool } from "undici";

const SEQUENTIAL_CALLS = 2_000;
const CONCURRENT_CALLS = 4_000;
/** Each figure is summed over this many rounds, the two clients alternating, so load drift hits both. */
const ROUNDS = 5;
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

interface Figure {
  callsPerSecond: number;
  /** CPU time this process (the client; the server runs elsewhere) spent per call, in µs. */
  cpuMicrosPerCall: number;
}

async function timed(calls: number, run: () => Promise<void>): Promise<Figure> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { callsPerSecond: calls / (elapsed / 1000), cpuMicrosPerCall: (used.user + used.system) / calls };
}

function sequential(call: Call, calls: number): Promise<Figure> {
  return timed(calls, async () => {
    for (let i = 0; i < calls; i++) await call();
  });
}

function concurrent(call: Call, calls: number, inFlight: number): Promise<Figure> {
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next++;
      await call();
    }
  };
  return timed(calls, async () => {
    await Promise.all(Array.from({ length: inFlight }, worker));
  });
}

/** Runs both measurements ROUNDS times, swapping which goes first, and combines each client's rounds. */
async function alternating(
  ours: () => Promise<Figure>,
  anchor: () => Promise<Figure>,
): Promise<{ ours: Figure; anchor: Figure }> {
  const oursRounds: Figure[] = [];
  const anchorRounds: Figure[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      oursRounds.push(await ours());
      anchorRounds.push(await anchor());
    } else {
      anchorRounds.push(await anchor());
      oursRounds.push(await ours());
    }
  }
  return { ours: combine(oursRounds), anchor: combine(anchorRounds) };
}

/** Rounds have equal call counts: total calls over total time, and the mean CPU per call. */
function combine(rounds: Figure[]): Figure {
  const seconds = rounds.reduce((sum, round) => sum + 1 / round.callsPerSecond, 0);
  const cpu = rounds.reduce((sum, round) => sum + round.cpuMicrosPerCall, 0);
  return { callsPerSecond: rounds.length / seconds, cpuMicrosPerCall: cpu / rounds.length };
}

interface Row {
  server: string;
  mode: string;
  ours: Figure;
  anchor: Figure;
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
    const oursSeq = await alternating(
      () => sequential(oursCall, SEQUENTIAL_CALLS / ROUNDS),
      () => sequential(anchorCall, SEQUENTIAL_CALLS / ROUNDS),
    );
    const oursConc = await alternating(
      () => concurrent(oursCall, CONCURRENT_CALLS / ROUNDS, IN_FLIGHT),
      () => concurrent(anchorCall, CONCURRENT_CALLS / ROUNDS, IN_FLIGHT),
    );
    await ours.close();
    return [
      {
        server: kind,
        mode: `sequential (${SEQUENTIAL_CALLS} calls)`,
        ours: oursSeq.ours,
        anchor: oursSeq.anchor,
      },
      {
        server: kind,
        mode: `concurrent (${CONCURRENT_CALLS} calls, ${IN_FLIGHT} in flight)`,
        ours: oursConc.ours,
        anchor: oursConc.anchor,
      },
    ];
  } finally {
    child.kill();
  }
}

const SEND_CALLS = 6_000;
const SEND_IN_FLIGHT = 14;
const SEND_WARMUP_CALLS = 4_000;

/** Runs every measurement ROUNDS times, rotating which goes first, and combines each one's rounds. */
/** Rounds of each measurement, in order: rounds[i][r] is measurement i in round r. */
let lastRounds: Figure[][] = [];

async function rotating(measurements: (() => Promise<Figure>)[]): Promise<Figure[]> {
  const rounds: Figure[][] = measurements.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < measurements.length; k++) {
      const i = (k + round) % measurements.length;
      rounds[i]?.push(await (measurements[i] as () => Promise<Figure>)());
    }
  }
  lastRounds = rounds;
  return rounds.map(combine);
}

/**
 * Ours over the bare POST round by round (the two run back to back in each round): a round that another
 * process disturbed moves the sums above, barely the median of these.
 */
function roundRatios(): number[] {
  const [ours = [], bare = []] = lastRounds;
  return ours.map((figure, r) => figure.cpuMicrosPerCall / (bare[r]?.cpuMicrosPerCall ?? Number.NaN));
}

async function measureSend(): Promise<{ name: string; figure: Figure }[]> {
  const { origin, child } = await startServer("canned");
  const namespace = `${origin}/sys/soap.php`;
  const request = { phones: "79990000001", mes: "Benchmark message", sender: "smsc-kit" };
  // Every client names a different recipient on each call (1,000 distinct Russian mobile numbers, in turn), so
  // no per-number memo anywhere could make ours look cheaper than it is, and the server reads the same bodies.
  const recipients = Array.from(
    { length: 1_000 },
    (_, i) => `7999${String(1_000_000 + i * 7_919).slice(-7)}`,
  );
  const nextRecipient = (() => {
    let sent = 0;
    return () => recipients[sent++ % recipients.length] as string;
  })();
  const ours = createSmscClient(
    { login: "bench", psw: "bench-secret" },
    { baseUrl: origin, fallbackUrls: [] },
  );
  const variedSend = () => ours.send({ ...request, phones: nextRecipient() });
  const pool = new Pool(origin, { connections: DEFAULT_CONNECTIONS, pipelining: 1 });
  // The floor: each recipient's envelope prepared beforehand, so the bare POST does no XML work at all.
  const envelopes = new Map(
    recipients.map((phone) => [
      phone,
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>` +
        `<send xmlns="${namespace}"><login>bench</login><psw>bench-secret</psw><phones>${phone}</phones>` +
        "<mes>Benchmark message</mes><sender>smsc-kit</sender></send></soap:Body></soap:Envelope>",
    ]),
  );
  const headers = { "content-type": "text/xml; charset=utf-8", soapaction: `"${namespace}"` };
  const bare: Call = async () => {
    const response = await pool.request({
      origin,
      method: "POST",
      path: "/sys/soap.php",
      headers,
      body: envelopes.get(nextRecipient()) as string,
    });
    return response.body.text();
  };
  const anchor = await soap.createClientAsync(`${namespace}?wsdl`, {}, namespace);
  const anchorArgs = { login: "bench", psw: "bench-secret", ...request };
  const calls: [string, Call][] = [
    ["@smsc-kit/core send (validated)", variedSend],
    ["bare undici POST, prepared envelope", bare],
    ["node-soap 1.13.0 send_sms", () => anchor.send_smsAsync({ ...anchorArgs, phones: nextRecipient() })],
  ];
  try {
    const first = await ours.send(request);
    if (first.id !== "1" || first.cnt !== 1)
      throw new Error(`unexpected send result ${JSON.stringify(first)}`);
    // Warmed until the JIT has settled (our client runs more JavaScript than the bare POST, so it needs longer).
    // Ours and the bare POST alternate round by round; node-soap (ten times the garbage per call) runs after
    // them, so that its collections do not land in their rounds.
    const [floorPair, anchorCall] = [calls.slice(0, 2), calls[2] as [string, Call]];
    for (const [, call] of floorPair) await concurrent(call, SEND_WARMUP_CALLS, SEND_IN_FLIGHT);
    const pair = await rotating(
      floorPair.map(
        ([, call]) =>
          () =>
            concurrent(call, SEND_CALLS / ROUNDS, SEND_IN_FLIGHT),
      ),
    );
    await concurrent(anchorCall[1], WARMUP_CALLS, SEND_IN_FLIGHT);
    const anchorFigure = await concurrent(anchorCall[1], SEND_CALLS, SEND_IN_FLIGHT);
    const figures = [...pair, anchorFigure];
    return calls.map(([name], i) => ({ name, figure: figures[i] as Figure }));
  } finally {
    await ours.close();
    await pool.close();
    child.kill();
  }
}

const sendOnly = process.argv.includes("--send");
const sendRows = await measureSend();
const rows = sendOnly ? [] : [...(await measure("node-soap")), ...(await measure("canned"))];
const floor = sendRows[1]?.figure.cpuMicrosPerCall ?? Number.NaN;
console.log(`
send against a canned server (${SEND_CALLS} calls, ${SEND_IN_FLIGHT} in flight, client CPU per call)
`);
console.log(`${"client".padEnd(36)} ${"calls/s".padStart(8)} ${"CPU".padStart(8)} ${"vs bare".padStart(8)}`);
for (const { name, figure } of sendRows) {
  console.log(
    `${name.padEnd(36)} ${figure.callsPerSecond.toFixed(0).padStart(8)} ${`${figure.cpuMicrosPerCall.toFixed(1)}µs`.padStart(8)} ` +
      `${`${(figure.cpuMicrosPerCall / floor).toFixed(2)}x`.padStart(8)}`,
  );
}
const ratios = roundRatios().sort((a, b) => a - b);
console.log(
  `ours / bare POST per round: median ${(ratios[Math.floor(ratios.length / 2)] ?? Number.NaN).toFixed(2)}x` +
    ` (rounds ${ratios.map((r) => r.toFixed(2)).join(", ")})`,
);
if (!sendOnly) printStatusRows();

function printStatusRows(): void {
  console.log("\n@smsc-kit/core SOAP client vs node-soap 1.13.0 client (get_status, loopback)\n");
  console.log(
    `${"server".padEnd(10)} ${"mode".padEnd(40)} ${"ours/s".padStart(8)} ${"anchor/s".padStart(9)} ${"ratio".padStart(6)}` +
      ` ${"ours CPU".padStart(9)} ${"anchor CPU".padStart(11)} ${"ratio".padStart(6)}`,
  );
  for (const row of rows) {
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`.padStart(6);
    console.log(
      `${row.server.padEnd(10)} ${row.mode.padEnd(40)} ${row.ours.callsPerSecond.toFixed(0).padStart(8)} ` +
        `${row.anchor.callsPerSecond.toFixed(0).padStart(9)} ${ratio(row.ours.callsPerSecond, row.anchor.callsPerSecond)} ` +
        `${`${row.ours.cpuMicrosPerCall.toFixed(0)}µs`.padStart(9)} ${`${row.anchor.cpuMicrosPerCall.toFixed(0)}µs`.padStart(11)} ` +
        `${ratio(row.anchor.cpuMicrosPerCall, row.ours.cpuMicrosPerCall)}`,
    );
  }
  console.log(
    "\nratio = ours / node-soap for calls/s; node-soap / ours for client CPU per call (higher is better for us).",
  );
}
console.log(
  `load average during the run: ${(await import("node:os"))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
