import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import nodemailer from "nodemailer";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { type SmscChild, spawnSmsc } from "./child.js";

/** Two gateway processes on one PostgreSQL schema share the queue: every message goes out exactly once. */

const DATABASE = "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA = `gw_test_${randomBytes(4).toString("hex")}`;
const PSW = "pg-Password-1";
const PHONES = Array.from({ length: 12 }, (_, i) => `7999100${String(i).padStart(4, "0")}`);
let simulator: RunningSimulator;
const gateways: { child: SmscChild; http: string; smtp: string | null }[] = [];

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "pg", psw: PSW }],
    rules: { rateLimits: false },
    // Slow enough that one worker cannot drain the queue alone before the other polls.
    faults: [{ match: { operation: ["send_sms", "send_sms2"] }, latencyMs: 200 }],
  });
  const dir = await mkdtemp(join(tmpdir(), "smsc-pg-"));
  for (const [name, withSmtp] of [
    ["a", true],
    ["b", false],
  ] as const) {
    const file = join(dir, `${name}.yaml`);
    await writeFile(
      file,
      stringify({
        smsc: { baseUrl: new URL(simulator.url).origin, login: "pg" },
        store: { postgres: DATABASE, schema: SCHEMA },
        smtp: {
          enabled: withSmtp,
          port: 0,
          domains: ["sms.local"],
          users: [{ username: "app", password: "app-pass" }],
        },
        http: { port: 0 },
        // One message per request: this proves the two processes split the rows between them.
        outbox: { concurrency: 1, coalesce: false },
      }),
    );
    const child = spawnSmsc(["gateway", "--config", file], { SMSC_PSW: PSW });
    const line = JSON.parse((await child.waitFor(/\{[^\n]*"msg":"gateway started"[^\n]*\}/))[0]) as {
      http: string;
      smtp: string | null;
    };
    gateways.push({ child, http: line.http, smtp: line.smtp });
  }
}, 60_000);

afterAll(async () => {
  for (const { child } of gateways) {
    if (child.child.exitCode === null) {
      child.child.kill("SIGKILL");
      await child.exit;
    }
  }
  await simulator?.close();
  const client = new pg.Client({ connectionString: DATABASE });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.end();
});

describe("gateway processes sharing PostgreSQL", () => {
  it("split the work and send every message exactly once", async () => {
    const [a, b] = gateways;
    if (!a?.smtp || !b) throw new Error("gateways did not start");
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: Number(a.smtp.split(":").pop()),
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

    // The gateway without SMTP reports the shared queue in its /metrics, not only its own work.
    const sentGauge = new RegExp(
      `^smsc_outbox_rows\\{outbox="default",state="sent"\\} ${PHONES.length}$`,
      "m",
    );
    await vi.waitFor(
      async () =>
        expect(await (await fetch(`${b.http}/metrics`)).text(), "all messages sent").toMatch(sentGauge),
      { timeout: 30_000, interval: 100 },
    );
    expect(
      simulator.inspector
        .messages()
        .map((m) => m.phone)
        .sort(),
    ).toEqual([...PHONES].sort());

    for (const { child } of gateways) child.child.kill("SIGTERM");
    const codes = await Promise.all(gateways.map(({ child }) => child.exit));
    expect(codes).toEqual([0, 0]);
    const handed = gateways.map(
      ({ child }) => child.stdout().match(/"msg":"SMS handed to SMSC"/g)?.length ?? 0,
    );
    expect(handed[0]).toBeGreaterThan(0);
    expect(handed[1]).toBeGreaterThan(0);
    expect((handed[0] ?? 0) + (handed[1] ?? 0)).toBe(PHONES.length);
  }, 60_000);
});
