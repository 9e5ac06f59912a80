import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { EXIT } from "../src/cli/exit-codes.js";
import { type SmscChild, spawnSmsc } from "./child.js";

/**
 * SIGTERM while a send is in flight: the gateway turns /readyz to 503 and stops taking mail, waits for the
 * in-flight send; a second SIGTERM ends it at once.
 */

let simulator: RunningSimulator;
let gateway: SmscChild;
let httpUrl = "";
let smtpPort = 0;

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "sig", psw: "sig-Password-3" }],
    // SMSC takes 20 s to answer: the send is still in flight when the signals arrive.
    faults: [{ match: { operation: ["send_sms", "send_sms2"] }, latencyMs: 20_000 }],
  });
  const dir = await mkdtemp(join(tmpdir(), "smsc-signals-"));
  await writeFile(
    join(dir, "gateway.yaml"),
    stringify({
      smsc: { baseUrl: new URL(simulator.url).origin, login: "sig", timeoutMs: 60_000 },
      store: { sqlite: join(dir, "gw.sqlite") },
      smtp: { port: 0, users: [{ username: "app", password: "app-pass" }] },
      http: { port: 0 },
    }),
  );
  gateway = spawnSmsc(["gateway", "--config", join(dir, "gateway.yaml")], { SMSC_PSW: "sig-Password-3" });
  const line = JSON.parse((await gateway.waitFor(/\{[^\n]*"msg":"gateway started"[^\n]*\}/))[0]) as {
    http: string;
    smtp: string;
  };
  httpUrl = line.http;
  smtpPort = Number(line.smtp.split(":").pop());
}, 60_000);

afterAll(async () => {
  if (gateway && gateway.child.exitCode === null) {
    gateway.child.kill("SIGKILL");
    await gateway.exit;
  }
  await simulator?.close();
});

function sendMail() {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
    auth: { user: "app", pass: "app-pass" },
    connectionTimeout: 3000,
  });
  return transport
    .sendMail({ from: "app@example.com", to: "79990003333@sms.local", subject: "x", text: "slow" })
    .finally(() => transport.close());
}

describe("gateway signals", () => {
  it("drains on the first SIGTERM and exits at once on the second", async () => {
    await sendMail();
    await vi.waitFor(
      async () =>
        expect(await (await fetch(`${httpUrl}/metrics`)).text(), "the send under way").toMatch(
          /^smsc_outbox_in_flight\{outbox="default"\} 1$/m,
        ),
      { timeout: 15_000, interval: 100 },
    );

    gateway.child.kill("SIGTERM");
    await gateway.waitFor(/"msg":"signal received/);
    const ready = await fetch(`${httpUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, reasons: ["shutting down"] });
    await expect(sendMail()).rejects.toThrow();
    expect(gateway.child.exitCode).toBeNull();

    gateway.child.kill("SIGTERM");
    expect(await gateway.exit).toBe(EXIT.interrupted);
    expect(gateway.stdout()).not.toMatch(/"msg":"gateway stopped"/);
  }, 60_000);
});
