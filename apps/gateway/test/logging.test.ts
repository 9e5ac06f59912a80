import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logging.js";

describe("gateway logger", () => {
  it("redacts passwords, keys and secrets wherever they sit in a logged object", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const logger = createLogger({ destination });
    logger.info(
      {
        smsc: { login: "gw", psw: "psw-VALUE-1", apikey: "apikey-VALUE-2" },
        smtp: {
          users: [{ username: "shop", password: "smtp-VALUE-3" }],
          relay: { auth: { pass: "pass-VALUE-6" } },
        },
        webhook: { secret: "secret-VALUE-4" },
        headers: { authorization: "Basic auth-VALUE-5" },
        config: { smtp: { dsn: { transport: { auth: { user: "relay", pass: "smarthost-VALUE-7" } } } } },
      },
      "config loaded",
    );
    const output = lines.join("");
    expect(output).toContain('"login":"gw"');
    expect(output).toContain('"username":"shop"');
    expect(output).toContain('"user":"relay"');
    expect(output).toContain("[redacted]");
    for (const value of [
      "psw-VALUE-1",
      "apikey-VALUE-2",
      "smtp-VALUE-3",
      "secret-VALUE-4",
      "auth-VALUE-5",
      "pass-VALUE-6",
      "smarthost-VALUE-7",
    ]) {
      expect(output).not.toContain(value);
    }
  });
});
