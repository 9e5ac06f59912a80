import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, removeDir } from "./helpers/mini-spec.js";
import { type ScratchWorkspace, scratchWorkspace, writeCheckConfig } from "./helpers/workspace.js";

// SMSC's WSDL may declare a result field that repeats plain text (xsd:string, maxOccurs unbounded) or a list
// of records of a type other than `Error`. The generated types say string[] and the record's own fields; the
// client, and the envelopes the simulator and test servers write, must carry every value of each.

const execFileAsync = promisify(execFile);
const TSX = path.join(REPO_ROOT, "node_modules/.bin/tsx");
const TSC = path.join(REPO_ROOT, "node_modules/.bin/tsc");

/**
 * get_balance's answer gains `note`, a repeated text field, and `tariff`, a list of records of a type of
 * its own (`Tariff`: zone, price), in smsc.wsdl and catalog.yaml.
 */
async function addRepeatedNote(spec: string): Promise<void> {
  const wsdlFile = path.join(spec, "smsc.wsdl");
  const wsdl = await readFile(wsdlFile, "utf8");
  const anchor = `<xsd:complexType name="BalanceResponseType">
        <xsd:sequence>`;
  if (!wsdl.includes(anchor)) throw new Error("fixture: BalanceResponseType not found");
  await writeFile(
    wsdlFile,
    wsdl
      .replace(
        anchor,
        `${anchor}\n          <xsd:element name="note" type="xsd:string" minOccurs="0" maxOccurs="unbounded"/>` +
          `\n          <xsd:element name="tariff" type="tns:Tariff" minOccurs="0" maxOccurs="unbounded"/>`,
      )
      .replace(
        "    </xsd:schema>",
        `      <xsd:complexType name="Tariff">
        <xsd:sequence>
          <xsd:element name="zone" type="xsd:string" minOccurs="1" maxOccurs="1"/>
          <xsd:element name="price" type="xsd:string" minOccurs="1" maxOccurs="1"/>
          <xsd:element name="vat" type="xsd:string" minOccurs="0" maxOccurs="1"/>
        </xsd:sequence>
      </xsd:complexType>
    </xsd:schema>`,
      ),
  );
  const catalogFile = path.join(spec, "catalog.yaml");
  const catalog = await readFile(catalogFile, "utf8");
  await writeFile(
    catalogFile,
    catalog.replace(
      "\nresults:\n",
      [
        "\nresults:",
        "  note: { types: [BalanceResponseType], valueType: string, description: { en: Notes. }, confidence: inferred }",
        "  tariff: { types: [BalanceResponseType], valueType: record, description: { en: Prices. }, confidence: inferred }",
        "  zone: { types: [Tariff], valueType: string, description: { en: A zone. }, confidence: inferred }",
        "  price: { types: [Tariff], valueType: decimal, description: { en: Its price. }, confidence: inferred }",
        "  vat: { types: [Tariff], valueType: decimal, description: { en: Its VAT when SMSC states it. }, confidence: inferred }",
        "",
      ].join("\n"),
    ),
  );
}

let ws: ScratchWorkspace;

beforeAll(async () => {
  ws = await scratchWorkspace("repeated-text", addRepeatedNote);
  await mkdir(path.join(ws.root, "check"), { recursive: true });
}, 120_000);

afterAll(async () => {
  if (ws) await removeDir(ws.root);
});

describe("repeated result fields of every shape", () => {
  it("reaches the caller as every value, through the client and the envelope reader", async () => {
    const script = `import { createServer } from "node:http";
import { buildResponseEnvelope, createSmscClient, parseEnvelope } from "../packages/core/src/index.js";

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const namespace = "http://127.0.0.1:" + (server.address() as { port: number }).port + "/sys/soap.php";
    response.setHeader("content-type", "text/xml; charset=utf-8");
    response.end(buildResponseEnvelope("get_balance", { balance: "10.00", note: ["first", "second"] }, namespace));
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = "http://127.0.0.1:" + (server.address() as { port: number }).port;
const client = createSmscClient({ login: "demo", psw: "demo" }, { baseUrl: origin, fallbackUrls: [] });
const result = await client.balance();
const envelope = buildResponseEnvelope("get_balance", { balance: "1.00", note: ["only"] }, origin + "/sys/soap.php");
console.log(JSON.stringify({ note: result.note, raw: result.raw["note"], parsed: parseEnvelope(envelope) }));
await client.close();
server.close();
`;
    const file = path.join(ws.root, "check", "notes.ts");
    await writeFile(file, script);
    const { stdout } = await execFileAsync(TSX, [file], { cwd: ws.root });
    const out = JSON.parse(stdout) as { note: unknown; raw: unknown; parsed: { result?: unknown } };
    expect(out.note).toEqual(["first", "second"]);
    expect(out.raw).toEqual(["first", "second"]);
    expect(out.parsed.result).toEqual({ balance: "1.00", note: ["only"] });
  }, 120_000);

  it("a record of a type other than Error is written and read with its own fields", async () => {
    const script = `import { createServer } from "node:http";
import { buildResponseEnvelope, createSmscClient } from "../packages/core/src/index.js";

const tariff: Record<string, string>[] = [{ zone: "ru", price: "1.50", vat: "0.25" }, { zone: "kz", price: "2.25" }];
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    const namespace = "http://127.0.0.1:" + (server.address() as { port: number }).port + "/sys/soap.php";
    response.setHeader("content-type", "text/xml; charset=utf-8");
    response.end(buildResponseEnvelope("get_balance", { balance: "10.00", tariff }, namespace));
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = "http://127.0.0.1:" + (server.address() as { port: number }).port;
const client = createSmscClient({ login: "demo", psw: "demo" }, { baseUrl: origin, fallbackUrls: [] });
const result = await client.balance();
// Typed from the item type: zone and price required (minOccurs 1), vat (minOccurs 0) optional.
type Item = NonNullable<typeof result.tariff>[number];
export const withoutVat: Item = { zone: "kz", price: 2.25 };
// @ts-expect-error price is required in a Tariff item
export const withoutPrice: Item = { zone: "kz" };
const vat: number | undefined = result.tariff?.[1]?.vat;
console.log(JSON.stringify({ tariff: result.tariff, raw: result.raw["tariff"], vat: vat ?? "absent" }));
await client.close();
server.close();
`;
    const file = path.join(ws.root, "check", "tariff.ts");
    await writeFile(file, script);
    // The item type is generated from the WSDL: the script's typed reads compile only if vat is optional.
    const config = await writeCheckConfig(path.join(ws.root, "check"), ws.root, ["tariff.ts"]);
    const typecheck = await execFileAsync(TSC, ["-p", config]).then(
      () => "",
      (error: { stdout: string }) => error.stdout,
    );
    expect(typecheck).toBe("");
    const { stdout } = await execFileAsync(TSX, [file], { cwd: ws.root });
    const out = JSON.parse(stdout) as { tariff: unknown; raw: unknown; vat: unknown };
    expect(out.raw).toEqual([
      { zone: "ru", price: "1.50", vat: "0.25" },
      { zone: "kz", price: "2.25" },
    ]);
    // An optional sub-field the item lacks is left out (as an optional top-level field is), never "".
    expect(out.tariff).toEqual([
      { zone: "ru", price: 1.5, vat: 0.25 },
      { zone: "kz", price: 2.25 },
    ]);
    expect(Object.keys((out.tariff as object[])[1] as object)).toEqual(["zone", "price"]);
    expect(out.vat).toBe("absent");
  }, 120_000);
});
