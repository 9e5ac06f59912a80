/**
 * End to end over real HTTP: the simulator's own callbacks (signed, duplicated, reordered, retried) drive
 * the receiver; and a message sent through the real outbox ends in the right final state in the outbox's
 * store after its callback comes back through the receiver.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient, recipientKey, type SmscClient, type StatusSink } from "@smsc-kit/core";
import { createOutbox, type Outbox, openSqliteStore, wireId } from "@smsc-kit/outbox";
import { type RunningSimulator, type SimulatorOptions, startSimulator } from "@smsc-kit/simulator";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  openPgWebhookStore,
  openSqliteWebhookStore,
  startWebhookServer,
  type WebhookServer,
  type WebhookStore,
} from "../src/index.js";
import { formBody, signed } from "./helpers/callbacks.js";
import { FORM, rawRequest } from "./helpers/http.js";
import { openTestPg, type TestPg } from "./helpers/pg.js";

const SECRET = "e2e-callback-secret";
const DELIVERED = "7999111";
const FAILED = "7999222";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "webhook-e2e-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function rig(store: WebhookStore, sim: Partial<SimulatorOptions>, secret = SECRET) {
  const server: WebhookServer = await startWebhookServer({
    store,
    secret: SECRET,
    port: 0,
    path: "/smsc/status",
  });
  cleanups.push(() => server.close());
  const simulator: RunningSimulator = await startSimulator({
    accounts: [{ login: "demo", psw: "demo", callback: { url: server.url, secret } }],
    rules: {
      rateLimits: false,
      lifecycle: { handoffMs: 1000, deliveryMs: 1000 },
      phones: [{ prefix: FAILED, status: 20, err: 1 }],
    },
    clock: { frozen: true },
    ...sim,
  });
  cleanups.push(() => simulator.close());
  const client: SmscClient = createSmscClient(
    { login: "demo", psw: "demo" },
    { baseUrl: new URL(simulator.url).origin, fallbackUrls: [], timeoutMs: 2_000 },
  );
  cleanups.push(() => client.close());
  return { server, simulator, client };
}

const stores: { name: string; open(): Promise<WebhookStore> }[] = [
  { name: "sqlite", open: async () => openSqliteWebhookStore({ filename: join(tempDir(), "webhook.db") }) },
  {
    name: "postgres",
    async open() {
      const pg: TestPg = await openTestPg("e2e");
      const store = await openPgWebhookStore({ pool: pg.pool, schema: pg.schema });
      cleanups.push(() => pg.drop());
      return store;
    },
  },
];

describe.each(stores)("simulator callbacks into the receiver ($name)", ({ open }) => {
  it("ends every (message, phone) in the simulator's final state despite duplicates and reordering", async () => {
    const store = await open();
    cleanups.push(() => store.close());
    const { simulator, client } = await rig(store, {
      callbacks: { duplicate: true, reorder: true, retryDelaysMs: [20] },
    });
    await client.send({ phones: [`${DELIVERED}0001`, `${FAILED}0001`], mes: "Код: 1234", id: "e2e-multi" });
    await client.send({ phones: `${DELIVERED}0002`, mes: "Hello", id: "e2e-single" });
    simulator.inspector.advance(2_000);

    const messages = simulator.inspector.messages();
    expect(messages).toHaveLength(3);
    // Each status change is sent once more after a 200, so every change arrives twice.
    await vi.waitFor(
      () =>
        expect(
          simulator.inspector.pendingCallbacks() === 0 &&
            simulator.inspector.callbacks().filter((a) => a.delivered && a.duplicate).length === 6,
          "all callbacks and their duplicates answered",
        ).toBeTruthy(),
      { timeout: 15_000 },
    );
    const attempts = simulator.inspector.callbacks();
    expect(attempts.every((a) => a.httpStatus === 200)).toBe(true);

    for (const message of messages) {
      const state = await store.getMessage(message.id, message.phone);
      expect(state).toMatchObject({ status: message.status, err: message.err, final: true });
      // Reordered: the final status arrived first, the late "handed to operator" did not move it back;
      // duplicates were stored once.
      const history = await store.history(message.id, message.phone);
      expect(history.map((e) => [e.status, e.applied])).toEqual([
        [message.status, true],
        [0, false],
      ]);
    }
    expect((await store.getMessage("e2e-multi", `${FAILED}0001`))?.status).toBe(20);
    expect((await store.listMessage("e2e-multi")).map((s) => s.phone)).toEqual([
      `${DELIVERED}0001`,
      `${FAILED}0001`,
    ]);
  });
});

describe("simulator callbacks signed with another secret", () => {
  it("are refused with 403 on every retry and nothing is stored", async () => {
    const store = openSqliteWebhookStore({ filename: join(tempDir(), "webhook.db") });
    cleanups.push(() => store.close());
    const { simulator, client } = await rig(
      store,
      { callbacks: { retryDelaysMs: [10], maxAttempts: 3, statuses: "final" } },
      "an-old-secret",
    );
    await client.send({ phones: `${DELIVERED}0003`, mes: "hi", id: "e2e-forged" });
    simulator.inspector.advance(2_000);
    await vi.waitFor(() => expect(simulator.inspector.callbacks().length, "three refused attempts").toBe(3), {
      timeout: 15_000,
    });
    expect(simulator.inspector.callbacks().map((a) => a.httpStatus)).toEqual([403, 403, 403]);
    expect(await store.history("e2e-forged")).toEqual([]);
  });
});

describe("with the outbox as the status sink", () => {
  it("a message sent through the outbox ends in its final state in the outbox's store", async () => {
    const dir = tempDir();
    const webhookStore = openSqliteWebhookStore({ filename: join(dir, "webhook.db") });
    cleanups.push(() => webhookStore.close());
    // Wiring order: the simulator needs the receiver's URL, the outbox needs the simulator's, so the
    // receiver's sink hands each update to the outbox once it exists.
    let outbox: Outbox | undefined;
    const sink: StatusSink = {
      markStatus: (update) => {
        if (!outbox) throw new Error("outbox not started yet");
        return outbox.markStatus(update);
      },
    };
    const server = await startWebhookServer({
      store: webhookStore,
      secret: SECRET,
      sink,
      path: "/smsc/status",
    });
    cleanups.push(() => server.close());
    const wired = await startSimulator({
      accounts: [{ login: "demo", psw: "demo", callback: { url: server.url, secret: SECRET } }],
      rules: {
        rateLimits: false,
        lifecycle: { handoffMs: 10, deliveryMs: 10 },
        phones: [{ prefix: FAILED, status: 20, err: 1 }],
      },
      callbacks: { duplicate: true, reorder: true, retryDelaysMs: [20] },
    });
    cleanups.push(() => wired.close());
    const client = createSmscClient(
      { login: "demo", psw: "demo" },
      { baseUrl: new URL(wired.url).origin, fallbackUrls: [], timeoutMs: 2_000 },
    );
    cleanups.push(() => client.close());
    outbox = createOutbox({
      store: openSqliteStore({ filename: join(dir, "outbox.db") }),
      client,
      pollIntervalMs: 20,
    });

    const [delivered, failed] = await outbox.enqueue([
      { phones: `${DELIVERED}0009`, mes: "Ваш заказ отправлен" },
      { phones: `${FAILED}0009`, mes: "Ваш заказ отправлен" },
    ]);
    outbox.start({ concurrency: 2 });
    const started = outbox;
    cleanups.push(() => started.stop({ timeoutMs: 2_000 }));

    const finalIn = async (smscId: string) => {
      const statuses = await started.store.recipientStatuses(smscId);
      return statuses.length === 1 &&
        statuses[0]!.source === "callback" &&
        [1, 20].includes(statuses[0]!.status)
        ? statuses[0]
        : undefined;
    };
    const deliveredStatus = await vi.waitFor(
      async () => {
        const found = await finalIn(delivered!.smscId);
        expect(found, "delivered status in the outbox").toBeTruthy();
        return found!;
      },
      { timeout: 15_000 },
    );
    const failedStatus = await vi.waitFor(
      async () => {
        const found = await finalIn(failed!.smscId);
        expect(found, "failed status in the outbox").toBeTruthy();
        return found!;
      },
      { timeout: 15_000 },
    );
    expect(deliveredStatus).toMatchObject({ phone: `${DELIVERED}0009`, status: 1, err: 0 });
    expect(failedStatus).toMatchObject({ phone: `${FAILED}0009`, status: 20, err: 1 });

    // The late "handed to operator" callback reached the receiver after the final one and moved nothing.
    await vi.waitFor(() => expect(wired.inspector.pendingCallbacks(), "callbacks settled").toBe(0), {
      timeout: 15_000,
    });
    // The receiver journals what SMSC sent: the id of the request that carried the message (the outbox sent both
    // rows in one request, under one id: wireId) and the phone.
    const deliveredRow = await started.get(delivered!.rowId);
    const journal = await webhookStore.history(wireId(deliveredRow!));
    expect(
      journal
        .filter((e) => recipientKey(e.phone) === recipientKey(`${DELIVERED}0009`))
        .map((e) => [e.status, e.applied]),
    ).toEqual([
      [1, true],
      [0, false],
    ]);
    expect((await started.store.recipientStatuses(delivered!.smscId))[0]?.status).toBe(1);

    // A callback for a message nobody sent through the outbox: the outbox does not know it, the
    // receiver still stores it and answers OK (SMSC would otherwise retry it forever).
    const stranger = await rawRequest(server.port, "/smsc/status", {
      body: formBody(signed({ id: "sent-elsewhere", phone: "79990000000", status: "1", err: "0" }, SECRET)),
      contentType: FORM,
    });
    expect(stranger).toEqual({ status: 200, body: "OK" });
    expect((await webhookStore.getMessage("sent-elsewhere", "79990000000"))?.status).toBe(1);
    expect(await started.store.recipientStatuses("sent-elsewhere")).toEqual([]);
  });
});
