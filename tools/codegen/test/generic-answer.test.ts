import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { REPO_ROOT, removeDir } from "./helpers/mini-spec.js";
import { type ScratchWorkspace, scratchWorkspace } from "./helpers/workspace.js";

// A method the simulator has no behaviour for answers from its operation's catalog `example`, record lists
// included, with the fields the simulator keeps state for taken from that state: SMSC adds get_tariffs
// (login, psw → balance, a list of tariff records, error) under a new method, `tariffs`, in spec/ only.

const execFileAsync = promisify(execFile);
const TSX = path.join(REPO_ROOT, "node_modules/.bin/tsx");

const WSDL_SCHEMA = `
      <xsd:element name="tariffs">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="login" type="xsd:string" minOccurs="1" maxOccurs="1"/>
          <xsd:element name="psw" type="xsd:string" minOccurs="1" maxOccurs="1"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:element name="TariffsResponse">
        <xsd:complexType><xsd:sequence>
          <xsd:element name="tariffsresult" type="tns:TariffsResponseType" minOccurs="1" maxOccurs="1"/>
        </xsd:sequence></xsd:complexType>
      </xsd:element>
      <xsd:complexType name="TariffsResponseType"><xsd:sequence>
        <xsd:element name="balance" type="xsd:string" minOccurs="0" maxOccurs="1"/>
        <xsd:element name="tariff" type="tns:Tariff" minOccurs="0" maxOccurs="unbounded"/>
        <xsd:element name="error" type="xsd:string" minOccurs="0" maxOccurs="1"/>
      </xsd:sequence></xsd:complexType>
      <xsd:complexType name="Tariff"><xsd:sequence>
        <xsd:element name="zone" type="xsd:string" minOccurs="1" maxOccurs="1"/>
        <xsd:element name="price" type="xsd:string" minOccurs="1" maxOccurs="1"/>
      </xsd:sequence></xsd:complexType>
`;
const WSDL_REST = {
  messages: `
  <wsdl:message name="get_tariffsSoapIn"><wsdl:part name="parameters" element="tns:tariffs"/></wsdl:message>
  <wsdl:message name="get_tariffsSoapOut"><wsdl:part name="parameters" element="tns:TariffsResponse"/></wsdl:message>
`,
  portType: `
    <wsdl:operation name="get_tariffs"><wsdl:input message="tns:get_tariffsSoapIn"/><wsdl:output message="tns:get_tariffsSoapOut"/></wsdl:operation>
`,
  binding: `
    <wsdl:operation name="get_tariffs">
      <soap:operation soapAction="https://smsc.ru/sys/soap.php" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
`,
};

const CATALOG = `
operations:
  get_tariffs:
    method: tariffs
    description: { en: Prices per zone. }
    example:
      balance: "0.00"
      tariff: [{ zone: ru, price: "1.50" }, { zone: kz, price: "2.25" }]
methods:
  tariffs: { description: { en: Prices per zone and the balance. }, idempotent: true, confidence: inferred }
results:
  tariff: { types: [TariffsResponseType], valueType: record, description: { en: Prices. }, confidence: inferred }
  zone: { types: [Tariff], valueType: string, description: { en: A zone. }, confidence: inferred }
  price: { types: [Tariff], valueType: decimal, description: { en: Its price. }, confidence: inferred }
errors:
  tariffs:
    - { code: 2, class: auth, text: Invalid login or password., confidence: inferred }
    - { code: 4, class: ip_blocked, text: The IP address is temporarily blocked., confidence: inferred }
`;

function insertBefore(text: string, anchor: string, addition: string): string {
  const at = text.indexOf(anchor);
  if (at === -1) throw new Error(`fixture: anchor ${anchor} not found`);
  return `${text.slice(0, at)}${addition}${text.slice(at)}`;
}

async function addGetTariffs(spec: string): Promise<void> {
  const wsdlFile = path.join(spec, "smsc.wsdl");
  let wsdl = insertBefore(await readFile(wsdlFile, "utf8"), "    </xsd:schema>", WSDL_SCHEMA);
  wsdl = insertBefore(wsdl, "  <wsdl:portType", WSDL_REST.messages);
  wsdl = insertBefore(wsdl, "  </wsdl:portType>", WSDL_REST.portType);
  await writeFile(wsdlFile, insertBefore(wsdl, "  </wsdl:binding>", WSDL_REST.binding));
  const catalogFile = path.join(spec, "catalog.yaml");
  const doc = parseDocument(await readFile(catalogFile, "utf8"));
  const additions = parseDocument(CATALOG).toJS() as Record<string, Record<string, unknown>>;
  for (const [section, entries] of Object.entries(additions)) {
    for (const [key, entry] of Object.entries(entries)) doc.setIn([section, key], doc.createNode(entry));
  }
  for (const at of [
    ["fields", "login", "elements"],
    ["fields", "login", "methods"],
    ["fields", "psw", "elements"],
    ["fields", "psw", "methods"],
  ]) {
    doc.addIn(at, "tariffs");
  }
  doc.addIn(["results", "balance", "types"], "TariffsResponseType");
  doc.addIn(["results", "error", "types"], "TariffsResponseType");
  await writeFile(catalogFile, doc.toString({ lineWidth: 0 }));
}

let ws: ScratchWorkspace;

beforeAll(async () => {
  ws = await scratchWorkspace("get-tariffs", addGetTariffs);
  await mkdir(path.join(ws.root, "check"), { recursive: true });
}, 120_000);

afterAll(async () => {
  if (ws) await removeDir(ws.root);
});

describe("a method with no behaviour in the simulator", () => {
  it("is answered from its operation's example, record list included, balance from the simulated account", async () => {
    const script = `import { createSmscClient } from "../packages/core/src/index.js";
import { startSimulator } from "../packages/simulator/src/index.js";

const sim = await startSimulator({ port: 0 });
const client = createSmscClient({ login: "demo", psw: "demo" }, { baseUrl: new URL(sim.url).origin, fallbackUrls: [] });
try {
  const before = await client.tariffs();
  await client.send({ phones: "79990000001", mes: "hello" });
  const after = await client.tariffs();
  const balance = await client.balance();
  console.log(JSON.stringify({ before: { ...before, raw: undefined }, raw: before.raw, after: after.balance, balance: balance.balance }));
} finally {
  await client.close();
  await sim.close();
}
`;
    const file = path.join(ws.root, "check", "tariffs.ts");
    await writeFile(file, script);
    const { stdout } = await execFileAsync(TSX, [file], { cwd: ws.root });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    // The demo account opens with 1000; the example's "0.00" is not what the account holds.
    expect(out.before).toEqual({
      balance: 1000,
      tariff: [
        { zone: "ru", price: 1.5 },
        { zone: "kz", price: 2.25 },
      ],
    });
    expect(out.raw).toEqual({
      balance: "1000.00",
      tariff: [
        { zone: "ru", price: "1.50" },
        { zone: "kz", price: "2.25" },
      ],
    });
    // After a send the generic answer and get_balance agree on the account's new balance.
    expect(out.after).toBe(out.balance);
    expect(out.after).toBeLessThan(1000);
  }, 120_000);
});
