import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateConfig } from "../src/config/load.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";

/** The HTTP side of a running gateway when SMSC refuses for lack of funds: paused, not ready, and saying why. */

let simulator: RunningSimulator;
let gateway: RunningGateway;
const logLines: string[] = [];

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "poor", psw: "poor-Password-5", balance: 0 }],
  });
  const dir = await mkdtemp(join(tmpdir(), "smsc-gw-http-"));
  const config = validateConfig({
    smsc: { baseUrl: new URL(simulator.url).origin, login: "poor", psw: "poor-Password-5" },
    store: { sqlite: join(dir, "gw.sqlite") },
    smtp: { enabled: false },
    http: { port: 0 },
  });
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString("utf8"));
      done();
    },
  });
  gateway = await startGateway(config, createLogger({ destination }));
});

afterAll(async () => {
  await gateway?.close();
  await simulator?.close();
});

describe("gateway HTTP", () => {
  it("reports a funds pause on /readyz, the status page and /metrics", async () => {
    expect((await fetch(`${gateway.httpUrl}/readyz`)).status).toBe(200);
    await gateway.outbox.enqueue({ phones: "79990002222", mes: "no money" });

    const ready = await vi.waitFor(
      async () => {
        const response = await fetch(`${gateway.httpUrl}/readyz`);
        expect(response.status, "the outbox to pause").toBe(503);
        return response;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(((await ready.json()) as { reasons: string[] }).reasons).toContain("outbox paused (funds)");

    const page = await (await fetch(`${gateway.httpUrl}/`)).text();
    expect(page).toMatch(/<p id="pause-state" class="paused">Outbox paused: <span id="pause-reason">funds: /);
    expect(page).toMatch(/<tr data-state="queued"><td>queued<\/td><td class="count">1<\/td>/);
    const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^smsc_outbox_paused\{outbox="default"\} 1$/m);
    expect(logLines.join("")).toMatch(/"msg":"outbox paused"/);
    expect(logLines.join("")).not.toContain("poor-Password-5");
  });

  it("answers 404 for unknown paths, 400 for a bad row id, and redirects a redrive of a row that is not dead", async () => {
    expect((await fetch(`${gateway.httpUrl}/nope`)).status).toBe(404);
    // A state change needs a same-origin Origin, as the status page's own form sends.
    const response = await fetch(`${gateway.httpUrl}/dead-letter/999/redrive`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: gateway.httpUrl },
    });
    expect(response.status).toBe(303);
    expect(decodeURIComponent(response.headers.get("location") ?? "")).toContain(
      "message 999 is not in the dead letter",
    );
    for (const bad of ["%E0%A4%A", "abc", "-1"]) {
      const refused = await fetch(`${gateway.httpUrl}/dead-letter/${bad}/redrive`, {
        method: "POST",
        redirect: "manual",
        headers: { origin: gateway.httpUrl },
      });
      expect(refused.status, bad).toBe(400);
    }
    expect((await fetch(`${gateway.httpUrl}/healthz`)).status).toBe(200);
  });

  it("stops listening once closed, and a second close is harmless", async () => {
    await gateway.close();
    await gateway.close();
    await expect(fetch(`${gateway.httpUrl}/healthz`)).rejects.toThrow();
  });
});

describe("gateway HTTP with http.auth", () => {
  it("asks for the password on the status page, redrive and /metrics, but not on probes or the webhook", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smsc-gw-auth-"));
    const secured = await startGateway(
      validateConfig({
        smsc: { baseUrl: new URL(simulator.url).origin, login: "poor", psw: "poor-Password-5" },
        store: { sqlite: join(dir, "gw.sqlite") },
        smtp: { enabled: false },
        http: { port: 0, auth: { username: "ops", password: "ops-Password-77" } },
      }),
      createLogger({ level: "silent" }),
    );
    try {
      const basic = (user: string, pass: string) => ({
        authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`,
      });
      expect((await fetch(`${secured.httpUrl}/`)).status).toBe(401);
      expect(
        (await fetch(`${secured.httpUrl}/metrics`, { headers: basic("ops", "wrong-password") })).status,
      ).toBe(401);
      const redrive = await fetch(`${secured.httpUrl}/dead-letter/1/redrive`, {
        method: "POST",
        redirect: "manual",
      });
      expect(redrive.status).toBe(401);
      expect(redrive.headers.get("www-authenticate")).toMatch(/^Basic /);
      expect((await fetch(`${secured.httpUrl}/`, { headers: basic("ops", "ops-Password-77") })).status).toBe(
        200,
      );
      expect((await fetch(`${secured.httpUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${secured.httpUrl}/readyz`)).status).toBe(200);
      // The webhook answers on its own terms (400 for an empty callback), not 401.
      expect((await fetch(`${secured.httpUrl}/smsc/callback`, { method: "POST" })).status).toBe(400);
    } finally {
      await secured.close();
    }
  });
});
