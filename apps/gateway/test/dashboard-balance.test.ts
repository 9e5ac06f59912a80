import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../src/cli/free-port.js";
import { validateConfig } from "../src/config/load.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { inTrueOrder } from "../src/http/dashboard/message-page.js";
import { createLogger } from "../src/logging.js";

const PSW = "Balance-Psw-4242";
const AUTH = { username: "ops", password: "ops-Password-77" };
const authHeader = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString("base64")}`;
const running: { close(): Promise<void> }[] = [];

afterAll(async () => {
  for (const part of running.reverse()) await part.close();
});

describe("dashboard balance", () => {
  it("two gateways on one store ask get_balance once per fresh reading and show the same balance", async () => {
    const simulator: RunningSimulator = await startSimulator({
      port: 0,
      accounts: [{ login: "shared", psw: PSW, balance: 777.25 }],
    });
    running.push(simulator);
    const sqlite = join(await mkdtemp(join(tmpdir(), "smsc-balance-")), "gw.sqlite");
    const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
    const gateways: RunningGateway[] = [];
    for (let i = 0; i < 2; i += 1) {
      const config = validateConfig({
        smsc: { baseUrl: new URL(simulator.url).origin, login: "shared", psw: PSW },
        store: { sqlite },
        smtp: { enabled: false },
        webhook: { secret: "balance-callback-secret" },
        http: { host: "127.0.0.1", port: await freePort("127.0.0.1", 0), auth: AUTH },
      });
      const gateway = await startGateway(config, quiet());
      running.push(gateway);
      gateways.push(gateway);
    }
    const overview = async (gateway: RunningGateway) => {
      const response = await fetch(`${gateway.httpUrl}/dashboard`, {
        headers: { authorization: authHeader },
      });
      expect(response.status).toBe(200);
      return /<div class="kpi" id="balance">.*?<\/div>/s.exec(await response.text())?.[0];
    };
    const pages: (string | undefined)[] = [];
    for (let i = 0; i < 12; i += 1) pages.push(await overview(gateways[i % 2] as RunningGateway));
    pages.push(...(await Promise.all(gateways.flatMap((g) => [overview(g), overview(g)]))));
    expect(simulator.inspector.counters().byOperation.get_balance).toBe(1);
    expect(pages[0]).toContain("777.25");
    expect(new Set(pages).size).toBe(1);
  }, 60_000);
});

describe("message history order", () => {
  it("puts a whole-second status after the send it followed within that second", () => {
    const at = (ms: number) => new Date(ms);
    const ordered = inTrueOrder([
      { status: 1, name: "Delivered", at: at(5_000), source: "callback" },
      { status: 0, name: "Transferred to operator", at: at(5_000), source: "callback" },
      { name: "handed to SMSC (1 SMS)", at: at(5_400), source: "outbox" },
      { name: "accepted into the outbox", at: at(5_300), source: "outbox" },
      { name: "retry", at: at(4_000), source: "outbox" },
    ]);
    expect(ordered.map((e) => e.name)).toEqual([
      "retry",
      "accepted into the outbox",
      "handed to SMSC (1 SMS)",
      "Transferred to operator",
      "Delivered",
    ]);
  });
});
