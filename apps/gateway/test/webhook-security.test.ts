import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { callbackSignature } from "@smsc-kit/core";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/errors.js";
import { loadConfig, validateConfig } from "../src/config/load.js";
import type { GatewayConfigInput } from "../src/config/schema.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";
import { checkWebhookSecurity } from "../src/webhook-policy.js";

/** Secure by default: the gateway's webhook verifies signatures wherever SMSC (or anyone) can reach it. */
const quiet = createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
const running: RunningGateway[] = [];
afterAll(async () => {
  for (const gateway of running) await gateway.close();
});

async function configWith(overrides: Partial<GatewayConfigInput>) {
  const dir = await mkdtemp(join(tmpdir(), "smsc-gw-webhook-"));
  return validateConfig({
    smsc: { baseUrl: "http://127.0.0.1:9", login: "demo", psw: "demo-password" },
    store: { sqlite: join(dir, "gw.sqlite") },
    smtp: { enabled: false },
    outbox: { enabled: false },
    ...overrides,
    // The status page open (as before http.auth was required beyond loopback): these tests are about the webhook.
    http: { port: 0, allowUnauthenticated: true, ...overrides.http },
  });
}

async function refusal(overrides: Partial<GatewayConfigInput>): Promise<ConfigError> {
  const error = await startGateway(await configWith(overrides), quiet).then(
    (gateway) => {
      running.push(gateway);
      throw new Error("the gateway started");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("gateway webhook without a secret", () => {
  it("refuses to start listening beyond loopback, naming webhook.secret and allowUnsigned", async () => {
    const error = await refusal({ http: { host: "0.0.0.0" } });
    expect(error.problems[0]).toMatchObject({ path: "webhook.secret" });
    expect(error.problems[0]?.rule).toMatch(/http\.host 0\.0\.0\.0.*allowUnsigned: true/);
  });

  it("refuses to start behind a public URL SMSC would call", async () => {
    const error = await refusal({ webhook: { publicUrl: "https://gw.example.com/smsc/callback" } });
    expect(error.problems[0]?.rule).toMatch(/webhook\.publicUrl https:\/\/gw\.example\.com/);
  });

  it("starts when allowUnsigned says so in words, or when only loopback can reach it", async () => {
    running.push(
      await startGateway(
        await configWith({ http: { host: "0.0.0.0" }, webhook: { allowUnsigned: true } }),
        quiet,
      ),
    );
    running.push(await startGateway(await configWith({}), quiet));
  });

  it("is a check `smsc gateway --check` makes too, and the example config passes it beyond loopback", async () => {
    const example = await loadConfig({
      file: fileURLToPath(new URL("../gateway.example.yaml", import.meta.url)),
      env: {
        SMSC_GATEWAY__HTTP__HOST: "0.0.0.0",
        SMSC_GATEWAY__HTTP__AUTH__USERNAME: "ops",
        SMSC_GATEWAY__HTTP__AUTH__PASSWORD: "ops-password-1",
      },
      onWarning: () => {},
    });
    expect(example.webhook.secret).toEqual(expect.any(String));
    expect(example.webhook.allowUnsigned).toBe(false);
    expect(() => checkWebhookSecurity(example)).not.toThrow();
    expect(() =>
      checkWebhookSecurity({ ...example, webhook: { ...example.webhook, secret: undefined } }),
    ).toThrow(ConfigError);
  });
});

describe("gateway webhook with a secret and digests restricted to sha1", () => {
  const secret = "gw-callback-secret";
  const fields = (id: string, status: number) => ({ id, phone: "79991234567", status: String(status) });
  const sign = (f: Record<string, string>, algorithm: "md5" | "sha1") => ({
    ...f,
    [algorithm]: callbackSignature(f, secret, { algorithm }),
  });
  const cases = [
    { name: "a forged final status without a signature", body: (id: string) => fields(id, 1), status: 403 },
    { name: "md5 only (not trusted)", body: (id: string) => sign(fields(id, 1), "md5"), status: 403 },
    {
      name: "sha1 made with another secret",
      body: (id: string) => ({ ...fields(id, 1), sha1: "ab".repeat(20) }),
      status: 403,
    },
    { name: "a valid sha1", body: (id: string) => sign(fields(id, 1), "sha1"), status: 200 },
  ];
  let gateway: RunningGateway;

  it.each(cases)("$name → $status", async ({ body, status, name }) => {
    gateway ??= await startGateway(
      await configWith({ http: { host: "0.0.0.0" }, webhook: { secret, algorithms: ["sha1"] } }),
      quiet,
    ).then((g) => {
      running.push(g);
      return g;
    });
    const id = String(1000 + cases.findIndex((c) => c.name === name));
    const url = gateway.webhookUrl.replace("0.0.0.0", "127.0.0.1");
    const answer = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body(id)).toString(),
    });
    expect(answer.status).toBe(status);
    expect(await gateway.stores.webhook.history(id)).toHaveLength(status === 200 ? 1 : 0);
  });
});

describe("gateway webhook: replays of one captured signature", () => {
  it("leave the status page as it was after the first (3 × 100 replays with err, cost and ts changed)", async () => {
    const secret = "replay-secret";
    const gateway = await startGateway(await configWith({ webhook: { secret } }), quiet);
    running.push(gateway);
    const [message] = await gateway.outbox.enqueue({ phones: "79991234567", mes: "replay me" });
    const fields = { id: message!.smscId, phone: "79991234567", status: "1" };
    const signedFields = { ...fields, sha1: callbackSignature(fields, secret, { algorithm: "sha1" }) };
    const post = (extra: Record<string, string>) =>
      fetch(gateway.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...signedFields, ...extra }).toString(),
      });
    expect((await post({ err: "0" })).status).toBe(200);
    const page = async () => (await fetch(`${gateway.httpUrl}/`)).text();
    const before = await page();
    expect(before).toContain('data-status="1"');
    for (let n = 0; n < 100; n++) {
      const answers = await Promise.all([
        post({ err: String(n) }),
        post({ cost: `${n}.5` }),
        post({ ts: String(1_700_000_000 + n), note: "x".repeat(n) }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    }
    const after = await page();
    expect(after.length).toBe(before.length);
    expect(await gateway.stores.webhook.history(message!.smscId)).toHaveLength(1);
  });
});
