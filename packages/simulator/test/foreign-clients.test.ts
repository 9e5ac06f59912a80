import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { startTestSimulator } from "./helpers.js";

/**
 * Standard SOAP clients from other ecosystems, installed from Debian (`php-cli php-soap python3-zeep`).
 * They must be present: a missing binary fails these tests, it does not skip them.
 */
const run = promisify(execFile);

// The calls exactly as written on SMSC's SOAP page (smscentre.com/api/soap, docs/protocol.md §1), against our WSDL URL.
const PHP_SCRIPT = `
$client = new SoapClient($argv[1]);
$out = [];
$ret = $client->send_sms(array('login'=>'alex', 'psw'=>'123', 'phones'=>'79999999999', 'mes'=>'Hello world!', 'id'=>'', 'sender'=>'ivan', 'time'=>0));
$out['send_sms'] = $ret->sendresult;
$ret = $client->get_sms_cost(array('login'=>'alex', 'psw'=>'123', 'phones'=>'79999999999', 'mes'=>'Hello world!'));
$out['get_sms_cost'] = $ret->costresult;
$ret = $client->get_status(array('login'=>'alex', 'psw'=>'123', 'phone'=>'79999999999', 'id'=>'1', 'all'=>'0'));
$out['get_status'] = $ret->statusresult;
$ret = $client->get_status(array('login'=>'alex', 'psw'=>'123', 'phone'=>'79999999999', 'id'=>'999', 'all'=>'0'));
$out['get_status_unknown'] = $ret->statusresult;
$ret = $client->get_balance(array('login'=>'alex', 'psw'=>'123'));
$out['get_balance'] = $ret->balanceresult;
$ret = $client->send_sms2(array('login'=>'alex', 'psw'=>'123', 'phones'=>'79999999998', 'mes'=>'Hi', 'query'=>'cost=3&translit=1'));
$out['send_sms2'] = $ret->sendresult;
$ret = $client->get_balance(array('login'=>'alex', 'psw'=>'wrong'));
$out['bad_login'] = $ret->balanceresult;
echo json_encode($out);
`;

const ZEEP_SCRIPT = `
import json, sys
from zeep import Client
from zeep.helpers import serialize_object
c = Client(sys.argv[1])
out = {}
out["send_sms"] = c.service.send_sms(login="alex", psw="123", phones="79999999999", mes="Hello world!", id="", sender="ivan", time="0")
out["get_sms_cost2"] = c.service.get_sms_cost2(login="alex", psw="123", phones="79999999999", mes="x" * 200, query="maxsms=5")
out["get_status2"] = c.service.get_status2(login="alex", psw="123", phone="79999999999", id="1", all="1", query="")
out["get_balance"] = c.service.get_balance(login="alex", psw="123")
out["bad_login"] = c.service.send_sms(login="alex", psw="nope", phones="79999999999", mes="x")
print(json.dumps({k: serialize_object(v, dict) for k, v in out.items()}))
`;

describe("PHP SoapClient and python zeep against the simulator", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator({ accounts: [{ login: "alex", psw: "123", balance: 500 }] });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  it("PHP's SoapClient runs the SMSC page's calls and reads the documented results", async () => {
    const { stdout } = await run("php", ["-d", "soap.wsdl_cache_enabled=0", "-r", PHP_SCRIPT, sim.wsdlUrl], {
      timeout: 20_000,
    });
    const out = JSON.parse(stdout) as Record<string, Record<string, string>>;
    expect(out["send_sms"]).toEqual({ id: "1", cnt: "1" });
    expect(out["get_sms_cost"]).toEqual({ cost: "1.50", cnt: "1" });
    expect(out["get_status"]).toMatchObject({ status: "-1", err: "0" });
    expect(out["get_status_unknown"]).toEqual({ error: "3" });
    expect(out["get_balance"]).toEqual({ balance: "498.50", error: "0" });
    expect(out["send_sms2"]).toMatchObject({ id: "2", cnt: "1", cost: "1.50", balance: "497.00" });
    expect(out["bad_login"]).toEqual({ error: "2" });
  });

  it("python zeep runs the same operations through the WSDL", async () => {
    const { stdout } = await run("/usr/bin/python3", ["-c", ZEEP_SCRIPT, sim.wsdlUrl], { timeout: 30_000 });
    const out = JSON.parse(stdout) as Record<string, Record<string, string | null>>;
    expect(out["send_sms"]).toMatchObject({ id: "1", cnt: "1", error: null });
    expect(out["get_sms_cost2"]).toMatchObject({ cost: "3.00", cnt: "2" });
    expect(out["get_status2"]).toMatchObject({ status: "-1", phone: "79999999999", message: "Hello world!" });
    expect(out["get_balance"]).toMatchObject({ balance: "498.50", error: "0" });
    expect(out["bad_login"]).toMatchObject({ error: "2", id: null });
  });
});
