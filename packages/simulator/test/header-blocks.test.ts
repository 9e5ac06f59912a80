import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { DEMO, envelope, rawPost, startTestSimulator } from "./helpers.js";

/**
 * SMSC's operations take no SOAP headers, so the simulator understands none: a header block marked
 * mustUnderstand and addressed to it gets the MustUnderstand fault, and the request has no effect.
 */
const run = promisify(execFile);
const SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12 = "http://www.w3.org/2003/05/soap-envelope";

const PHP_SCRIPT = `
$c = new SoapClient($argv[1], ['soap_version' => $argv[2] === '1.2' ? SOAP_1_2 : SOAP_1_1]);
$c->__setSoapHeaders([new SoapHeader('urn:example:auth', 'Ticket', 'abc', true)]);
try {
  $c->send_sms(['login' => 'demo', 'psw' => 'demo', 'phones' => '79990005566', 'mes' => 'hdr', 'id' => '', 'sender' => '', 'time' => '0']);
  echo json_encode(null);
} catch (SoapFault $f) {
  echo json_encode(['code' => $f->faultcode, 'string' => $f->faultstring]);
}
`;

function withHeader(block: string, soapNs = SOAP11): string {
  return envelope("balance", DEMO)
    .replace(SOAP11, soapNs)
    .replace("<soap:Body>", `<soap:Header>${block}</soap:Header><soap:Body>`);
}

describe("SOAP header blocks", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  it.each(["1.1", "1.2"])(
    "PHP's SoapClient (SOAP %s) with a mustUnderstand header gets the MustUnderstand fault and sends nothing",
    async (version) => {
      const { stdout } = await run(
        "php",
        ["-d", "soap.wsdl_cache_enabled=0", "-r", PHP_SCRIPT, sim.wsdlUrl, version],
        { timeout: 20_000 },
      );
      const fault = JSON.parse(stdout) as { code: string; string: string } | null;
      expect(fault?.code).toMatch(/MustUnderstand$/);
      expect(fault?.string).toContain("Ticket");
      expect(sim.inspector.messages()).toEqual([]);
    },
  );

  it.each([
    ["SOAP 1.1, mustUnderstand=1", `<t:Ticket xmlns:t="urn:t" soap:mustUnderstand="1">x</t:Ticket>`, SOAP11],
    [
      "SOAP 1.1, actor next",
      `<t:Ticket xmlns:t="urn:t" soap:mustUnderstand="1" soap:actor="http://schemas.xmlsoap.org/soap/actor/next">x</t:Ticket>`,
      SOAP11,
    ],
    [
      "SOAP 1.2, mustUnderstand=true",
      `<t:Ticket xmlns:t="urn:t" soap:mustUnderstand="true">x</t:Ticket>`,
      SOAP12,
    ],
  ])("refuses a block it must understand (%s)", async (_name, block, soapNs) => {
    const response = await rawPost(sim, withHeader(block, soapNs));
    expect(response.status).toBe(500);
    expect(response.text).toMatch(/soap:MustUnderstand/);
  });

  it.each([
    ["no mustUnderstand", `<t:Ticket xmlns:t="urn:t">x</t:Ticket>`, SOAP11],
    ["mustUnderstand=0", `<t:Ticket xmlns:t="urn:t" soap:mustUnderstand="0">x</t:Ticket>`, SOAP11],
    [
      "another actor",
      `<t:Ticket xmlns:t="urn:t" soap:mustUnderstand="1" soap:actor="urn:proxy">x</t:Ticket>`,
      SOAP11,
    ],
    [
      "SOAP 1.2 role none",
      `<t:Ticket xmlns:t="urn:t" soap:mustUnderstand="true" soap:role="${SOAP12}/role/none">x</t:Ticket>`,
      SOAP12,
    ],
    [
      "a mustUnderstand attribute outside the SOAP namespace",
      `<t:Ticket xmlns:t="urn:t" t:mustUnderstand="1">x</t:Ticket>`,
      SOAP11,
    ],
  ])("ignores a block it need not understand (%s)", async (_name, block, soapNs) => {
    const response = await rawPost(sim, withHeader(block, soapNs));
    expect(response.status).toBe(200);
    expect(response.text).toContain("<balance>1000.00</balance>");
  });
});
