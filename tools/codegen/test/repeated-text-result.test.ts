import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, removeDir } from "./helpers/mini-spec.js";
import { type ScratchWorkspace, scratchWorkspace } from "./helpers/workspace.js";

// SMSC's WSDL may declare a result field that repeats plain text (xsd:string, maxOccurs unbounded). The
// generated type says string[]; the client must hand over every value, not records emptied of their text.

const execFileAsync = promisify(execFile);
const TSX = path.join(REPO_ROOT, "node_modules/.bin/tsx");

/** get_balance's answer gains `note`, a repeated text field, in smsc.wsdl and catalog.yaml. */
async function addRepeatedNote(spec: string): Promise<void> {
  const wsdlFile = path.join(spec, "smsc.wsdl");
  const wsdl = await readFile(wsdlFile, "utf8");
  const anchor = `<xsd:complexType name="BalanceResponseType">
        <xsd:sequence>`;
  if (!wsdl.includes(anchor)) throw new Error("fixture: BalanceResponseType not found");
  await writeFile(
    wsdlFile,
    wsdl.replace(
      anchor,
      `${anchor}\n          <xsd:element name="note" type="xsd:string" minOccurs="0" maxOccurs="unbounded"/>`,
    ),
  );
  const catalogFile = path.join(spec, "catalog.yaml");
  const catalog = await readFile(catalogFile, "utf8");
  await writeFile(
    catalogFile,
    catalog.replace(
      "\nresults:\n",
      "\nresults:\n  note:\n    types: [BalanceResponseType]\n    valueType: string\n    description: { en: Notes on the account. }\n    confidence: inferred\n",
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

describe("a result field that repeats plain text", () => {
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
});
