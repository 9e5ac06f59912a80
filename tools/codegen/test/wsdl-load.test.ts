import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import * as soap from "soap";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { parseAndGenerate, parseWsdl } from "wsdl-tsclient";
import { loadModel } from "../src/generate.js";
import { unreadable } from "../src/wsdl-frontend.js";
import { makeTmpDir, REAL_SPEC_DIR, removeDir } from "./helpers/mini-spec.js";

// spec/smsc.wsdl must load in node-soap 1.13 and wsdl-tsclient 1.7.1 without a warning.

const WSDL = path.join(REAL_SPEC_DIR, "smsc.wsdl");
const dirs: string[] = [];
let printed: string[] = [];

beforeEach(() => {
  printed = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(" "));
    });
  }
  const onWarning = (w: Error) => printed.push(`process warning: ${w.message}`);
  process.on("warning", onWarning);
  return () => process.off("warning", onWarning);
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

describe("spec/smsc.wsdl in third-party SOAP tooling", () => {
  it("node-soap builds a client with all seven operations and the documented fields", async () => {
    const client = await soap.createClientAsync(WSDL);
    const ports = client.describe() as Record<
      string,
      Record<string, Record<string, { input: object; output: object }>>
    >;
    const ops = ports.Service?.ServiceSoap ?? {};
    const model = await loadModel(REAL_SPEC_DIR);
    expect(Object.keys(ops).sort()).toEqual(model.operations.map((o) => o.name));
    for (const op of model.operations) {
      const input = Object.keys(ops[op.name]?.input ?? {}).filter((k) => !k.startsWith("target"));
      expect([op.name, input]).toEqual([op.name, op.inputFields.map((f) => f.name)]);
      expect(Object.keys(ops[op.name]?.output ?? {})).toEqual([op.resultElement]);
    }
    expect(Object.keys(ops.send_sms2?.output ?? {})).toEqual(["sendresult"]);
    expect(printed).toEqual([]);
  });

  it("wsdl-tsclient parses it and generates a client with no warning and no `any`", async () => {
    const parsed = await parseWsdl(WSDL, {});
    expect(parsed.ports.flatMap((p) => p.methods.map((m) => m.name)).sort()).toEqual([
      "get_balance",
      "get_sms_cost",
      "get_sms_cost2",
      "get_status",
      "get_status2",
      "send_sms",
      "send_sms2",
    ]);
    const out = await makeTmpDir("wsdl-tsclient");
    dirs.push(out);
    await parseAndGenerate(WSDL, out, { esm: true });
    // Its only output is progress ("Writing … file", "Generating finished"); a parse problem prints "Cannot parse ComplexType".
    expect(printed.filter((line) => !/^(Writing .* file: |Generating finished)/.test(line))).toEqual([]);
    const definitions = path.join(out, "smsc/definitions");
    const files = await readdir(definitions);
    expect(files.length).toBeGreaterThan(7);
    for (const file of files) {
      expect([file, /\bany\b/.test(await readFile(path.join(definitions, file), "utf8"))]).toEqual([
        file,
        false,
      ]);
    }
  });
});

describe("spec/smsc.wsdl between a node-soap server and a node-soap client", () => {
  it("round-trips send_sms2 with an `errors` list and get_balance over loopback", async () => {
    const { createServer } = await import("node:http");
    const xml = await readFile(WSDL, "utf8");
    const received: Record<string, unknown>[] = [];
    const service = {
      Service: {
        ServiceSoap: {
          send_sms2: (args: Record<string, unknown>) => {
            received.push(args);
            return {
              sendresult: {
                id: "7",
                cnt: "2",
                errors: [
                  { phone: "79990000001", status: "22" },
                  { phone: "79990000002", status: "25" },
                ],
              },
            };
          },
          get_balance: () => ({ balanceresult: { balance: "1000.00", error: "0" } }),
        },
      },
    };
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const soapServer = soap.listen(server, "/sys/soap.php", service, xml);
    // SMSC gives every operation the same soapAction (the namespace), and a node-soap server dispatches on
    // SOAPAction when the header is present, so it would route every call to the first operation. Dropping
    // the header makes it dispatch on the body element, as SMSC's own server must. (node-soap replaces the
    // server's request listeners once the WSDL is parsed; authorizeConnection runs before dispatch.)
    soapServer.authorizeConnection = (req) => {
      delete req.headers.soapaction;
      return true;
    };
    try {
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no port");
      const endpoint = `http://127.0.0.1:${address.port}/sys/soap.php`;
      const client = await soap.createClientAsync(WSDL, {}, endpoint);
      const [send] = (await client.send_sms2Async({
        login: "demo",
        psw: "demo",
        phones: "79990000001,79990000002",
        mes: "Привет",
        query: "err=1&tz=3",
      })) as [{ sendresult: { id: string; cnt: string; errors: { phone: string; status: string }[] } }];
      expect(received[0]).toMatchObject({
        phones: "79990000001,79990000002",
        mes: "Привет",
        query: "err=1&tz=3",
      });
      expect(send.sendresult).toEqual({
        id: "7",
        cnt: "2",
        errors: [
          { phone: "79990000001", status: "22" },
          { phone: "79990000002", status: "25" },
        ],
      });
      const [balance] = (await client.get_balanceAsync({ login: "demo", psw: "demo" })) as [
        { balanceresult: { balance: string; error: string } },
      ];
      expect(balance.balanceresult).toEqual({ balance: "1000.00", error: "0" });
      // node-soap's *server* touches a deprecated Node API (DEP0066); that is about node-soap, not the WSDL.
      expect(printed.filter((line) => !line.includes("OutgoingMessage.prototype._headers"))).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("wsdl-tsclient's give-ups, read from its public parse result", () => {
  it("names every property it typed `any` because it could not read the complexType", () => {
    const problems = unreadable([
      {
        name: "SendResponseType",
        properties: [
          { name: "id", kind: "PRIMITIVE", type: "string" },
          { name: "errors", kind: "PRIMITIVE", type: "any", isArray: true },
        ],
      },
    ]);
    expect(problems).toEqual(["wsdl-tsclient cannot read the complexType of SendResponseType.errors"]);
  });
});
