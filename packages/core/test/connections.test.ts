/**
 * How many connections the client opens to one host, seen from a real HTTP server that counts the sockets
 * open at once and holds every answer until the test releases them. SMSC allows 14 simultaneous requests per
 * login (catalog rate rule send-concurrency): by default all 14 are on the wire together, a 15th waits in the
 * client's pool (never reaching the server as a refused 15th).
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultConnections } from "../src/client-options.js";
import { createSmscClient, DEFAULT_CONNECTIONS, RATE_RULES } from "../src/index.js";
import { buildResponseEnvelope } from "../src/soap/envelope.js";

interface CountingServer {
  origin: string;
  /** Requests received and not yet answered. */
  held: ServerResponse[];
  openSockets: () => number;
  maxOpenSockets: () => number;
  maxHeld: () => number;
  release: () => void;
  close: () => Promise<void>;
}

async function countingServer(): Promise<CountingServer> {
  let open = 0;
  let maxOpen = 0;
  let maxHeld = 0;
  const held: ServerResponse[] = [];
  let namespace = "";
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      held.push(response);
      maxHeld = Math.max(maxHeld, held.length);
    });
  });
  server.on("connection", (socket) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    socket.once("close", () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  namespace = `${origin}/sys/soap.php`;
  return {
    origin,
    held,
    openSockets: () => open,
    maxOpenSockets: () => maxOpen,
    maxHeld: () => maxHeld,
    release: () => {
      for (const response of held.splice(0)) {
        response.setHeader("content-type", "text/xml; charset=utf-8");
        response.end(buildResponseEnvelope("get_sms_cost", { cost: "1.50", cnt: "1" }, namespace));
      }
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const servers: CountingServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function start(): Promise<CountingServer> {
  const server = await countingServer();
  servers.push(server);
  return server;
}

const cost = { phones: "79990000001", mes: "hello" };

describe("connections per host", () => {
  it("defaults to the largest per-login concurrency limit of the catalog's rate rules (14)", () => {
    const send = RATE_RULES.find((rule) => rule.id === "send-concurrency");
    expect(send?.limit).toBe(14);
    expect(DEFAULT_CONNECTIONS).toBe(14);
    expect(
      defaultConnections([
        { measure: "concurrent-requests", scope: "login", limit: 4 },
        { measure: "concurrent-requests", scope: "login", limit: 20 },
        { measure: "concurrent-requests", scope: "ip", limit: 99 },
        { measure: "requests", scope: "login", limit: 500 },
      ]),
    ).toBe(20);
    // A catalog that publishes no such limit leaves the pool at a bounded size.
    expect(defaultConnections([{ measure: "requests", scope: "login", limit: 500 }])).toBe(10);
  });

  it("puts 14 requests on 14 connections at once; the 15th and later wait for a free one", async () => {
    const server = await start();
    const client = createSmscClient(
      { login: "demo", psw: "demo" },
      { baseUrl: server.origin, fallbackUrls: [] },
    );
    try {
      const calls = Array.from({ length: 20 }, () => client.cost(cost));
      // All 14 reach the server before any is answered (with 10 connections, 4 of them would be stuck here).
      await vi.waitFor(() => expect(server.held.length).toBe(14), { timeout: 5_000 });
      expect(server.openSockets()).toBe(14);
      server.release();
      await vi.waitFor(() => expect(server.held.length).toBe(6), { timeout: 5_000 });
      server.release();
      const results = await Promise.all(calls);
      expect(results.map((r) => r.cnt)).toEqual(Array(20).fill(1));
      expect(server.maxOpenSockets()).toBe(14);
      expect(server.maxHeld()).toBe(14);
    } finally {
      await client.close();
    }
  });

  it("is overridable: connections: 3 keeps three sockets and three requests in flight", async () => {
    const server = await start();
    const client = createSmscClient(
      { login: "demo", psw: "demo" },
      { baseUrl: server.origin, fallbackUrls: [], connections: 3 },
    );
    try {
      const calls = Array.from({ length: 7 }, () => client.cost(cost));
      for (const expected of [3, 3, 1]) {
        await vi.waitFor(() => expect(server.held.length).toBe(expected), { timeout: 5_000 });
        server.release();
      }
      await Promise.all(calls);
      expect(server.maxOpenSockets()).toBe(3);
      expect(server.maxHeld()).toBe(3);
    } finally {
      await client.close();
    }
  });
});
