/**
 * One table of behavioural cases (in the style of Standard Webhooks' verifier tests), run against both
 * handlers: node `http` over real loopback HTTP, and the Fetch API handler.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebhookHandler, openSqliteWebhookStore, type WebhookStore } from "../src/index.js";
import { formBody, signed } from "./helpers/callbacks.js";
import { FORM, fetchTransport, nodeTransport, type TestRequest, type Transport } from "./helpers/http.js";

const SECRET = "s3cr3t-Пароль";
const MAX_BODY = 2048;

interface Case {
  name: string;
  requests: (id: string) => TestRequest[];
  statuses: number[];
  /** Text the last answer must contain (the bad field's name for 400s). */
  body?: RegExp;
  /** Status callbacks stored for the message afterwards. */
  stored: number;
  /** The message's current status afterwards. */
  state?: number;
  /** Incoming SMS stored for that id afterwards. */
  incoming?: number;
}

const post = (fields: Record<string, string>, contentType = FORM): TestRequest => ({
  body: formBody(fields),
  contentType,
});
const sign = (fields: Record<string, string>) => signed(fields, SECRET);
const status = (id: string, code: number, extra: Record<string, string> = {}) => ({
  id,
  phone: "79991234567",
  status: String(code),
  ...extra,
});

const cases: Case[] = [
  {
    name: "signed POST is stored and answered OK",
    requests: (id) => [post(sign(status(id, 1, { err: "0", cost: "1.50", sender_id: "SMSC.RU" })))],
    statuses: [200],
    body: /^OK$/,
    stored: 1,
    state: 1,
  },
  {
    name: "signed GET query is accepted like a POST",
    requests: (id) => [{ method: "GET", query: formBody(sign(status(id, 1))) }],
    statuses: [200],
    stored: 1,
    state: 1,
  },
  {
    name: "missing signature is refused",
    requests: (id) => [post(status(id, 1))],
    statuses: [403],
    body: /signature missing/,
    stored: 0,
  },
  {
    name: "tampered field is refused",
    requests: (id) => [post({ ...sign(status(id, 20, { err: "1" })), status: "1" })],
    statuses: [403],
    body: /signature mismatch/,
    stored: 0,
  },
  {
    name: "signature made with another secret is refused",
    requests: (id) => [post(signed(status(id, 1), "not-the-secret"))],
    statuses: [403],
    stored: 0,
  },
  {
    name: "a forged md5 next to a valid sha1 is refused",
    requests: (id) => [post({ ...sign(status(id, 1)), md5: "0".repeat(32) })],
    statuses: [403],
    stored: 0,
  },
  {
    name: "sha1 alone is enough",
    requests: (id) => {
      const { md5: _md5, ...rest } = sign(status(id, 1));
      return [post(rest)];
    },
    statuses: [200],
    stored: 1,
  },
  {
    name: "replay is stored once and answered OK",
    requests: (id) => [post(sign(status(id, 1))), post(sign(status(id, 1)))],
    statuses: [200, 200],
    stored: 1,
    state: 1,
  },
  {
    name: "out-of-order intermediate status is kept but does not move the state back",
    requests: (id) => [post(sign(status(id, 1))), post(sign(status(id, 0)))],
    statuses: [200, 200],
    stored: 2,
    state: 1,
  },
  {
    name: "garbage body is refused naming the field",
    requests: () => [{ body: Uint8Array.from([0xff, 0x00, 0x13, 0x37, 0x26, 0x3d]), contentType: FORM }],
    statuses: [400],
    body: /^id: /,
    stored: 0,
  },
  {
    name: "oversize body is refused",
    requests: (id) => [post(sign(status(id, 1, { pad: "x".repeat(MAX_BODY) })))],
    statuses: [413],
    body: /body: must be at most 2048 bytes/,
    stored: 0,
  },
  {
    name: "oversize body without a Content-Length is refused while it streams",
    requests: (id) => [{ ...post(sign(status(id, 1, { pad: "y".repeat(MAX_BODY * 2) }))), chunked: true }],
    statuses: [413],
    body: /body: must be at most 2048 bytes/,
    stored: 0,
  },
  {
    name: "non-numeric status is refused naming status",
    requests: (id) => [post(sign({ ...status(id, 1), status: "delivered" }))],
    statuses: [400],
    body: /^status: /,
    stored: 0,
  },
  {
    name: "a status code SMSC does not define is refused",
    requests: (id) => [post(sign(status(id, 99)))],
    statuses: [400],
    body: /^status: must be a status code SMSC defines/,
    stored: 0,
  },
  {
    name: "a field sent twice is refused",
    requests: (id) => [{ body: `${formBody(sign(status(id, 1)))}&status=0`, contentType: FORM }],
    statuses: [400],
    body: /^status: must be given once/,
    stored: 0,
  },
  {
    name: "PUT is not a callback",
    requests: (id) => [{ ...post(sign(status(id, 1))), method: "PUT" }],
    statuses: [405],
    stored: 0,
  },
  {
    name: "JSON is not what SMSC sends",
    requests: (id) => [{ body: JSON.stringify(sign(status(id, 1))), contentType: "application/json" }],
    statuses: [415],
    stored: 0,
  },
  {
    name: "Cyrillic in fields survives signing and storage",
    requests: (id) => [
      post(sign({ ...status(id, 1), phone: "Иван@пример.рф", sender_id: "Компания", комментарий: "Привет" })),
    ],
    statuses: [200],
    stored: 1,
  },
  {
    name: "windows-1251 form bodies are decoded by their declared charset (the phone is signed)",
    requests: (id) => {
      const fields = sign({ ...status(id, 1), phone: "Привет" });
      // "Привет" percent-encoded in windows-1251: a wrong decoding would break the signature.
      const body = formBody({ ...fields, phone: "X" }).replace("phone=X", "phone=%CF%F0%E8%E2%E5%F2");
      return [{ body, contentType: `${FORM}; charset=windows-1251` }];
    },
    statuses: [200],
    stored: 1,
  },
  {
    name: "replay with the unsigned err changed 0..199 stores one row (dedupe on the signed fields)",
    requests: (id) =>
      Array.from({ length: 200 }, (_, err) =>
        post({ ...sign(status(id, 20, { err: "1" })), err: String(err) }),
      ),
    statuses: Array.from({ length: 200 }, () => 200),
    stored: 1,
    state: 20,
  },
  {
    name: "replay with unsigned cost, ts and extra fields changed stores one row",
    requests: (id) =>
      Array.from({ length: 20 }, (_, n) =>
        post({ ...sign(status(id, 1)), cost: `${n}.00`, ts: String(1_700_000_000 + n), [`x${n}`]: "junk" }),
      ),
    statuses: Array.from({ length: 20 }, () => 200),
    stored: 1,
    state: 1,
  },
  {
    name: "signed incoming SMS replayed with 50 other texts stores one",
    requests: (id) =>
      Array.from({ length: 50 }, (_, n) =>
        post({ ...sign({ id, phone: "79991234567", mes: "original" }), mes: `forged ${n}`, tag: id }),
      ),
    statuses: Array.from({ length: 50 }, () => 200),
    stored: 0,
    incoming: 1,
  },
  {
    name: "signed incoming SMS without an id is refused: its text is not signed",
    requests: (id) => [post({ ...sign({ phone: "79991234567", mes: "who am I" }), tag: id })],
    statuses: [400],
    body: /^id: is required on a signed incoming SMS/,
    stored: 0,
    incoming: 0,
  },
  {
    name: "signed incoming SMS whose id is only in the unsigned sms_id is refused",
    requests: (id) => [post({ ...sign({ phone: "79991234567", mes: "hi" }), sms_id: id, tag: id })],
    statuses: [400],
    body: /^id: /,
    stored: 0,
    incoming: 0,
  },
  {
    name: "incoming SMS is stored",
    requests: (id) => [post(sign({ id, phone: "79991234567", mes: "Да, подтверждаю" }))],
    statuses: [200],
    stored: 0,
    incoming: 1,
  },
];

