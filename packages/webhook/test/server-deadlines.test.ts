/** Node's own deadlines on the standalone server, enforced promptly (issue 14: request and header timeouts). */
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteWebhookStore, startWebhookServer } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "webhook-deadlines-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => join(dir, `d${++n}.db`);

describe("startWebhookServer deadlines", () => {
  it("cuts a client that never finishes its headers within its deadline, not Node's 30 s check interval", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const server = await startWebhookServer({ store, port: 0, path: "/", requestTimeoutMs: 400 });
    try {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        const socket = connect(server.port, "127.0.0.1", () =>
          socket.write("POST / HTTP/1.1\r\nHost: x\r\nX-Slow: "),
        );
        socket.resume();
        socket.on("close", () => resolve());
        socket.on("error", reject);
      });
      expect(performance.now() - started).toBeLessThan(2_500);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
