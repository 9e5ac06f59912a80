import { createSmscClient, SmscApiError, type SmscClient } from "@smsc-kit/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { call, DEMO, soapClient, startCallbackReceiver, startTestSimulator } from "./helpers.js";

/**
 * `err=1` (docs/protocol.md §2.2 "err"): the good recipients are sent, the refused ones are listed in
 * `errors` with their statuses; only a request with no good recipient fails. And `list` sends: one id,
 * a status per (id, phone), a callback per recipient. All over real HTTP with core's client.
 */
describe("partial sends (err=1) and list sends", () => {
  let sim: RunningSimulator;
  let client: SmscClient;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  const BAD_FORMAT_RULE = "7900007"; // well-formed, but SMSC calls the number invalid (error 7)
  const NO_ROUTE_RULE = "7900008"; // the number cannot be reached (error 8)

  beforeAll(async () => {
    receiver = await startCallbackReceiver();
    sim = await startTestSimulator({
      accounts: [{ login: "demo", psw: "demo", balance: 100, callback: { url: receiver.url } }],
      rules: {
        lifecycle: { handoffMs: 1000, deliveryMs: 1000 },
        phones: [
          { prefix: BAD_FORMAT_RULE, sendError: 7 },
          { prefix: NO_ROUTE_RULE, sendError: 8 },
        ],
      },
      callbacks: { retryDelaysMs: [20], statuses: "final" },
    });
    client = createSmscClient(
      { login: "demo", psw: "demo" },
      {
        baseUrl: new URL(sim.url).origin,
        fallbackUrls: [],
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      },
    );
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
    await receiver.close();
  });
  beforeEach(() => {
    sim.inspector.reset();
    receiver.received.length = 0;
  });

  async function apiError(promise: Promise<unknown>): Promise<SmscApiError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SmscApiError);
    return error as SmscApiError;
  }

  it("err=1 sends to the good numbers and lists the refused ones with their statuses", async () => {
    const sent = await client.send({
      phones: ["79990000001", `${BAD_FORMAT_RULE}0001`, "79990000002", `${NO_ROUTE_RULE}0001`],
      mes: "Hello",
      id: "p1",
      err: true,
      cost: 3,
    });
    // Two recipients sent and charged (1.50 each); the two refused ones cost nothing.
    expect(sent).toMatchObject({ id: "p1", cnt: 2, cost: 3, balance: 97 });
    expect(sent.errors).toEqual([
      { phone: `${BAD_FORMAT_RULE}0001`, status: 22 },
      { phone: `${NO_ROUTE_RULE}0001`, status: 25 },
    ]);
    // get_status per (id, phone) tells the same story as the answer.
    expect(await client.status({ id: "p1", phone: `${BAD_FORMAT_RULE}0001` })).toMatchObject({
      status: 22,
      final: true,
    });
    expect(await client.status({ id: "p1", phone: `${NO_ROUTE_RULE}0001` })).toMatchObject({ status: 25 });
    expect(await client.status({ id: "p1", phone: "79990000001" })).toMatchObject({ status: -1 });
    // The inspector counts recipients, not requests: one send, two taken to send, two refused.
    expect(sim.inspector.counters().sends).toEqual({
      accepted: 1,
      recipients: 2,
      refusedRecipients: 2,
      largest: 4,
    });
    expect(sim.inspector.messages().map((m) => [m.phone, m.refused])).toEqual([
      ["79990000001", false],
      ["79990000002", false],
      [`${BAD_FORMAT_RULE}0001`, true],
      [`${NO_ROUTE_RULE}0001`, true],
    ]);
    sim.inspector.advance(2000);
    expect(await client.status({ id: "p1", phone: "79990000002" })).toMatchObject({ status: 1 });
  });

  it("a price quote with err=1 prices the recipients the send would charge", async () => {
    const quote = await client.cost({
      phones: ["79990000001", `${NO_ROUTE_RULE}0001`],
      mes: "Hello",
      err: true,
    });
    expect(quote).toMatchObject({ cnt: 1, cost: 1.5 });
    const error = await apiError(
      client.cost({ phones: ["79990000001", `${NO_ROUTE_RULE}0001`], mes: "Hello" }),
    );
    expect(error.code).toBe(8);
  });

  it("without err=1 one bad number still fails the whole request, and nothing is sent", async () => {
    const error = await apiError(
      client.send({ phones: ["79990000001", `${BAD_FORMAT_RULE}0001`], mes: "Hello", id: "p2" }),
    );
    expect(error.code).toBe(7);
    expect(sim.inspector.messages()).toEqual([]);
    expect(sim.inspector.balance("demo")).toBe(100);
  });

  it("err=1 with no valid recipient fails with error 7 and charges nothing", async () => {
    const error = await apiError(
      client.send({
        phones: [`${BAD_FORMAT_RULE}0001`, `${BAD_FORMAT_RULE}0002`],
        mes: "Hello",
        err: true,
      }),
    );
    expect(error.code).toBe(7);
    expect(sim.inspector.messages()).toEqual([]);
    expect(sim.inspector.balance("demo")).toBe(100);
  });

  it("err=1 sets aside a number in no recipient format (what core would refuse), over node-soap", async () => {
    const soap = await soapClient(sim);
    const result = await call(soap, "send_sms2", {
      ...DEMO,
      phones: "79990000003,12",
      mes: "Hi",
      query: "err=1&id=p3",
    });
    expect(result["id"]).toBe("p3");
    expect(result["cnt"]).toBe("1");
    expect(result["errors"]).toEqual([{ phone: "12", status: "22" }]);
    expect(sim.inspector.messages().map((m) => [m.phone, m.status])).toEqual([
      ["79990000003", -1],
      ["12", 22],
    ]);
    expect((await call(soap, "send_sms2", { ...DEMO, phones: "+71234", mes: "Hi" }))["error"]).toBe("7");
    // A number in the right characters that no numbering plan has is set aside the same way.
    const impossible = await call(soap, "send_sms2", {
      ...DEMO,
      phones: "+71234,79990000005",
      mes: "Hi",
      query: "err=1&id=p4",
    });
    expect(impossible).toMatchObject({ id: "p4", cnt: "1", errors: [{ phone: "+71234", status: "22" }] });
    const allBad = await call(soap, "send_sms2", { ...DEMO, phones: "12;ab", mes: "Hi", query: "err=1" });
    expect(allBad).toEqual({ error: "7" });
    // Another error of the request itself still fails it whole, whatever err says.
    const badTime = await call(soap, "send_sms2", {
      ...DEMO,
      phones: "79990000004,12",
      mes: "Hi",
      query: "err=1&time=99.99.99 99:99",
    });
    expect(badTime).toEqual({ error: "5" });
  });

  it("a list send has one id, a status per (id, phone) and a callback per recipient", async () => {
    const sent = await client.send({
      phones: "",
      mes: "",
      id: "L1",
      list: [
        { phones: ["79990000011", "79990000012"], mes: "first text" },
        { phones: "79990000013", mes: "second text" },
      ],
    });
    expect(sent).toMatchObject({ id: "L1", cnt: 3 });
    // Every recipient of every line is a message of its own, counted as such.
    expect(sim.inspector.counters().sends).toEqual({
      accepted: 1,
      recipients: 3,
      refusedRecipients: 0,
      largest: 3,
    });
    const phones = ["79990000011", "79990000012", "79990000013"];
    const texts = ["first text", "first text", "second text"];
    for (const [i, phone] of phones.entries()) {
      expect(await client.status({ id: "L1", phone, all: 1 })).toMatchObject({
        status: -1,
        phone,
        message: texts[i],
      });
    }
    sim.inspector.advance(2000);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(3), { timeout: 5000 });
    const callbacks = receiver.received.map((r) => [r.fields["id"], r.fields["phone"], r.fields["status"]]);
    expect(callbacks.sort()).toEqual(phones.map((phone) => ["L1", phone, "1"]));
    for (const phone of phones) {
      expect(await client.status({ id: "L1", phone })).toMatchObject({ status: 1, final: true });
    }
  });

  it("a list send with err=1 sends the good lines and lists the refused recipient of another line", async () => {
    const sent = await client.send({
      phones: "",
      mes: "",
      id: "L2",
      err: true,
      list: [
        { phones: "79990000021", mes: "one" },
        { phones: [`${NO_ROUTE_RULE}0002`, "79990000022"], mes: "two" },
      ],
    });
    expect(sent).toMatchObject({ id: "L2", cnt: 2 });
    expect(sent.errors).toEqual([{ phone: `${NO_ROUTE_RULE}0002`, status: 25 }]);
    expect(sim.inspector.counters().sends).toMatchObject({ recipients: 2, refusedRecipients: 1 });
    sim.inspector.advance(2000);
    // The refused recipient's final status is reported by callback too, like any final status.
    await vi.waitFor(() => expect(receiver.received).toHaveLength(3), { timeout: 5000 });
    const statuses = Object.fromEntries(
      receiver.received.map((r) => [r.fields["phone"], r.fields["status"]]),
    );
    expect(statuses).toEqual({ "79990000021": "1", "79990000022": "1", [`${NO_ROUTE_RULE}0002`]: "25" });
  });
});
