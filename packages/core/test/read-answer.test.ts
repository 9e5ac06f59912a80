import { describe, expect, it } from "vitest";
import { buildFaultEnvelope, buildResponseEnvelope, EnvelopeParseError } from "../src/index.js";
import { readAnswer } from "../src/soap/read-answer.js";

const NS = "http://127.0.0.1:8900/sys/soap.php";
const open = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>`;
const close = "</soap:Body></soap:Envelope>";

describe("readAnswer (the client's answer reader)", () => {
  it("reads a result, keeping values exactly, repeated records as arrays", () => {
    const xml = buildResponseEnvelope(
      "send_sms2",
      {
        id: "007",
        cnt: "2",
        errors: [
          { phone: "7999", status: "22" },
          { phone: "7888", status: "23" },
        ],
      },
      NS,
    );
    expect(readAnswer(xml)).toEqual({
      kind: "response",
      operation: "send_sms2",
      result: {
        id: "007",
        cnt: "2",
        errors: [
          { phone: "7999", status: "22" },
          { phone: "7888", status: "23" },
        ],
      },
    });
  });

  it("decodes entities, character references and CDATA, and keeps spaces inside values", () => {
    const xml = `${open}<StatusResponse xmlns="${NS}"><statusresult><status>1</status><message> a &amp; b&#13;<![CDATA[<c>]]> </message></statusresult></StatusResponse>${close}`;
    const answer = readAnswer(xml);
    expect(answer.kind === "response" && answer.result["message"]).toBe(" a & b\r<c> ");
  });

  it("keeps an element SMSC added that has children, as one record", () => {
    const xml = `${open}<BalanceResponse xmlns="${NS}"><balanceresult><balance>1.00</balance><extra><a>1</a></extra></balanceresult></BalanceResponse>${close}`;
    const answer = readAnswer(xml);
    expect(answer.kind === "response" && answer.result).toEqual({ balance: "1.00", extra: [{ a: "1" }] });
  });

  it("reads SOAP 1.1 and SOAP 1.2 faults", () => {
    expect(readAnswer(buildFaultEnvelope("Client", "Bad Request"))).toEqual({
      kind: "fault",
      faultCode: "soap:Client",
      faultString: "Bad Request",
    });
    const soap12 = `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text xml:lang="en">down</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`;
    expect(readAnswer(soap12)).toEqual({ kind: "fault", faultCode: "env:Receiver", faultString: "down" });
  });

  it("refuses what is not an answer, and a failure leaves the next read clean", () => {
    const good = buildResponseEnvelope("get_balance", { balance: "5.00" }, NS);
    expect(() => readAnswer(`${open}<SendResponse xmlns="${NS}"><sendresult><id>1</i`)).toThrow(
      EnvelopeParseError,
    );
    expect(readAnswer(good)).toEqual({
      kind: "response",
      operation: "get_balance",
      result: { balance: "5.00" },
    });
    expect(() => readAnswer(`${open}<Nope/>${close}`)).toThrow(/unknown SOAP body element <Nope>/);
    expect(() => readAnswer(`${open}<BalanceResponse xmlns="${NS}"/>${close}`)).toThrow(
      /has no <balanceresult>/,
    );
    expect(() => readAnswer(`<!DOCTYPE x [<!ENTITY a "b">]>${good}`)).toThrow(/DTD/);
    expect(() => readAnswer("<html><body>proxy error</body></html>")).toThrow(EnvelopeParseError);
    expect(readAnswer(good).kind).toBe("response");
  });
});
