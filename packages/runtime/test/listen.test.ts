import { createServer, request } from "node:http";
import { createServer as createNetServer } from "node:net";
import { describe, expect, it } from "vitest";
import { closeServer, listen, urlHost } from "../src/listen.js";

/** A GET over loopback; resolves with the status, or rejects when the connection is refused or cut. */
function get(origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(origin, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("listen and closeServer", () => {
  it("binds a free port for 0, answers there, and stops answering once closed", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    const { port, origin } = await listen(server);
    expect(port).toBeGreaterThan(0);
    expect(origin).toBe(`http://127.0.0.1:${port}`); // loopback unless the caller says otherwise
    expect(await get(origin)).toBe(200);
    await closeServer(server);
    await expect(get(origin)).rejects.toThrow();
  });

  it("rejects with the listen error when the port is taken, leaving no listener behind", async () => {
    const holder = createNetServer();
    const { port } = await listen(holder);
    const second = createServer();
    await expect(listen(second, { port })).rejects.toMatchObject({ code: "EADDRINUSE" });
    expect(second.listenerCount("error")).toBe(0);
    await new Promise<void>((resolve) => holder.close(() => resolve()));
  });

  it("a second close is harmless unless strict", async () => {
    const server = createServer();
    await listen(server);
    await closeServer(server);
    await closeServer(server);
    await expect(closeServer(server, { strict: true })).rejects.toMatchObject({
      code: "ERR_SERVER_NOT_RUNNING",
    });
  });

  it("with connections: 'all' cuts a request that never gets an answer", async () => {
    const server = createServer(() => {
      // never answers: a hung request
    });
    const { origin } = await listen(server);
    const hung = get(origin);
    await new Promise<void>((resolve) => server.once("request", () => resolve()));
    await closeServer(server, { connections: "all" });
    await expect(hung).rejects.toThrow();
  });

  it("listens on the host and port it is given, and names them", async () => {
    const server = createServer((_req, res) => res.end("ok"));
    const { host, port, origin } = await listen(server, { host: "127.0.0.1", port: 0 });
    expect(host).toBe("127.0.0.1");
    expect(await get(origin)).toBe(200);
    expect(port).not.toBe(0);
    await closeServer(server);
  });

  it("writes an IPv6 host in brackets", () => {
    expect(urlHost("::1")).toBe("[::1]");
    expect(urlHost("127.0.0.1")).toBe("127.0.0.1");
  });
});
