import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { listen } from "@smsc-kit/runtime";
import { describe, expect, it } from "vitest";
import { freePort } from "../src/cli/free-port.js";
import { validateConfig } from "../src/config/load.js";
import { startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";

/**
 * A start-up that fails half-way (the SMTP port is taken, after the stores and the HTTP server are up) goes
 * through the same shutdown sequence as close(): it leaves nothing listening and no store open behind it.
 */
describe("gateway shutdown sequence", () => {
  it("undoes a start-up that failed half-way: HTTP port free again, SQLite file reusable", async () => {
    const taken = createServer();
    const { port: smtpPort } = await listen(taken);
    const httpPort = await freePort("127.0.0.1", 0);
    const dir = await mkdtemp(join(tmpdir(), "smsc-gw-shutdown-"));
    const lines: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString("utf8"));
          done();
        },
      }),
    });
    const config = validateConfig({
      smsc: { baseUrl: "http://127.0.0.1:9", login: "down", psw: "down-Password-1" },
      store: { sqlite: join(dir, "gw.sqlite") },
      smtp: { port: smtpPort, users: [{ username: "shop", password: "Shop-Password-9" }] },
      http: { port: httpPort },
    });
    try {
      await expect(startGateway(config, logger)).rejects.toThrow();
      // The HTTP server that had started is closed: its port can be bound again.
      const again = createServer();
      await expect(listen(again, { port: httpPort })).resolves.toMatchObject({ port: httpPort });
      await new Promise<void>((resolve) => again.close(() => resolve()));
      expect(lines.join("")).not.toMatch(/shutdown step failed/);
      // The stores were closed cleanly: a second gateway on the same file starts and stops.
      const second = await startGateway({ ...config, smtp: { ...config.smtp, enabled: false } }, logger);
      await second.close();
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
