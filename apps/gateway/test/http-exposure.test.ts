import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/errors.js";
import { loadConfig, validateConfig } from "../src/config/load.js";
import type { GatewayConfigInput } from "../src/config/schema.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";

/**
 * Secure by default: a status page (phone numbers, redrive) and /metrics reachable beyond loopback need
 * HTTP Basic credentials, or the config says `http.allowUnauthenticated: true` in words. The Host allow-list
 * is no substitute: a client on the network simply sends `Host: localhost`.
 */
const quiet = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
const running: RunningGateway[] = [];
afterAll(async () => {
  for (const gateway of running) await gateway.close();
});

async function configWith(http: GatewayConfigInput["http"]) {
  const dir = await mkdtemp(join(tmpdir(), "smsc-gw-exposure-"));
  return validateConfig({
    smsc: { baseUrl: "http://127.0.0.1:9", login: "demo", psw: "demo-password" },
    store: { sqlite: join(dir, "gw.sqlite") },
    smtp: { enabled: false },
    outbox: { enabled: false },
    webhook: { secret: "exposure-callback-secret" },
    http: { port: 0, ...http },
  });
}

function refusal(http: GatewayConfigInput["http"]): Promise<ConfigError> {
  return configWith(http).then(
    () => {
      throw new Error("the config was accepted");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    },
  );
}

describe("gateway HTTP beyond loopback without credentials", () => {
  it.each(["0.0.0.0", "::", "192.0.2.10", "gateway.example"])(
    "refuses http.host %s without http.auth, naming http.auth and allowUnauthenticated",
    async (host) => {
      const error = await refusal({ host });
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatchObject({ path: "http.auth" });
      expect(error.problems[0]?.rule).toMatch(/allowUnauthenticated: true/);
    },
  );

  it("refuses it when the address comes from the environment too", async () => {
    const error = await loadConfig({
      env: { SMSC_GATEWAY__HTTP__HOST: "0.0.0.0", SMSC_GATEWAY__WEBHOOK__SECRET: "env-callback-secret" },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatchObject({ path: "http.auth" });
  });

  it("starts with credentials, with allowUnauthenticated said in words, or on loopback", async () => {
    const auth = { username: "ops", password: "ops-password-1" };
    const withAuth = await startGateway(await configWith({ host: "0.0.0.0", auth }), quiet);
    running.push(withAuth);
    // The credentials are what keeps a network client out, whatever Host it claims.
    const port = new URL(withAuth.httpUrl).port;
    const forged = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { host: "localhost" } });
    expect(forged.status).toBe(401);
    running.push(
      await startGateway(await configWith({ host: "0.0.0.0", allowUnauthenticated: true }), quiet),
    );
    running.push(await startGateway(await configWith({ host: "127.0.0.1" }), quiet));
    running.push(await startGateway(await configWith({ host: "::1" }), quiet));
  });
});

describe("http.allowedHosts entries", () => {
  const auth = { username: "ops", password: "ops-password-1" };

  it.each([
    "https://gw.example.com",
    "gw.example.com/status",
    "*.example.com",
    "ops@gw.example.com",
    "gw example.com",
  ])("refuses %s, which would never match a Host header, naming the entry", async (entry) => {
    const error = await configWith({ auth, allowedHosts: ["gw.ok.example", entry] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatchObject({ path: "http.allowedHosts.1" });
  });

  it.each(["gw.example.com", "GW.Example.com:8443", "192.0.2.10", "[2001:db8::1]", "localhost"])(
    "accepts %s",
    async (entry) => {
      const config = await configWith({ auth, allowedHosts: [entry] });
      expect(config.http.allowedHosts).toEqual([entry]);
    },
  );
});
