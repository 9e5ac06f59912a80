import type { Client } from "soap";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { call, DEMO, envelope, rawPost, soapClient, startTestSimulator } from "./helpers.js";

/**
 * node-soap (a SOAP 1.1 client nobody here wrote), built from the simulator's own ?wsdl, calls all seven
 * operations with the parameter sets of the SMSC SOAP page and reads the documented results.
 */
describe("node-soap client against the simulator", () => {
  let sim: RunningSimulator;
  let client: Client;

  beforeAll(async () => {
    sim = await startTestSimulator({
      accounts: [
        { login: "demo", psw: "demo", apikey: "demo-key", balance: 1000 },
        { login: "poor", psw: "poor", balance: 1, prices: { sms: 2.5 } },
        { login: "ivan-only", psw: "x", senders: ["ivan"] },
      ],
    });
    client = await soapClient(sim);
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  it("serves a WSDL whose address, soapAction and namespace are the simulator's own origin", async () => {
    const text = await (await fetch(sim.wsdlUrl)).text();
    expect(text).toContain(`<soap:address location="${sim.url}"/>`);
    expect(text).toContain(`targetNamespace="${sim.url}"`);
    expect(text).toContain(`soapAction="${sim.url}"`);
    expect(text).not.toContain('https://smsc.ru/sys/soap.php"');
    expect(Object.keys(client.describe().Service.ServiceSoap).sort()).toEqual([
      "get_balance",
      "get_sms_cost",
      "get_sms_cost2",
      "get_status",
      "get_status2",
      "send_sms",
      "send_sms2",
    ]);
  });

  it("send_sms with the page's parameters: id assigned, cnt = parts × recipients, charged", async () => {
    const result = await call(client, "send_sms", {
      ...DEMO,
      phones: "79999999999",
      mes: "Hello world!",
      id: "",
      sender: "ivan",
      time: 0,
    });
    expect(result["error"]).toBeUndefined();
    expect(result["id"]).toBe("1");
    expect(result["cnt"]).toBe("1");
    expect(sim.inspector.balance("demo")).toBeCloseTo(1000 - 1.5, 6);
    const two = await call(client, "send_sms", {
      ...DEMO,
      phones: "79990000001,+79990000002;79990000003",
      mes: "x".repeat(161),
    });
    expect(two["cnt"]).toBe(String(2 * 3));
    expect(two["id"]).toBe("2");
  });

  it("send_sms keeps the client's id; Cyrillic text counts 70/67 per part", async () => {
    const result = await call(client, "send_sms", {
      ...DEMO,
      phones: "79991112233",
      mes: "Привет".repeat(12),
      id: "order-42",
    });
    expect(result).toMatchObject({ id: "order-42", cnt: "2" });
    expect(sim.inspector.message("order-42", "79991112233")?.parts).toBe(2);
  });

  it("send_sms2 honours cost=2 and cost=3 from query, and cost=1 prices without sending", async () => {
    const priced = await call(client, "send_sms2", {
      ...DEMO,
      phones: "79990000001",
      mes: "hi",
      query: "cost=1",
    });
    expect(priced).toMatchObject({ cost: "1.50", cnt: "1" });
    expect(priced["id"]).toBeUndefined();
    expect(sim.inspector.messages()).toHaveLength(0);
    const withCost = await call(client, "send_sms2", {
      ...DEMO,
      phones: "79990000001",
      mes: "a",
      query: "cost=2",
    });
    expect(withCost).toMatchObject({ id: "1", cnt: "1", cost: "1.50" });
    expect(withCost["balance"]).toBeUndefined();
    const withBalance = await call(client, "send_sms2", {
      ...DEMO,
      phones: "79990000001",
      mes: "b",
      query: "cost=3",
    });
    expect(withBalance).toMatchObject({ cnt: "1", cost: "1.50", balance: "997.00" });
  });

  it("send_sms2 accepts apikey inside query and prices each kind from the account's table", async () => {
    const result = await call(client, "send_sms2", {
      login: "",
      psw: "",
      phones: "79990000001",
      mes: "flash!",
      query: "apikey=demo-key&flash=1&cost=3",
    });
    expect(result).toMatchObject({ cnt: "1", cost: "1.50" });
    expect(sim.inspector.messages()[0]).toMatchObject({ kind: "flash", type: 1 });
  });

  it("translit makes Cyrillic text count as Latin (160 per part instead of 70)", async () => {
    const mes = "Привет мир ".repeat(10); // 110 characters
    const plain = await call(client, "get_sms_cost2", { ...DEMO, phones: "79990000001", mes, query: "" });
    const translit = await call(client, "get_sms_cost2", {
      ...DEMO,
      phones: "79990000001",
      mes,
      query: "translit=1",
    });
    expect([plain["cnt"], translit["cnt"]]).toEqual(["2", "1"]);
  });

  it("a bad voice `param` is tolerated (SMSC falls back to its defaults), a bad `voice` is refused", async () => {
    const ok = await call(client, "send_sms2", {
      ...DEMO,
      phones: "79990000001",
      mes: "call me",
      query: "call=1&param=abc",
    });
    expect(ok["error"]).toBeUndefined();
    expect(ok["id"]).toBeDefined();
    const bad = await call(client, "send_sms2", {
      ...DEMO,
      phones: "79990000001",
      mes: "call me",
      query: "call=1&voice=robot",
    });
    expect(bad).toEqual({ error: "1" });
  });

  it("kinds that ignore the text (hlr) bill one part per recipient, whatever the text", async () => {
    const mes = "x".repeat(200); // two SMS parts as text; unused by an HLR request
    const result = await call(client, "send_sms2", {
      ...DEMO,
      phones: "79990000001,79990000002",
      mes,
      query: "hlr=1&cost=2",
    });
    expect(result).toMatchObject({ cnt: "2", cost: "3.00" });
    expect(sim.inspector.messages().map((m) => [m.kind, m.type])).toEqual([
      ["hlr", 4],
      ["hlr", 4],
    ]);
  });

  it("send_sms2 with list sends per-line texts under one id", async () => {
    const list = "79990000001:first line\n79990000002,79990000003:second\\nline";
    const result = await call(client, "send_sms2", {
      ...DEMO,
      phones: "",
      mes: "",
      query: new URLSearchParams({ list }).toString(),
    });
    expect(result["error"]).toBeUndefined();
    expect(result["cnt"]).toBe("3");
    const messages = sim.inspector.messages();
    expect(messages.map((m) => m.phone)).toEqual(["79990000001", "79990000002", "79990000003"]);
    expect(new Set(messages.map((m) => m.id)).size).toBe(1);
    expect(messages[2]?.mes).toBe("second\nline");
  });

  it("hlr and ping need no mes, and a list alone carries phones and texts (core judges it, per line)", async () => {
    const hlr = await call(client, "send_sms2", { ...DEMO, phones: "79990000001", query: "hlr=1" });
    expect(hlr["error"]).toBeUndefined();
    const list = await call(client, "send_sms2", {
      ...DEMO,
      query: new URLSearchParams({ list: "79990000004:only list" }).toString(),
    });
    expect(list["error"]).toBeUndefined();
    expect(sim.inspector.messages().map((m) => [m.phone, m.kind])).toEqual([
      ["79990000001", "hlr"],
      ["79990000004", "sms"],
    ]);
    const badLine = await call(client, "send_sms2", {
      ...DEMO,
      query: new URLSearchParams({ list: "79990000005:fine\nnot-a-phone:bad" }).toString(),
    });
    expect(badLine).toEqual({ error: "7" });
    expect(sim.inspector.messages()).toHaveLength(2);
  });

  it("get_sms_cost and get_sms_cost2 price without sending", async () => {
    const cost = await call(client, "get_sms_cost", { ...DEMO, phones: "79999999999", mes: "Hello world!" });
    expect(cost).toMatchObject({ cost: "1.50", cnt: "1" });
    const cost2 = await call(client, "get_sms_cost2", {
      ...DEMO,
      phones: "79999999999,79999999998",
      mes: "x".repeat(200),
      query: "maxsms=1",
    });
    expect(cost2).toMatchObject({ cnt: "2", cost: "3.00" });
    expect(sim.inspector.messages()).toHaveLength(0);
  });

  it("get_status and get_status2 report the message; all=1 and all=2 add the documented fields", async () => {
    await call(client, "send_sms", {
      ...DEMO,
      phones: "79999999999",
      mes: "Hello world!",
      id: "999",
      sender: "ivan",
    });
    const plain = await call(client, "get_status", { ...DEMO, phone: "79999999999", id: "999", all: "0" });
    expect(plain).toMatchObject({ status: "-1", err: "0", last_date: "10.03.2026 10:00:00" });
    expect(plain["last_timestamp"]).toBe(String(Date.parse("2026-03-10T07:00:00Z") / 1000));
    expect(plain["phone"]).toBeUndefined();
    expect(plain["sms_cnt"]).toBeUndefined();
    const full = await call(client, "get_status", { ...DEMO, phone: "79999999999", id: "999", all: "1" });
    expect(full).toMatchObject({
      phone: "79999999999",
      cost: "1.50",
      sender_id: "ivan",
      status_name: "Waiting to be sent",
      message: "Hello world!",
      send_date: "10.03.2026 10:00:00",
      sms_cnt: "1",
    });
    expect(full["operator"]).toBeUndefined();
    const two = await call(client, "get_status2", {
      ...DEMO,
      phone: "79999999999",
      id: "999",
      all: "2",
      query: "",
    });
    expect(two).toMatchObject({ operator: "Simulated Operator", region: "Simulated Region", status: "-1" });
  });

  it("get_balance returns the balance with error 0", async () => {
    expect(await call(client, "get_balance", DEMO)).toEqual({ balance: "1000.00", error: "0" });
    expect(await call(client, "get_balance", { login: "", psw: "demo-key" })).toMatchObject({
      balance: "1000.00",
    });
  });

  it("tolerates an apikey element, which the WSDL does not declare", async () => {
    expect((await rawPost(sim, envelope("balance", { apikey: "demo-key" }))).text).toContain(
      "<balance>1000.00</balance>",
    );
    expect((await rawPost(sim, envelope("balance", { apikey: "wrong" }))).text).toContain("<error>2</error>");
  });

  it("answers the documented error codes in-band", async () => {
    const codes = {
      badLogin: await call(client, "send_sms", {
        login: "demo",
        psw: "wrong",
        phones: "79999999999",
        mes: "x",
      }),
      funds: await call(client, "send_sms", { login: "poor", psw: "poor", phones: "79999999999", mes: "x" }),
      date: await call(client, "send_sms", { ...DEMO, phones: "79999999999", mes: "x", time: "tomorrow" }),
      phone: await call(client, "send_sms", { ...DEMO, phones: "not-a-phone", mes: "x" }),
      sender: await call(client, "send_sms", {
        login: "ivan-only",
        psw: "x",
        phones: "79999999999",
        mes: "x",
        sender: "petr",
      }),
      params: await call(client, "send_sms", { ...DEMO, phones: "79999999999", mes: "x", id: "bad id!" }),
      unknown: await call(client, "get_status", { ...DEMO, phone: "79999999999", id: "12345" }),
      balanceAuth: await call(client, "get_balance", { login: "nobody", psw: "x" }),
    };
    expect(codes.badLogin).toEqual({ error: "2" });
    expect(codes.funds).toEqual({ error: "3" });
    expect(codes.date).toEqual({ error: "5" });
    expect(codes.phone).toEqual({ error: "7" });
    expect(codes.sender).toEqual({ error: "6" });
    expect(codes.params).toEqual({ error: "1" });
    expect(codes.unknown).toEqual({ error: "3" });
    expect(codes.balanceAuth).toEqual({ error: "2" });
    expect(sim.inspector.messages()).toHaveLength(0);
    expect(sim.inspector.counters().errors).toMatchObject({ 1: 1, 2: 2, 3: 2, 5: 1, 6: 1, 7: 1 });
  });
});
