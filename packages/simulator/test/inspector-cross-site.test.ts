import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { startTestSimulator } from "./helpers.js";

/**
 * Cross-site attacks on the inspector, one table run against a real simulator over loopback. Raw node
 * requests, because fetch would not let a test set Origin or Sec-Fetch-Site the way a browser does.
 */
interface Case {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  status: number;
}

const FAULT = JSON.stringify({ match: { operation: "get_balance" }, httpStatus: 503 });

function send(sim: RunningSimulator, c: Case, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(c.path, sim.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: c.method,
        headers: { host, ...c.headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end(c.body);
  });
}

describe("inspector: cross-site requests are refused", () => {
  let sim: RunningSimulator;
  let host: string;
  beforeAll(async () => {
    sim = await startTestSimulator();
    host = new URL(sim.url).host;
  });
  afterAll(() => sim.close());

  const json = { "content-type": "application/json" };
  const cases = (): Case[] => [
    {
      name: "text/plain fault from another site",
      method: "POST",
      path: "/_sim/faults",
      headers: { "content-type": "text/plain", origin: "https://evil.example" },
      body: FAULT,
      status: 403,
    },
    {
      name: "text/plain fault with no Origin (form-like body)",
      method: "POST",
      path: "/_sim/faults",
      headers: { "content-type": "text/plain" },
      body: FAULT,
      status: 415,
    },
    {
      name: "JSON fault from another site",
      method: "POST",
      path: "/_sim/faults",
      headers: { ...json, origin: "http://evil.example" },
      body: FAULT,
      status: 403,
    },
    {
      name: "JSON fault from Origin: null",
      method: "POST",
      path: "/_sim/faults",
      headers: { ...json, origin: "null" },
      body: FAULT,
      status: 403,
    },
    {
      name: "JSON fault marked cross-site by the browser",
      method: "POST",
      path: "/_sim/faults",
      headers: { ...json, "sec-fetch-site": "cross-site" },
      body: FAULT,
      status: 403,
    },
    {
      name: "reset from another site",
      method: "POST",
      path: "/_sim/reset",
      headers: { origin: "http://evil.example" },
      status: 403,
    },
    {
      name: "advance from a same-site but other origin",
      method: "POST",
      path: "/_sim/advance?ms=1000",
      headers: { origin: "http://localhost:1" },
      status: 403,
    },
    {
      name: "clear faults from another site",
      method: "DELETE",
      path: "/_sim/faults",
      headers: { origin: "http://evil.example" },
      status: 403,
    },
  ];

  for (const c of cases()) {
    it(`refuses: ${c.name}`, async () => {
      const before = sim.inspector.faults().length;
      const clock = sim.inspector.now().getTime();
      const answer = await send(sim, c, host);
      expect(answer.status).toBe(c.status);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { field: expect.any(String) } });
      // Nothing changed: no fault installed, clock not moved.
      expect(sim.inspector.faults()).toHaveLength(before);
      expect(sim.inspector.now().getTime()).toBe(clock);
    });
  }

  it("refuses a browser's request under a rebound DNS name (Origin and Host agree, but name no loopback)", async () => {
    // DNS rebinding: a page on rebind.example re-points its name at 127.0.0.1; to the browser the request is
    // same-origin, so Origin and Host both say rebind.example. IP literals and localhost names cannot be
    // rebound; a browser's request to the inspector under any other name is refused.
    const rebound = `rebind.example:${new URL(sim.url).port}`;
    for (const [method, path, body] of [
      ["POST", "/_sim/faults", FAULT],
      ["POST", "/_sim/reset", undefined],
      ["DELETE", "/_sim/faults", undefined],
    ] as const) {
      const answer = await send(
        sim,
        { name: "", method, path, headers: { ...json, origin: `http://${rebound}` }, body, status: 403 },
        rebound,
      );
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { field: "host" } });
    }
    expect(sim.inspector.faults()).toHaveLength(0);
  });

  it("accepts the same fault as JSON from the same origin and from a non-browser client", async () => {
    const sameOrigin = await send(
      sim,
      {
        name: "",
        method: "POST",
        path: "/_sim/faults",
        headers: { ...json, origin: `http://${host}`, "sec-fetch-site": "same-origin" },
        body: FAULT,
        status: 201,
      },
      host,
    );
    expect(sameOrigin.status).toBe(201);
    const tool = await send(
      sim,
      { name: "", method: "POST", path: "/_sim/faults", headers: json, body: FAULT, status: 201 },
      host,
    );
    expect(tool.status).toBe(201);
    expect(sim.inspector.faults()).toHaveLength(2);
    const clear = await send(
      sim,
      { name: "", method: "DELETE", path: "/_sim/faults", headers: {}, status: 200 },
      host,
    );
    expect(clear.status).toBe(200);
    expect(sim.inspector.faults()).toHaveLength(0);
  });

  it("still answers cross-site reads it cannot be harmed by (no CORS headers are sent)", async () => {
    const read = await send(
      sim,
      {
        name: "",
        method: "GET",
        path: "/_sim/faults",
        headers: { origin: "http://evil.example" },
        status: 200,
      },
      host,
    );
    expect(read.status).toBe(200);
  });
});
