import { describe, expect, it } from "vitest";
import { buildFaultEnvelope, buildResponseEnvelope, EnvelopeParseError } from "../src/index.js";
import { readAnswer } from "../src/soap/read-answer.js";
import { readSimpleXml } from "../src/soap/simple-xml.js";

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

// The simple reader (simple-xml.ts) reads the plain XML answers are made of and hands anything else to saxes.
// It must never accept what saxes refuses nor read a document differently: both readers are run on every
// answer below and on thousands of broken variants of each, and must give the same answer or the same error.
describe("the simple reader agrees with saxes", () => {
  const outcome = (xml: string, fullParser: boolean) => {
    try {
      return { answer: readAnswer(xml, { fullParser }) };
    } catch (error) {
      return {
        error: error instanceof EnvelopeParseError ? error.message : `not an EnvelopeParseError: ${error}`,
      };
    }
  };
  const pretty = `<?xml version="1.0"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>\n  <soap:Body>\n    <StatusResponse xmlns="${NS}">\n      <statusresult>\n        <status xsi:type="xsd:string" >1</status >\n        <message>Привет, &quot;мир&quot; &lt;3 &amp; a > b</message>\n        <phone/>\n        <err></err>\n      </statusresult>\n    </StatusResponse>\n  </soap:Body>\n</soap:Envelope>\n`;
  const corpus = [
    buildResponseEnvelope(
      "send_sms2",
      { id: "007", cnt: "2", errors: [{ phone: "7999", status: "22" }] },
      NS,
    ),
    buildResponseEnvelope("get_status", { status: "1", message: `a & b < c > d "e" 'f'`, cost: "1.40" }, NS),
    buildResponseEnvelope("get_balance", { balance: "5.00", error: "0" }, NS, "1.2"),
    buildFaultEnvelope("Client", "Bad <Request> & more"),
    buildFaultEnvelope("Server", "down", "1.2"),
    pretty,
  ];
  // Outside the subset: saxes reads these (or refuses them) on its own.
  const fullParserOnly = [
    `${open}<BalanceResponse xmlns="${NS}"><balanceresult><balance>1<!-- c -->.00</balance></balanceresult></BalanceResponse>${close}`,
    `${open}<BalanceResponse xmlns="${NS}"><balanceresult><balance><![CDATA[1.00]]></balance></balanceresult></BalanceResponse>${close}`,
    `${open}<StatusResponse xmlns="${NS}"><statusresult><message>a&#13;b&#x41;</message></statusresult></StatusResponse>${close}`,
    `${open}<StatusResponse xmlns="${NS}"><statusresult><message>a\r\nb 😀</message></statusresult></StatusResponse>${close}`,
  ];
  const duplicateAttribute = `${open}<BalanceResponse xmlns="${NS}" a="1" a="2"><balanceresult/></BalanceResponse>${close}`;

  it("gives the same answer for well-formed answers, inside the subset and outside it", () => {
    for (const xml of [...corpus, ...fullParserOnly]) {
      const simple = outcome(xml, false);
      expect(simple).toEqual(outcome(xml, true));
      expect(simple.answer).toBeDefined();
    }
    // Within the subset the reading is the simple reader's own (it does not just hand everything on).
    const withoutDeclaration = (xml: string) =>
      xml.startsWith("<?xml") ? xml.slice(xml.indexOf("?>") + 2) : xml;
    const ignore = { open: () => {}, text: () => {}, close: () => {} };
    for (const xml of corpus) expect(readSimpleXml(withoutDeclaration(xml), ignore)).toBe(true);
    for (const xml of [...fullParserOnly, duplicateAttribute]) {
      expect(readSimpleXml(withoutDeclaration(xml), ignore)).toBe(false);
    }
    expect(outcome(duplicateAttribute, false)).toEqual(outcome(duplicateAttribute, true));
    expect(outcome(duplicateAttribute, false).error).toMatch(/malformed XML/);
    expect(outcome(pretty, false).answer).toMatchObject({
      result: { status: "1", message: `Привет, "мир" <3 & a > b`, phone: "", err: "" },
    });
  });

  it("gives the same answer or the same error for every broken variant of them", () => {
    const inserts = [
      "<",
      ">",
      "&",
      "/",
      '"',
      "'",
      " ",
      "=",
      ":",
      "]]>",
      "&#",
      "<a>",
      "</a>",
      "<!--",
      "?>",
      "\r",
      "\u0001",
      "x",
    ];
    let variants = 0;
    for (const xml of [...corpus, ...fullParserOnly, duplicateAttribute]) {
      for (let at = 0; at <= xml.length; at++) {
        const cases = [xml.slice(0, at), xml.slice(0, at) + xml.slice(at + 1)];
        for (const insert of inserts) cases.push(xml.slice(0, at) + insert + xml.slice(at));
        for (const variant of cases) {
          variants++;
          const simple = outcome(variant, false);
          const full = outcome(variant, true);
          if (JSON.stringify(simple) !== JSON.stringify(full)) {
            expect({ variant, simple }).toEqual({ variant, simple: full });
          }
        }
      }
    }
    expect(variants).toBeGreaterThan(50_000);
  });
});
