/**
 * Secure by default: a standalone receiver will not listen beyond loopback without a secret unless told so
 * in words, and the digests it trusts can be narrowed (e.g. sha1 only) so a weaker one is not enough.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createWebhookHandler,
  isLoopbackHost,
  openSqliteWebhookStore,
  startWebhookServer,
  WebhookConfigError,
  type WebhookStore,
} from "../src/index.js";
import { formBody, signed } from "./helpers/callbacks.js";
import { FORM, nodeTransport } from "./helpers/http.js";

const SECRET = "narrow-digests";
const dir = mkdtempSync(join(tmpdir(), "webhook-secure-"));
let store: WebhookStore;
beforeAll(() => {
  store = openSqliteWebhookStore({ filename: join(dir, "secure.db") });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("startWebhookServer without a secret", () => {
  it("refuses to listen beyond loopback, naming the setting", async () => {
    for (const host of ["0.0.0.0", "::"]) {
      const attempt = startWebhookServer({ store, host, port: 0 });
      await expect(attempt).rejects.toBeInstanceOf(WebhookConfigError);
      await expect(attempt).rejects.toThrow(/secret: is required to listen on .* allowUnsigned: true/);
    }
  });

  it("listens beyond loopback when allowUnsigned says so, and on loopback without it", async () => {
    const open = await startWebhookServer({ store, host: "0.0.0.0", port: 0, allowUnsigned: true });
    await open.close();
    const local = await startWebhookServer({ store, port: 0 });
    await local.close();
  });

  it("knows loopback addresses from the rest", () => {
    expect(
      ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"].map(isLoopbackHost),
    ).toEqual([true, true, true, true, true, true]);
    expect(
      ["0.0.0.0", "::", "10.0.0.1", "example.com", "localhost.evil.com", "::ffff:10.0.0.1"].map(
        isLoopbackHost,
      ),
    ).toEqual([false, false, false, false, false, false]);
  });
});

describe("digests restricted to sha1", () => {
  const fields = (id: string) => ({ id, phone: "79991234567", status: "1" });
  const cases = [
    {
      name: "sha1 alone is accepted",
      body: (id: string) => withOnly(signed(fields(id), SECRET), "sha1"),
      status: 200,
    },
    {
      name: "md5 alone is refused as missing",
      body: (id: string) => withOnly(signed(fields(id), SECRET), "md5"),
      status: 403,
    },
    {
      name: "a valid md5 cannot rescue a forged sha1",
      body: (id: string) => ({ ...signed(fields(id), SECRET), sha1: "0".repeat(40) }),
      status: 403,
    },
  ];
  let send: Awaited<ReturnType<typeof nodeTransport>>;
  beforeAll(async () => {
    send = await nodeTransport(
      createWebhookHandler({ store, secret: SECRET, signature: { algorithms: ["sha1"] } }),
    );
  });
  afterAll(() => send.close());

  it.each(cases)("$name", async ({ body, status, name }) => {
    const id = `alg-${cases.findIndex((c) => c.name === name)}`;
    const answer = await send.send({ body: formBody(body(id)), contentType: FORM });
    expect(answer.status).toBe(status);
    expect(await store.history(id)).toHaveLength(status === 200 ? 1 : 0);
  });
});

function withOnly(fields: Record<string, string>, keep: "md5" | "sha1"): Record<string, string> {
  const { md5, sha1, ...rest } = fields;
  return { ...rest, ...(keep === "md5" ? { md5: md5! } : { sha1: sha1! }) };
}

describe("signed fields that leave part of the replay key unsigned", () => {
  it("are warned about once, naming the unsigned fields", () => {
    const lines: { message: string; details: unknown }[] = [];
    const logger = { warn: (details: unknown, message: string) => lines.push({ message, details }) };
    createWebhookHandler({ store, secret: SECRET, signature: { fields: ["id", "phone"] }, logger });
    createWebhookHandler({ store, secret: SECRET, logger });
    expect(lines).toEqual([
      {
        message:
          "webhook: signature.fields leaves part of the replay key unsigned; replays changing it are stored",
        details: { unsigned: ["status"] },
      },
    ]);
  });
});
