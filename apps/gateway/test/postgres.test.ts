import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import nodemailer from "nodemailer";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../src/config/load.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";

/** Two gateways on one PostgreSQL schema share the queue: every message goes out exactly once. */

const DATABASE = "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA = `gw_test_${randomBytes(4).toString("hex")}`;
const PHONES = Array.from({ length: 12 }, (_, i) => `7999100${String(i).padStart(4, "0")}`);
let simulator: RunningSimulator;
const gateways: RunningGateway[] = [];

const quiet = createLogger({
  level: "warn",
  destination: new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  }),
});

function config(simOrigin: string, withSmtp: boolean) {
  return validateConfig({
    smsc: { baseUrl: simOrigin, login: "pg", psw: "pg-Password-1" },
    store: { postgres: DATABASE, schema: SCHEMA },
    smtp: {
      enabled: withSmtp,
      port: 0,
      domains: ["sms.local"],
      users: [{ username: "app", password: "app-pass" }],
    },
    http: { port: 0 },
    outbox: { concurrency: 1 },
  });
}

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "pg", psw: "pg-Password-1" }],
    rules: { rateLimits: false },
    // Slow enough that one worker cannot drain the queue alone before the other polls.
    faults: [{ match: { operation: ["send_sms", "send_sms2"] }, latencyMs: 200 }],
  });
  const origin = new URL(simulator.url).origin;
  gateways.push(await startGateway(config(origin, true), quiet));
  gateways.push(await startGateway(config(origin, false), quiet));
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await simulator?.close();
  const client = new pg.Client({ connectionString: DATABASE });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.end();
});

describe("gateways sharing PostgreSQL", () => {
  it("split the work and send every message exactly once", async () => {
    const [a, b] = gateways;
    if (!a || !b || a.smtpPort === undefined) throw new Error("gateways did not start");
    const sentBy = { a: 0, b: 0 };
    a.outbox.on("sent", () => sentBy.a++);
    b.outbox.on("sent", () => sentBy.b++);

    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: a.smtpPort,
      secure: false,
      ignoreTLS: true,
      auth: { user: "app", pass: "app-pass" },
    });
    const info = await transport.sendMail({
      from: "app@example.com",
      to: PHONES.map((p) => `${p}@sms.local`),
      subject: "x",
      text: "Shared queue",
    });
    transport.close();
    expect(info.accepted).toHaveLength(PHONES.length);

    const deadline = Date.now() + 30_000;
    while ((await b.outbox.stats()).byState.sent < PHONES.length) {
      if (Date.now() > deadline) throw new Error(`not all sent: ${JSON.stringify(await b.outbox.stats())}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(
      simulator.inspector
        .messages()
        .map((m) => m.phone)
        .sort(),
    ).toEqual([...PHONES].sort());
    expect(sentBy.a + sentBy.b).toBe(PHONES.length);
    expect(sentBy.a).toBeGreaterThan(0);
    expect(sentBy.b).toBeGreaterThan(0);

    // The second gateway's /metrics reports the shared queue, not only its own work.
    const metrics = await (await fetch(`${b.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`smsc_outbox_messages\\{state="sent"\\} ${PHONES.length}\\b`));
  });
});
