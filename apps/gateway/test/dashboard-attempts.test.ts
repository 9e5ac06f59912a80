import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { classifyError } from "@smsc-kit/core";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort } from "../src/cli/free-port.js";
import { validateConfig } from "../src/config/load.js";
import type { GatewayConfig } from "../src/config/schema.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";

/**
 * Every send attempt on the message page comes from the store: a message refused twice then sent shows its three
 * attempts in order on a gateway started afterwards on the same store (it remembers nothing of the sends), and a
 * refusal shows SMSC's error code with the catalog's text.
 */

const PSW = "Attempts-Psw-4242";
const AUTH = { username: "ops", password: "ops-Password-77" };
const RETRIED = "79990070001";
const DENIED = "79990060001";
const authHeader = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString("base64")}`;
const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

let simulator: RunningSimulator;
let config: GatewayConfig;
let first: RunningGateway | undefined;
let second: RunningGateway | undefined;

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "attempts", psw: PSW, balance: 500 }],
    rules: { rateLimits: false },
    faults: [
      // Refused before SMSC's script ran (a 4xx without a SOAP answer): not sent, so a plain retry.
      { match: { operation: ["send_sms", "send_sms2"], phonePrefix: "7999007" }, times: 2, httpStatus: 404 },
      { match: { operation: ["send_sms", "send_sms2"], phonePrefix: "7999006" }, error: 6 },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), "smsc-attempts-"));
  const port = await freePort("127.0.0.1", 0);
  config = validateConfig({
    smsc: { baseUrl: new URL(simulator.url).origin, login: "attempts", psw: PSW },
    store: { sqlite: join(dir, "gw.sqlite") },
    smtp: { enabled: false },
    webhook: { secret: "attempts-callback-secret" },
    http: { host: "127.0.0.1", port, auth: AUTH },
  });
});

afterAll(async () => {
  await first?.close();
  await second?.close();
  await simulator?.close();
});

/** The attempt lines of a message page, in the order the page lists them. */
function attemptLines(page: string): { seq: number; outcome: string; code: string | null; text: string }[] {
  const lines = [...page.matchAll(/<li([^>]*)>(.*?)<\/li>/gs)];
  return lines.flatMap(([, attributes = "", text = ""]) => {
    const seq = /data-attempt="(\d+)"/.exec(attributes)?.[1];
    if (seq === undefined) return [];
    const outcome = /data-outcome="([a-z]+)"/.exec(attributes)?.[1] ?? "";
    const code = /data-code="(\d+)"/.exec(attributes)?.[1] ?? null;
    return [{ seq: Number(seq), outcome, code, text }];
  });
}

describe("dashboard message page: stored attempts", () => {
  it("shows a message retried twice then sent with its three attempts, after a restart on the same store", async () => {
    first = await startGateway(config, quiet());
    const [retried, denied] = await first.outbox.enqueue([
      // Each in a request of its own: the faults below are per request, matched by phone.
      { phones: RETRIED, mes: "third time lucky", travelAlone: true },
      { phones: DENIED, mes: "refused", travelAlone: true },
    ]);
    if (retried === undefined || denied === undefined) throw new Error("enqueue returned no rows");
    await vi.waitFor(
      async () => {
        expect(await first?.outbox.get(retried.rowId)).toMatchObject({ state: "sent", attempts: 3 });
        expect(await first?.outbox.get(denied.rowId)).toMatchObject({ state: "dead" });
      },
      { timeout: 30_000, interval: 100 },
    );
    await first.close();
    first = undefined;

    // A new gateway on the same store: its memory holds none of those sends.
    second = await startGateway(config, quiet());
    const page = async (rowId: number) => {
      const response = await fetch(`${second?.httpUrl}/dashboard/messages/${rowId}`, {
        headers: { authorization: authHeader },
      });
      expect(response.status).toBe(200);
      return response.text();
    };
    const retriedPage = await page(retried.rowId);
    const lines = attemptLines(retriedPage);
    expect(lines.map((l) => [l.seq, l.outcome])).toEqual([
      [1, "retry"],
      [2, "retry"],
      [3, "sent"],
    ]);
    expect(lines[0]?.text).toMatch(/HTTP 404/);
    // In true order on the timeline: accepted first, then the attempts.
    expect(retriedPage.indexOf("accepted into the outbox")).toBeLessThan(
      retriedPage.indexOf('data-attempt="1"'),
    );

    const deniedLines = attemptLines(await page(denied.rowId));
    expect(deniedLines.map((l) => [l.seq, l.outcome, l.code])).toEqual([[1, "dead", "6"]]);
    expect(deniedLines[0]?.text).toContain(`SMSC error 6: ${classifyError("send", 6).text}`);
  }, 60_000);
});
