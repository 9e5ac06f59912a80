import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunningSimulator } from "../src/index.js";
import { DEMO, envelope, startTestSimulator } from "./helpers.js";

const run = promisify(execFile);
const TEXT = "Привет, мир! Ёлка";

/**
 * Encodes text in a single-byte encoding by inverting the runtime's own decoder table, so the bytes are
 * the real cp1251 / KOI8-R ones without a hand-written table.
 */
function singleByte(text: string, label: string): Buffer {
  const decoder = new TextDecoder(label);
  const byteOf = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) byteOf.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from([...text].map((char) => byteOf.get(char) ?? Number.NaN));
}

function sendEnvelope(declaration: string, mes = TEXT): string {
  return envelope("send", { ...DEMO, phones: "79990001122", mes }).replace(
    '<?xml version="1.0" encoding="utf-8"?>',
    declaration,
  );
}

/**
 * The body is read by its own declaration (byte-order mark or XML declaration), UTF-8 without one: what
 * SMSC's SoapServer does (PHP, libxml; it ignores the Content-Type charset). Checked against PHP 8.2's
 * SoapServer with SMSC's WSDL: cp1251 bytes declared windows-1251 under "charset=utf-8" are read as
 * windows-1251; cp1251 bytes with only "charset=windows-1251" are refused with "Bad Request".
 */
describe("a request body in the encoding its XML declaration names", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.inspector.reset());

  async function post(body: Buffer, contentType: string): Promise<{ status: number; text: string }> {
    const response = await fetch(sim.url, { method: "POST", body, headers: { "content-type": contentType } });
    return { status: response.status, text: await response.text() };
  }

  it("sanity: the test's encoder writes the real cp1251 bytes", () => {
    expect(singleByte("Пр", "windows-1251")).toEqual(Buffer.from([0xcf, 0xf0]));
    expect(singleByte("Пр", "koi8-r")).toEqual(Buffer.from([0xf0, 0xd2]));
  });

  it.each([
    ["windows-1251", "text/xml"],
    ["cp1251", "text/xml; charset=windows-1251"],
    ["koi8-r", "text/xml"],
    // A hard-coded header that contradicts the document: the declaration decides, as at SMSC.
    ["windows-1251", "text/xml; charset=utf-8"],
    ["koi8-r", "text/xml; charset=windows-1251"],
  ])('stores and counts the text of a body declared encoding="%s" (Content-Type %s)', async (label, type) => {
    const body = singleByte(sendEnvelope(`<?xml version="1.0" encoding="${label}"?>`), label);
    const answer = await post(body, type);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain("<cnt>1</cnt>");
    expect(sim.inspector.messages().map((m) => m.mes)).toEqual([TEXT]);
  });

  it("refuses cp1251 bytes named only by a Content-Type charset, as SMSC does, and says how to declare them", async () => {
    const body = singleByte(sendEnvelope(""), "windows-1251");
    const answer = await post(body, "text/xml; charset=windows-1251");
    expect(answer.status).toBe(500);
    expect(answer.text).toMatch(/<faultcode>soap:Client<\/faultcode>/);
    expect(answer.text).toContain("not valid UTF-8");
    expect(answer.text).toContain("encoding=&quot;windows-1251&quot;");
    expect(sim.inspector.messages()).toEqual([]);
  });

  it("reads a UTF-8 body with a byte-order mark", async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sendEnvelope(""), "utf8")]);
    expect((await post(body, "text/xml")).status).toBe(200);
    expect(sim.inspector.messages().map((m) => m.mes)).toEqual([TEXT]);
  });

  it("reads UTF-16 in either byte order from its byte-order mark", async () => {
    const utf16le = (mes: string) =>
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(sendEnvelope('<?xml version="1.0" encoding="UTF-16"?>', mes), "utf16le"),
      ]);
    const bigEndian = utf16le(`${TEXT} (BE)`).swap16();
    expect((await post(utf16le(TEXT), "text/xml")).status).toBe(200);
    expect((await post(bigEndian, "text/xml; charset=utf-16")).status).toBe(200);
    expect(sim.inspector.messages().map((m) => m.mes)).toEqual([TEXT, `${TEXT} (BE)`]);
  });

  it("reads an ASCII body declared UTF-8 whatever the Content-Type charset says", async () => {
    const body = Buffer.from(sendEnvelope('<?xml version="1.0" encoding="utf-8"?>', "plain ascii"), "latin1");
    expect((await post(body, "text/xml; charset=iso-8859-1")).status).toBe(200);
    expect(sim.inspector.messages().map((m) => m.mes)).toEqual(["plain ascii"]);
  });

  it.each([
    [
      "cp1251 bytes with no declaration (read as UTF-8 they are invalid)",
      () => singleByte(sendEnvelope(""), "windows-1251"),
      "text/xml",
      /not valid UTF-8/,
    ],
    [
      "a declaration of UTF-16 on a body that is not (no byte-order mark)",
      () => Buffer.from(sendEnvelope('<?xml version="1.0" encoding="UTF-16"?>')),
      "text/xml",
      /no UTF-16 byte-order mark/,
    ],
    [
      // WHATWG's decoders read "us-ascii" as windows-1252: cp1251 bytes would be stored as "Ïðèâåò".
      "8-bit bytes in a body declared US-ASCII (libxml refuses them)",
      () => singleByte(sendEnvelope('<?xml version="1.0" encoding="US-ASCII"?>'), "windows-1251"),
      "text/xml",
      /not valid US-ASCII/,
    ],
    [
      "an encoding the simulator cannot decode",
      () => Buffer.from(sendEnvelope('<?xml version="1.0" encoding="x-made-up"?>', "abc")),
      "text/xml",
      /unsupported encoding &quot;x-made-up&quot; \(XML declaration\)/,
    ],
  ])("refuses %s with a SOAP Fault and stores nothing", async (_name, body, type, reason) => {
    const answer = await post(body(), type);
    expect(answer.status).toBe(500);
    expect(answer.text).toMatch(/<faultcode>soap:Client<\/faultcode>/);
    expect(answer.text).toMatch(reason);
    expect(sim.inspector.messages()).toEqual([]);
  });

  it("reads a 7-bit body declared US-ASCII", async () => {
    const body = Buffer.from(sendEnvelope('<?xml version="1.0" encoding="us-ascii"?>', "plain ascii"));
    expect((await post(body, "text/xml")).status).toBe(200);
    expect(sim.inspector.messages().map((m) => m.mes)).toEqual(["plain ascii"]);
  });

  it("curl posting a cp1251 file as is gets the text stored right", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sim-cp1251-"));
    const file = join(dir, "send.xml");
    await writeFile(
      file,
      singleByte(sendEnvelope('<?xml version="1.0" encoding="windows-1251"?>'), "windows-1251"),
    );
    const { stdout } = await run("curl", [
      "--silent",
      "--show-error",
      "-H",
      "Content-Type: text/xml",
      "--data-binary",
      `@${file}`,
      sim.url,
    ]);
    expect(stdout).toContain("<cnt>1</cnt>");
    expect(sim.inspector.messages().map((m) => m.mes)).toEqual([TEXT]);
  });
});
