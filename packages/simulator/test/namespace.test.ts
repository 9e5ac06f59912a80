import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createClientAsync } from "soap";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { call, DEMO, envelope, rawPost, startTestSimulator } from "./helpers.js";

/**
 * A client reads an answer by the namespace its WSDL declares, and writes its requests in it. The
 * simulator's WSDL names the host it was fetched through, so a client whose WSDL came from elsewhere
 * (SMSC's own, namespace https://smsc.ru/sys/soap.php, or ours through 127.0.0.1 while calling through
 * localhost) must still get answers in its namespace: the one its request used.
 */
const run = promisify(execFile);
const SMSC_WSDL = fileURLToPath(new URL("../../../spec/smsc.wsdl", import.meta.url));
const SMSC_NAMESPACE = "https://smsc.ru/sys/soap.php";

// zeep with a WSDL from one place and the service address of another (what create_service is for).
const ZEEP_SCRIPT = `
import json, sys
from zeep import Client
from zeep.helpers import serialize_object
c = Client(sys.argv[1])
binding = next(iter(c.wsdl.bindings))
s = c.create_service(binding, sys.argv[2])
out = {"binding": binding}
out["get_balance"] = serialize_object(s.get_balance(login="demo", psw="demo"), dict)
out["send_sms"] = serialize_object(s.send_sms(login="demo", psw="demo", phones="79990003344", mes="ns test", id="", sender="", time="0"), dict)
print(json.dumps(out))
`;

describe("answers in the namespace the request used", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  async function zeep(wsdl: string, address: string): Promise<Record<string, Record<string, unknown>>> {
    const { stdout } = await run("/usr/bin/python3", ["-c", ZEEP_SCRIPT, wsdl, address], { timeout: 30_000 });
    return JSON.parse(stdout) as Record<string, Record<string, unknown>>;
  }

  it("python zeep built from SMSC's own WSDL reads the simulator's answers", async () => {
    const out = await zeep(SMSC_WSDL, sim.url);
    expect(out["binding"]).toBe(`{${SMSC_NAMESPACE}}ServiceSoap`);
    expect(out["get_balance"]).toMatchObject({ balance: "1000.00", error: "0" });
    expect(out["send_sms"]).toMatchObject({ id: "1", cnt: "1" });
    expect(sim.inspector.messages().map((m) => m.mes)).toEqual(["ns test"]);
  });

  it("python zeep with the WSDL fetched through 127.0.0.1, calling through localhost", async () => {
    const localhost = sim.url.replace("127.0.0.1", "localhost");
    const out = await zeep(sim.wsdlUrl, localhost);
    expect(out["binding"]).toBe(`{${sim.url}}ServiceSoap`);
    expect(out["get_balance"]).toMatchObject({ balance: "1000.00", error: "0" });
    expect(out["send_sms"]).toMatchObject({ id: "1", cnt: "1" });
  });

  it("node-soap built from SMSC's own WSDL reads the simulator's answers", async () => {
    const client = await createClientAsync(SMSC_WSDL, {}, sim.url);
    let answer = "";
    client.on("response", (body: string) => {
      answer = body;
    });
    expect(await call(client, "get_balance", DEMO)).toMatchObject({ balance: "1000.00", error: "0" });
    expect(answer).toContain(`<BalanceResponse xmlns="${SMSC_NAMESPACE}">`);
  });

  it("echoes any namespace it was asked in, escaped, and falls back to its own for an unqualified request", async () => {
    const asked = await rawPost(
      sim,
      envelope("balance", DEMO).replace(' xmlns="x"', ' xmlns="urn:a&amp;b&quot;c"'),
    );
    expect(asked.text).toContain('<BalanceResponse xmlns="urn:a&amp;b&quot;c">');
    const unqualified = envelope("balance", DEMO).replace(' xmlns="x"', "");
    expect((await rawPost(sim, unqualified)).text).toContain(`<BalanceResponse xmlns="${sim.url}">`);
  });
});
