import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load.js";

describe("gateway.example.yaml", () => {
  it("is a valid config (the documented example never drifts from the schema)", async () => {
    const config = await loadConfig({
      file: fileURLToPath(new URL("../gateway.example.yaml", import.meta.url)),
      env: {},
    });
    expect(config.smtp.domains).toEqual(["sms.example.com"]);
    expect(config.store.sqlite).toBe("./smsc-gateway.sqlite");
    expect(config.smtp.addressBook).toEqual({ duty: "79991234567" });
    expect(config.smtp.senders).toEqual({ "alerts@example.com": "Alerts" });
    expect(config.smtp.limits?.maxParts).toBe(6);
    expect(config.smtp.body?.attachments).toBe("ignore");
    expect(config.smtp.overflow).toBe("reject");
    expect(config.http).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      allowedHosts: [],
    });
  });
});