const dir = mkdtempSync(join(tmpdir(), "webhook-behaviour-"));
let store: WebhookStore;
let closeNode: () => Promise<void>;
const transports: Record<string, Transport> = {};

beforeAll(async () => {
  store = openSqliteWebhookStore({ filename: join(dir, "behaviour.db") });
  const handler = createWebhookHandler({ store, secret: SECRET, maxBodyBytes: MAX_BODY });
  const node = await nodeTransport(handler);
  closeNode = node.close;
  transports["node http"] = node.send;
  transports["fetch"] = fetchTransport(handler);
});

afterAll(async () => {
  await closeNode();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;

describe.each(["node http", "fetch"])("%s handler", (transportName) => {
  it.each(cases)("$name", async (testCase) => {
    const send = transports[transportName]!;
    const id = `b${++counter}`;
    const answers = [];
    for (const request of testCase.requests(id)) answers.push(await send(request));
    expect(answers.map((a) => a.status)).toEqual(testCase.statuses);
    if (testCase.body) expect(answers.at(-1)?.body).toMatch(testCase.body);
    expect(await store.history(id)).toHaveLength(testCase.stored);
    if (testCase.state !== undefined) {
      expect((await store.getMessage(id, "79991234567"))?.status).toBe(testCase.state);
    }
    const incoming = (await store.listIncoming({ limit: 10_000 })).filter(
      (sms) => sms.id === id || sms.raw["tag"] === id,
    );
    expect(incoming).toHaveLength(testCase.incoming ?? 0);
  });
});

describe("what the table's cases store", () => {
  it("keeps Cyrillic values and unknown fields exactly, without the signature fields", async () => {
    const send = transports["fetch"]!;
    const id = "cyrillic-detail";
    const fields = sign({ ...status(id, 1), phone: "Иван@пример.рф", комментарий: "Привет, мир" });
    expect((await send(post(fields))).status).toBe(200);
    const [event] = await store.history(id);
    expect(event?.phone).toBe("Иван@пример.рф");
    expect(event?.raw).toMatchObject({ комментарий: "Привет, мир" });
    expect(event?.raw).not.toHaveProperty("md5");
    expect(event?.raw).not.toHaveProperty("sha1");
  });
});
