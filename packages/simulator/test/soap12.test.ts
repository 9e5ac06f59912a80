import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { DEMO, envelope, rawPost, startTestSimulator } from "./helpers.js";

/**
 * SOAP 1.2 requests get SOAP 1.2 answers: the 1.2 envelope namespace and `application/soap+xml`, faults
 * with Code/Reason and HTTP 500, as PHP's SoapServer answers them. An Envelope in a
 * namespace of neither version gets SOAP 1.1's VersionMismatch fault.
 */
const run = promisify(execFile);
const SOAP12 = "http://www.w3.org/2003/05/soap-envelope";

// PHP's SoapClient speaking SOAP 1.2 (it sends application/soap+xml with the 1.2 envelope).
const PHP_SCRIPT = `
$c = new SoapClient($argv[1], ['soap_version' => SOAP_1_2, 'trace' => 1, 'exceptions' => true]);
$out = [];
$r = $c->get_balance(['login' => 'demo', 'psw' => 'demo']);
$out['balance'] = $r->balanceresult;
$out['request_headers'] = $c->__getLastRequestHeaders();
$out['response_headers'] = $c->__getLastResponseHeaders();
$out['response'] = $c->__getLastResponse();
try {
  $c->send_sms(['login' => 'demo', 'psw' => 'demo', 'phones' => '79990001234', 'mes' => 'x', 'id' => '', 'sender' => '', 'time' => '0']);
  $out['fault'] = null;
} catch (SoapFault $f) {
  $out['fault'] = ['code' => $f->faultcode, 'string' => $f->faultstring];
}
echo json_encode($out);
`;

function soap12Envelope(element: string, fields: Record<string, string>): string {
  return envelope(element, fields).replace("http://schemas.xmlsoap.org/soap/envelope/", SOAP12);
}

describe("SOAP 1.2", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  it("PHP's SoapClient with SOAP_1_2 gets SOAP 1.2 answers and reads a SOAP 1.2 fault", async () => {
    sim.inspector.setFault({ match: { operation: "send_sms" }, soapFault: "injected for the test" });
    const { stdout } = await run("php", ["-d", "soap.wsdl_cache_enabled=0", "-r", PHP_SCRIPT, sim.wsdlUrl], {
      timeout: 20_000,
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out["request_headers"]).toMatch(/Content-Type: application\/soap\+xml/i);
    expect(out["balance"]).toEqual({ balance: "1000.00", error: "0" });
    expect(out["response_headers"]).toMatch(/content-type: application\/soap\+xml; charset=utf-8/i);
    expect(out["response"]).toContain(`xmlns:soap="${SOAP12}"`);
    // PHP reads a 1.2 fault's Code/Value and Reason/Text (a 1.1 fault would say soap:Server).
    expect(out["fault"]).toEqual({ code: "soap:Receiver", string: "injected for the test" });
  });

  it("answers a raw SOAP 1.2 request in SOAP 1.2", async () => {
    const response = await fetch(sim.url, {
      method: "POST",
      body: soap12Envelope("balance", DEMO),
      headers: { "content-type": 'application/soap+xml; charset=utf-8; action="x"' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/soap+xml; charset=utf-8");
    const text = await response.text();
    expect(text).toContain(`<soap:Envelope xmlns:soap="${SOAP12}">`);
    expect(text).toContain("<balance>1000.00</balance>");
  });

  it("writes a fault about a bad SOAP 1.2 request as a 1.2 Sender fault with HTTP 500", async () => {
    const response = await fetch(sim.url, {
      method: "POST",
      body: soap12Envelope("delete_everything", DEMO),
      headers: { "content-type": "application/soap+xml; charset=utf-8" },
    });
    expect(response.status).toBe(500);
    expect(response.headers.get("content-type")).toBe("application/soap+xml; charset=utf-8");
    const text = await response.text();
    expect(text).toContain("<soap:Value>soap:Sender</soap:Value>");
    expect(text).toContain("delete_everything");
  });

  it("answers malformed XML sent as application/soap+xml with a 1.2 fault", async () => {
    const response = await fetch(sim.url, {
      method: "POST",
      body: "<not xml",
      headers: { "content-type": "application/soap+xml" },
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain(`xmlns:soap="${SOAP12}"`);
  });

  it("answers an Envelope of no SOAP version with SOAP 1.1's VersionMismatch fault", async () => {
    const body = envelope("balance", DEMO).replace(
      "http://schemas.xmlsoap.org/soap/envelope/",
      "urn:soap-99",
    );
    const response = await rawPost(sim, body);
    expect(response.status).toBe(500);
    expect(response.text).toContain('xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"');
    expect(response.text).toContain("<faultcode>soap:VersionMismatch</faultcode>");
  });
});
