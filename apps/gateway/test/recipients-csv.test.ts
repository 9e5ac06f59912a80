import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseRecipients, RecipientsFileError, readRecipients } from "../src/cli/recipients-csv.js";

describe("recipients CSV", () => {
  it("reads phone and text columns, with quoting and a semicolon delimiter", () => {
    const rows = parseRecipients('Phone;Text\n79990000001;"Hello, world"\n79990000002;Привет\n');
    expect(rows.map((r) => [r.line, r.phones, r.mes])).toEqual([
      [2, "79990000001", "Hello, world"],
      [3, "79990000002", "Привет"],
    ]);
  });

  it("fills a template from the row's columns", () => {
    const rows = parseRecipients("phone,name,code\n79990000001,Ann,1234\n", "Hi {name}, your code is {code}");
    expect(rows[0]?.mes).toBe("Hi Ann, your code is 1234");
  });

  it("numbers rows by the line they start on, across blank lines and quoted line breaks", () => {
    const rows = parseRecipients(
      'phone,text\n79990000001,one\n\n79990000002,"two\nlines"\n79990000003,three\n',
    );
    expect(rows.map((r) => r.line)).toEqual([2, 4, 6]);
  });

  it("names the rule when the file cannot be used", () => {
    const cases: [string, string | undefined, string][] = [
      ["name,text\nAnn,hi\n", undefined, "phone column"],
      ["phone\n79990000001\n", undefined, "text or template"],
      ["phone,name\n79990000001,Ann\n", "Hi {nick}", "template column"],
      ["phone,text\n,hi\n", undefined, "required"],
      ["phone,text\n", undefined, "non-empty"],
    ];
    for (const [text, template, rule] of cases) {
      let caught: unknown;
      try {
        parseRecipients(text, template);
      } catch (error) {
        caught = error;
      }
      expect(caught, rule).toBeInstanceOf(RecipientsFileError);
      expect((caught as RecipientsFileError).rule).toBe(rule);
    }
  });

  it("refuses a file that is not UTF-8 (a cp1251 export) instead of sending mojibake", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smsc-csv-"));
    const file = join(dir, "cp1251.csv");
    // "phone,text\n79990000001,Привет\n" as windows-1251 bytes.
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from("phone,text\n79990000001,"),
        Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x0a]),
      ]),
    );
    const error = await readRecipients(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecipientsFileError);
    expect((error as RecipientsFileError).rule).toBe("utf-8");
    await writeFile(file, "phone,text\n79990000001,Привет\n");
    expect((await readRecipients(file))[0]?.mes).toBe("Привет");
  });
});
