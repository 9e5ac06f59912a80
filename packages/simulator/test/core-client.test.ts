import {
  classifyError,
  createSmscClient,
  ERROR_CODES,
  SmscApiError,
  type SmscClient,
  SmscSoapFaultError,
  SmscTransportError,
} from "@smsc-kit/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { startTestSimulator } from "./helpers.js";

/** Core's typed client against the simulator: results, every error class, and the unknown outcome. */
describe("@smsc-kit/core client against the simulator", () => {
  let sim: RunningSimulator;
  let client: SmscClient;

  beforeAll(async () => {
    sim = await startTestSimulator({
      accounts: [{ login: "demo", psw: "demo", apikey: "demo-key", balance: 100, senders: ["shop"] }],
      rules: {
        lifecycle: { handoffMs: 1000, deliveryMs: 1000 },
        phones: [{ prefix: "7900008", sendError: 8 }],
      },
    });
    client = createSmscClient(
      { login: "demo", psw: "demo" },
      {
        baseUrl: new URL(sim.url).origin,
        fallbackUrls: [],
        timeoutMs: 1500, // generous for a loaded machine; only the "hang" case waits it out
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      },
    );
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });
  beforeEach(() => sim.inspector.reset());

  async function apiError(promise: Promise<unknown>): Promise<SmscApiError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SmscApiError);
    return error as SmscApiError;
  }

  it("sends hlr without a text and a list-only send, as the catalog allows, and SMSC-style per-line checks refuse", async () => {
    const hlr = await client.send({ phones: "79990000011", mes: "", hlr: true });
    expect(hlr.cnt).toBe(1);
    const list = await client.send({
      phones: "",
      mes: "",
      list: [
        { phones: ["79990000012", "79990000013"], mes: "first\nline" },
        { phones: "79990000014", mes: "second" },
      ],
    });
    expect(list.cnt).toBe(3);
    expect(sim.inspector.messages().map((m) => [m.phone, m.kind, m.mes])).toEqual([
      ["79990000011", "hlr", ""],
      ["79990000012", "sms", "first\nline"],
      ["79990000013", "sms", "first\nline"],
      ["79990000014", "sms", "second"],
    ]);
    await expect(
      client.send({ phones: "", mes: "", list: [{ phones: "not-a-phone", mes: "x" }] }),
    ).rejects.toMatchObject({ name: "SmscValidationError", field: "list", smscError: 7 });
  });

  it("sends, prices, reads status through the lifecycle and the balance", async () => {
    const sent = await client.send({
      phones: ["79991234567", "79997654321"],
      mes: "Hello",
      id: "c1",
      cost: 3,
    });
    expect(sent).toMatchObject({ id: "c1", cnt: 2, cost: 3, balance: 97 });
    expect(await client.cost({ phones: "79991234567", mes: "x".repeat(200) })).toMatchObject({
      cost: 3,
      cnt: 2,
    });
    expect(await client.status({ phone: "79991234567", id: "c1" })).toMatchObject({
      status: -1,
      final: false,
    });
    sim.inspector.advance(2000);
    const delivered = await client.status({ phone: "79991234567", id: "c1", all: 1 });
    expect(delivered).toMatchObject({
      status: 1,
      final: true,
      phone: "79991234567",
      message: "Hello",
      cost: 1.5,
      // sms_cnt (catalog results.sms_cnt, all >= 1): the message's parts, decoded as a number.
      smsCnt: 1,
    });
    expect(delivered.lastDate?.getTime()).toBe(sim.inspector.now().getTime());
    expect((await client.balance()).balance).toBe(97);
  });

  it("maps the simulator's natural errors to the catalog's classes", async () => {
    const wrong = createSmscClient(
      { login: "demo", psw: "nope" },
      {
        baseUrl: new URL(sim.url).origin,
        fallbackUrls: [],
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      },
    );
    try {
      expect((await apiError(wrong.balance())).errorClass).toBe("auth");
    } finally {
      await wrong.close();
    }
    expect((await apiError(client.status({ phone: "79991234567", id: "missing" }))).errorClass).toBe(
      "not_found",
    );
    expect((await apiError(client.send({ phones: "79000081234", mes: "x" }))).errorClass).toBe(
      "invalid_recipient",
    );
    expect(
      (await apiError(client.send({ phones: "79991234567", mes: "x", sender: "other" }))).errorClass,
    ).toBe("denied");
    sim.inspector.setBalance("demo", 0.5);
    expect((await apiError(client.send({ phones: "79991234567", mes: "x" }))).errorClass).toBe("funds");
    sim.inspector.setBalance("demo", 100);
    await client.send({ phones: "79991234567", mes: "twice" });
    expect((await apiError(client.send({ phones: "79991234567", mes: "twice" }))).errorClass).toBe(
      "duplicate",
    );
    for (let i = 0; i < 10; i++) await client.balance();
    expect((await apiError(client.balance())).errorClass).toBe("rate_limited");
  });

  it("every catalog error code of every method reaches the client with its class", async () => {
    const calls = {
      send: () => client.send({ phones: "79991234567", mes: "x" }),
      cost: () => client.cost({ phones: "79991234567", mes: "x" }),
      status: () => client.status({ phone: "79991234567", id: "1" }),
      balance: () => client.balance(),
    } as const;
    const seen = new Set<string>();
    for (const [method, table] of Object.entries(ERROR_CODES) as [
      keyof typeof calls,
      Record<string, { code: number }>,
    ][]) {
      for (const { code } of Object.values(table)) {
        if (code === 0) continue;
        sim.inspector.setFault({ error: code, times: 1 });
        const error = await apiError(calls[method]());
        expect(error.code).toBe(code);
        expect(error.errorClass).toBe(classifyError(method, code).class);
        seen.add(error.errorClass);
      }
    }
    expect([...seen].sort()).toEqual(
      [
        "auth",
        "denied",
        "duplicate",
        "funds",
        "invalid_recipient",
        "invalid_request",
        "ip_blocked",
        "not_found",
        "rate_limited",
      ].sort(),
    );
  });

  it("timeout after accept: the send is unknown to the client, yet the message exists and status finds it", async () => {
    sim.inspector.setFault({
      match: { operation: ["send_sms", "send_sms2"] },
      afterAccept: "drop",
      times: 1,
    });
    const dropped = await client
      .send({ phones: "79991234567", mes: "maybe", id: "u1" })
      .catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(SmscTransportError);
    expect((dropped as SmscTransportError).outcome).toBe("unknown");
    expect((await client.status({ phone: "79991234567", id: "u1" })).status).toBe(-1);

    sim.inspector.setFault({
      match: { operation: ["send_sms", "send_sms2"] },
      afterAccept: "hang",
      times: 1,
    });
    const hung = await client
      .send({ phones: "79991234567", mes: "maybe again", id: "u2" })
      .catch((e: unknown) => e);
    expect((hung as SmscTransportError).outcome).toBe("unknown");
    expect(sim.inspector.message("u2", "79991234567")).toBeDefined();
  });

  it("HTTP 503 and SOAP Faults are transport errors", async () => {
    sim.inspector.setFault({ httpStatus: 503, times: 1 });
    const unavailable = await client.balance().catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(SmscTransportError);
    expect((unavailable as SmscTransportError).status).toBe(503);
    sim.inspector.setFault({ soapFault: "boom", times: 1 });
    expect(await client.balance().catch((e: unknown) => e)).toBeInstanceOf(SmscSoapFaultError);
  });
});
