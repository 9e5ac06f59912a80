import { once } from "node:events";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseSimulatorConfig,
  type RunningSimulator,
  runSimulatorCli,
  SimulatorConfigError,
  startSimulator,
} from "../src/index.js";
import { DEMO, envelope, rawPost, startTestSimulator } from "./helpers.js";

/** Opens a raw connection, writes `head` (and nothing else), and resolves with what came back once the server closed it. */
async function holdOpen(port: number, head: string): Promise<{ answer: string; heldMs: number }> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  const started = performance.now();
  let answer = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    answer += chunk;
  });
  socket.write(head);
  await once(socket, "close");
  return { answer, heldMs: performance.now() - started };
}

describe("the simulator's own request and header timeouts", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ timeouts: { headersMs: 300, requestMs: 600 } });
  });
  afterAll(() => sim.close());

  it("cuts a body shorter than its Content-Length with 408, in about requestMs (not Node's 5 minutes)", async () => {
    const body = envelope("balance", DEMO);
    const head =
      "POST /sys/soap.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body) + 100}\r\n\r\n${body}`;
    const { answer, heldMs } = await holdOpen(sim.port, head);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(heldMs).toBeGreaterThanOrEqual(500);
    expect(heldMs).toBeLessThan(5_000);
  });

  it("cuts a client that never finishes its headers in about headersMs", async () => {
    const { answer, heldMs } = await holdOpen(sim.port, "POST /sys/soap.php HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(heldMs).toBeLessThan(5_000);
  });

  it("keeps serving complete requests after cutting slow ones", async () => {
    const ok = await rawPost(sim, envelope("balance", DEMO));
    expect(ok.text).toContain("<balance>1000.00</balance>");
  });
});

describe("timeout settings", () => {
  it("defaults to seconds, not Node's minutes", async () => {
    const { DEFAULT_TIMEOUTS } = await import("../src/index.js");
    expect(DEFAULT_TIMEOUTS.headersMs).toBeLessThanOrEqual(10_000);
    expect(DEFAULT_TIMEOUTS.requestMs).toBeLessThanOrEqual(30_000);
  });

  it("are read from the config file", () => {
    const options = parseSimulatorConfig("timeouts:\n  headersMs: 2000\n  requestMs: 4000\n");
    expect(options.timeouts).toEqual({ headersMs: 2000, requestMs: 4000 });
  });

  it("refuses a header timeout longer than the request timeout, naming the field", async () => {
    const error = await startSimulator({ timeouts: { headersMs: 5000, requestMs: 1000 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SimulatorConfigError);
    expect((error as SimulatorConfigError).field).toBe("timeouts.headersMs");
  });

  it("are set by the command line's --headers-timeout-ms and --request-timeout-ms", async () => {
    const io = { out: () => {}, err: () => {}, handleSignals: false };
    const argv = [
      "node",
      "smsc-sim",
      "--port",
      "0",
      "--quiet",
      "--headers-timeout-ms",
      "200",
      "--request-timeout-ms",
      "400",
    ];
    const sim = await runSimulatorCli(argv, io);
    try {
      const body = envelope("balance", DEMO);
      const head =
        "POST /sys/soap.php HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n" +
        `Content-Length: ${Buffer.byteLength(body) + 10}\r\n\r\n${body}`;
      const { answer, heldMs } = await holdOpen(sim.port, head);
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(heldMs).toBeLessThan(5_000);
    } finally {
      await sim.close();
    }
  });
});
