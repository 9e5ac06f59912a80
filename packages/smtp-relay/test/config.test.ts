import { validateRequest } from "@smsc-kit/core";
import { describe, expect, it } from "vitest";
import { RelayConfigError, type RelayOptions, startRelay } from "../src/index.js";

const outbox: RelayOptions["outbox"] = {
  enqueue: () => Promise.reject(new Error("never reached: the relay must refuse to start")),
};
const base: RelayOptions = { users: { a: { password: "p" } }, domains: ["sms.example.com"], outbox };

async function startError(options: RelayOptions): Promise<unknown> {
  try {
    const relay = await startRelay(options);
    await relay.close();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("startRelay refuses a bad configuration before listening", () => {
  it("names the limit and the rule", async () => {
    const error = await startError({ ...base, limits: { maxParts: 0 } });
    expect(error).toBeInstanceOf(RelayConfigError);
    expect(error).toMatchObject({ field: "limits.maxParts", rule: "positive_integer" });
  });

  it("names a sender that breaks SMSC's sender rules", async () => {
    const error = await startError({ ...base, defaultSender: "Far too long a name" });
    const core = validateRequest("send", { mes: "x", sender: "Far too long a name" });
    const coreRule = core.ok ? undefined : core.error.issues.find((issue) => issue.field === "sender")?.rule;
    expect(coreRule).toBeDefined();
    expect(error).toMatchObject({ name: "RelayConfigError", field: "defaultSender", rule: coreRule });
  });

  it("refuses clear-text AUTH beyond loopback unless allowInsecureAuth says so", async () => {
    for (const host of ["0.0.0.0", "::"]) {
      expect(await startError({ ...base, host })).toMatchObject({
        name: "RelayConfigError",
        field: "allowInsecureAuth",
        rule: "tls_beyond_loopback",
      });
    }
    for (const options of [
      { ...base, host: "0.0.0.0", allowInsecureAuth: true },
      { ...base, host: "127.0.0.2" },
      { ...base, host: "localhost" },
      { ...base, host: "::1" },
    ]) {
      expect(await startError(options)).toBeUndefined();
    }
  });

  it("names a phone region that does not exist", async () => {
    expect(await startError({ ...base, phoneRegion: "XX" })).toMatchObject({
      name: "RelayConfigError",
      field: "phoneRegion",
      rule: "phone_region",
    });
  });

  it("needs domains", async () => {
    expect(await startError({ ...base, domains: [] })).toMatchObject({ field: "domains", rule: "non_empty" });
  });

  it("needs an outbox with dead-letter events when DSNs are configured", async () => {
    const error = await startError({
      ...base,
      dsn: { transport: { host: "127.0.0.1", port: 25 }, from: "mailer-daemon@sms.example.com" },
    });
    expect(error).toMatchObject({ field: "dsn", rule: "outbox_events" });
  });

  it("never puts a password into a configuration error", async () => {
    const error = await startError({
      ...base,
      users: { a: { password: "Hunter2-secret", sender: "Way too long sender" } },
    });
    expect(error).toBeInstanceOf(RelayConfigError);
    expect(String((error as Error).message)).not.toContain("Hunter2-secret");
  });
});
