/**
 * Attacks on the gateway's HTTP server, one table run against a real gateway over loopback (raw node
 * requests, so Host, Origin and Sec-Fetch-Site are sent exactly as a browser or an attacker would), and
 * the Basic-auth limiter and the request deadlines against gateways of their own.
 */
import { mkdtemp } from "node:fs/promises";
import { request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateConfig } from "../src/config/load.js";
import type { GatewayConfigInput } from "../src/config/schema.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";

const AUTH = { username: "ops", password: "ops-Password-77" };
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
const GOOD = basic(AUTH.username, AUTH.password);

let simulator: RunningSimulator;
const gateways: RunningGateway[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "poor", psw: "poor-Password-5", balance: 0 }],
  });
});
afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  await simulator?.close();
});

async function gatewayWith(http: GatewayConfigInput["http"]): Promise<RunningGateway> {
  const dir = await mkdtemp(join(tmpdir(), "smsc-gw-attacks-"));
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString("utf8"));
      done();
    },
  });
  const gateway = await startGateway(
    validateConfig({
      smsc: { baseUrl: new URL(simulator.url).origin, login: "poor", psw: "poor-Password-5" },
      store: { sqlite: join(dir, "gw.sqlite") },
      smtp: { enabled: false },
      webhook: { secret: "attack-table-callback-secret" },
      http: { port: 0, auth: AUTH, ...http },
    }),
    createLogger({ destination }),
  );
  gateways.push(gateway);
  return gateway;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  gateway: RunningGateway,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<Answer> {
  const { port } = new URL(gateway.httpUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

interface Case {
  name: string;
  method: "GET" | "POST" | "DELETE";
  path: string;
  /** Headers given the gateway's own `host:port` as `self`. */
  headers: (self: string) => Record<string, string>;
  status: number;
}

const REDRIVE = "/dead-letter/999/redrive";
const cases: Case[] = [
  {
    name: "redrive with its own Origin (the page's form)",
    method: "POST",
    path: REDRIVE,
    headers: (self) => ({ host: self, origin: `http://${self}`, authorization: GOOD }),
    status: 303,
  },
  {
    name: "redrive with no Origin, Referer only",
    method: "POST",
    path: REDRIVE,
    headers: (self) => ({ host: self, referer: `http://${self}/`, authorization: GOOD }),
    status: 403,
  },
  {
    name: "redrive with Origin: null (sandboxed frame)",
    method: "POST",
    path: REDRIVE,
    headers: (self) => ({ host: self, origin: "null", authorization: GOOD }),
    status: 403,
  },
  {
    name: "redrive from a forged origin",
    method: "POST",
    path: REDRIVE,
    headers: (self) => ({ host: self, origin: "http://evil.example", authorization: GOOD }),
    status: 403,
  },
  {
    name: "redrive from the same host on another port",
    method: "POST",
    path: REDRIVE,
    headers: (self) => ({ host: self, origin: "http://127.0.0.1:1", authorization: GOOD }),
    status: 403,
  },
  {
    name: "redrive the browser marks cross-site despite a matching Origin",
    method: "POST",
    path: REDRIVE,
    headers: (self) => ({
      host: self,
      origin: `http://${self}`,
      "sec-fetch-site": "cross-site",
      authorization: GOOD,
    }),
    status: 403,
  },
  {
    name: "rebinding host reads the status page",
    method: "GET",
    path: "/",
    headers: (self) => ({ host: `evil.example:${self.split(":")[1]}`, authorization: GOOD }),
    status: 421,
  },
  {
    name: "rebinding host reads /metrics",
    method: "GET",
    path: "/metrics",
    headers: () => ({ host: "evil.example", authorization: GOOD }),
    status: 421,
  },
  {
    name: "rebinding host redrives with its own origin",
    method: "POST",
    path: REDRIVE,
    headers: () => ({ host: "evil.example", origin: "http://evil.example", authorization: GOOD }),
    status: 421,
  },
  {
    name: "any other state change from a forged origin",
    method: "DELETE",
    path: "/dead-letter/999",
    headers: (self) => ({ host: self, origin: "http://evil.example", authorization: GOOD }),
    status: 403,
  },
  {
    name: "malformed Host",
    method: "GET",
    path: "/",
    headers: () => ({ host: "user@127.0.0.1", authorization: GOOD }),
    status: 421,
  },
  {
    name: "localhost by name is answered",
    method: "GET",
    path: "/",
    headers: (self) => ({ host: `localhost:${self.split(":")[1]}`, authorization: GOOD }),
    status: 200,
  },
  {
    name: "the status page without credentials",
    method: "GET",
    path: "/",
    headers: (self) => ({ host: self }),
    status: 401,
  },
  {
    name: "probes answer whatever the Host",
    method: "GET",
    path: "/healthz",
    headers: () => ({ host: "10.1.2.3:8080" }),
    status: 200,
  },
];

describe("gateway HTTP: attacks", () => {
  let gateway: RunningGateway;
  let self: string;
  beforeAll(async () => {
    gateway = await gatewayWith({});
    self = new URL(gateway.httpUrl).host;
  });

  it.each(cases)("$name → $status", async (c) => {
    const answer = await send(gateway, c.method, c.path, c.headers(self));
    expect(answer.status).toBe(c.status);
    if (c.status === 303) expect(answer.headers.location).toMatch(/not%20in%20the%20dead%20letter/);
  });

  it("frames nothing: every answer says DENY, frame-ancestors 'none', nosniff and a referrer policy", async () => {
    for (const path of ["/", "/metrics", "/healthz", "/readyz", "/nope"]) {
      const { headers } = await send(gateway, "GET", path, { host: self, authorization: GOOD });
      expect(headers["x-frame-options"], path).toBe("DENY");
      expect(headers["content-security-policy"], path).toMatch(/frame-ancestors 'none'/);
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["referrer-policy"], path).toBe("same-origin");
    }
  });

  it("keeps /readyz's pause reason behind auth, while its status stays open to probes", async () => {
    await gateway.outbox.enqueue({ phones: "79990002222", mes: "no money" });
    await vi.waitFor(
      async () => expect((await send(gateway, "GET", "/readyz", { host: self })).status).toBe(503),
      { timeout: 20_000, interval: 100 },
    );
    const anonymous = await send(gateway, "GET", "/readyz", { host: self });
    expect(JSON.parse(anonymous.body)).toEqual({ ready: false });
    const rebound = await send(gateway, "GET", "/readyz", { host: "evil.example", authorization: GOOD });
    expect(JSON.parse(rebound.body)).toEqual({ ready: false });
    const operator = await send(gateway, "GET", "/readyz", { host: self, authorization: GOOD });
    expect(JSON.parse(operator.body).reasons).toContain("outbox paused (funds)");
  });
});

describe("gateway HTTP: configured host names", () => {
  it("answers the names in http.allowedHosts (any case, any port), and no others", async () => {
    const gateway = await gatewayWith({ allowedHosts: ["gw.internal.test"] });
    expect((await send(gateway, "GET", "/", { host: "gw.internal.test", authorization: GOOD })).status).toBe(
      200,
    );
    expect(
      (await send(gateway, "GET", "/", { host: "GW.Internal.Test:8080", authorization: GOOD })).status,
    ).toBe(200);
    expect(
      (await send(gateway, "GET", "/", { host: "other.internal.test", authorization: GOOD })).status,
    ).toBe(421);
  });

  it("warns at start when it listens on every address but answers only to localhost names", async () => {
    const before = logLines.length;
    await gatewayWith({ host: "0.0.0.0" });
    expect(logLines.slice(before).join("")).toMatch(/listening on every address.*http\.allowedHosts/);
  });
});

describe("gateway HTTP: Basic-auth guesses", () => {
  it("slows a guessing client down with a growing lockout and logs username and address, never the password", async () => {
    const gateway = await gatewayWith({});
    const self = new URL(gateway.httpUrl).host;
    const guess = (password: string) =>
      send(gateway, "GET", "/metrics", { host: self, authorization: basic("mallory", password) });
    for (let n = 0; n < 6; n++) expect((await guess(`guess-${n}-secretish`)).status).toBe(401);
    // Locked now: even the right password is not checked from this address.
    const locked = await send(gateway, "GET", "/metrics", { host: self, authorization: GOOD });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    // The next wrong guess after the lockout doubles it.
    await vi.waitFor(async () => expect((await guess("after-lockout-guess")).status).toBe(401), {
      timeout: 5_000,
      interval: 200,
    });
    const longer = await send(gateway, "GET", "/metrics", { host: self, authorization: GOOD });
    expect(longer.status).toBe(429);
    // It lifts, and the right password works again.
    await vi.waitFor(
      async () =>
        expect((await send(gateway, "GET", "/metrics", { host: self, authorization: GOOD })).status).toBe(
          200,
        ),
      { timeout: 10_000, interval: 250 },
    );
    const logs = logLines.join("");
    expect(logs).toMatch(
      /"username":"mallory","address":"(::ffff:)?127\.0\.0\.1".*HTTP Basic authentication failed/,
    );
    expect(logs).toMatch(/"username":"mallory","address":"[^"]+","failures":6,"lockedForMs":1000/);
    // Refusals while locked out do not flood the log at warn level.
    expect(logs).not.toMatch(/refused: locked out/);
    expect(logs).not.toContain("guess-0-secretish");
    expect(logs).not.toContain("after-lockout-guess");
    expect(logs).not.toContain(AUTH.password);
  });
});

describe("gateway HTTP: request deadlines", () => {
  const cutAfter = (gateway: RunningGateway, payload: string) => {
    const { port } = new URL(gateway.httpUrl);
    return new Promise<{ ms: number; answer: string }>((resolve, reject) => {
      const started = performance.now();
      let answer = "";
      const socket = connect(Number(port), "127.0.0.1", () => socket.write(payload));
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => {
        answer += chunk;
      });
      socket.on("error", reject);
      socket.on("close", () => resolve({ ms: performance.now() - started, answer }));
    });
  };

  it("cuts a body shorter than its Content-Length within the configured time, on the webhook and elsewhere", async () => {
    const gateway = await gatewayWith({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    const self = new URL(gateway.httpUrl).host;
    for (const path of ["/smsc/callback", "/nope"]) {
      const cut = await cutAfter(
        gateway,
        `POST ${path} HTTP/1.1\r\nHost: ${self}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nid=1&phone=`,
      );
      expect(cut.ms, path).toBeLessThan(3_000);
    }
  });

  it("cuts a client that never finishes its headers within the configured time", async () => {
    const gateway = await gatewayWith({ headersTimeoutMs: 500, requestTimeoutMs: 1_000 });
    const cut = await cutAfter(gateway, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    expect(cut.ms).toBeLessThan(3_000);
  });

  it("refuses a request deadline shorter than the header deadline", () => {
    expect(() => validateConfig({ http: { headersTimeoutMs: 2_000, requestTimeoutMs: 1_000 } })).toThrow(
      /http\.requestTimeoutMs/,
    );
  });
});
