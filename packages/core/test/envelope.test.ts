import * as soap from "soap";
import { describe, expect, it } from "vitest";
import {
  buildEnvelope,
  buildFaultEnvelope,
  buildResponseEnvelope,
  EnvelopeParseError,
  parseEnvelope,
} from "../src/soap/envelope.js";
import { WSDL_PATH } from "./helpers/node-soap-server.js";

const NS = "https://smsc.ru/sys/soap.php";

describe("buildEnvelope / parseEnvelope", () => {
  it("round-trips a request, whatever the text holds", () => {
    const fields = {
      login: "l",
      psw: "p<&>",
      phones: "+7999",
      mes: " Ёлка\r\n& <b> \"'😀 ",
      query: "a=1&b=%2B",
    };
    const parsed = parseEnvelope(buildEnvelope("send_sms2", fields, NS));
    expect(parsed).toEqual({ kind: "request", operation: "send_sms2", element: "send2", fields });
  });

  it("writes fields in WSDL order, empty required ones, and no unknown ones", () => {
    const xml = buildEnvelope("get_status", { id: "1", login: "l", extra: "x" }, NS);
    expect(xml).toContain(
      '<status xmlns="https://smsc.ru/sys/soap.php"><login>l</login><psw/><phone/><id>1</id></status>',
    );
  });

  it("round-trips a response with a repeated errors element, even a single one", () => {
    const xml = buildResponseEnvelope(
      "send_sms2",
      { id: "1", cnt: "2", errors: [{ phone: "7", status: "22" }] },
      NS,
    );
    expect(parseEnvelope(xml)).toEqual({
      kind: "response",
      operation: "send_sms2",
      element: "Send2Response",
      resultElement: "sendresult",
      result: { id: "1", cnt: "2", errors: [{ phone: "7", status: "22" }] },
    });
  });

  it("parses a fault", () => {
    expect(parseEnvelope(buildFaultEnvelope("Server", "oops & co"))).toEqual({
      kind: "fault",
      faultCode: "soap:Server",
      faultString: "oops & co",
      detail: undefined,
    });
  });

  it("writes SOAP 1.2 answers and faults in the 1.2 envelope namespace, with 1.2's fault codes", () => {
    const answer = buildResponseEnvelope("get_balance", { balance: "1.00", error: "0" }, "urn:x", "1.2");
    expect(answer).toContain('xmlns:soap="http://www.w3.org/2003/05/soap-envelope"');
    expect(parseEnvelope(answer)).toMatchObject({ kind: "response", result: { balance: "1.00" } });
    const fault = buildFaultEnvelope("Client", "bad < input", "1.2");
    expect(fault).toContain('xmlns:soap="http://www.w3.org/2003/05/soap-envelope"');
    expect(parseEnvelope(fault)).toEqual({
      kind: "fault",
      faultCode: "soap:Sender",
      faultString: "bad < input",
      detail: undefined,
    });
    expect(parseEnvelope(buildFaultEnvelope("VersionMismatch", "v"))).toMatchObject({
      faultCode: "soap:VersionMismatch",
    });
  });

  it("refuses what is not a SOAP envelope of ours", () => {
    expect(() => parseEnvelope("<html/>")).toThrow(EnvelopeParseError);
    expect(() => parseEnvelope("not xml <<<")).toThrow(EnvelopeParseError);
    const unknown = '<Envelope><Body><launch xmlns="x"><a>1</a></launch></Body></Envelope>';
    expect(() => parseEnvelope(unknown)).toThrow(/unknown SOAP body element <launch>/);
  });

  it("parses the request node-soap's client writes (what the simulator receives)", async () => {
    const client = await soap.createClientAsync(WSDL_PATH, {}, "http://127.0.0.1:9/sys/soap.php");
    let written = "";
    client.on("request", (xml: string) => {
      written = xml;
    });
    await client
      .get_status2Async({ login: "l", psw: "p", phone: "7999", id: "5", query: "all=1" })
      .catch(() => {});
    expect(parseEnvelope(written)).toEqual({
      kind: "request",
      operation: "get_status2",
      element: "status2",
      fields: { login: "l", psw: "p", phone: "7999", id: "5", query: "all=1" },
    });
  });
});

describe("parseEnvelope keeps what it does not model", () => {
  it("keeps unknown leaf and structured result elements", () => {
    const xml =
      '<Envelope><Body><BalanceResponse xmlns="x"><balanceresult><balance>1.00</balance><credit>5</credit>' +
      "<limits><daily>10</daily><monthly>300</monthly></limits></balanceresult></BalanceResponse></Body></Envelope>";
    expect(parseEnvelope(xml)).toMatchObject({
      kind: "response",
      result: { balance: "1.00", credit: "5", limits: [{ daily: "10", monthly: "300" }] },
    });
  });
});
