import { describe, expect, it } from "vitest";
import { parseRecipients, RecipientsFileError } from "../src/cli/recipients-csv.js";

describe("recipients CSV", () => {
  it("reads phone and text columns, with quoting and a semicolon delimiter", () => {
    const rows = parseRecipients('Phone;Text\n79990000001;"Hello, world"\n79990000002;Привет\n');
    expect(rows.map((r) => [r.row, r.phones, r.mes])).toEqual([
      [1, "79990000001", "Hello, world"],
      [2, "79990000002", "Привет"],
    ]);
  });

  it("fills a template from the row's columns", () => {
    const rows = parseRecipients("phone,name,code\n79990000001,Ann,1234\n", "Hi {name}, your code is {code}");
    expect(rows[0]?.mes).toBe("Hi Ann, your code is 1234");
  });

  it("gives each row a stable idempotency key that changes when the row changes", () => {
    const a = parseRecipients("phone,text\n79990000001,one\n79990000002,two\n");
    const again = parseRecipients("phone,text\n79990000001,one\n79990000002,two\n");
    const edited = parseRecipients("phone,text\n79990000001,one\n79990000002,TWO\n");
    expect(again.map((r) => r.idempotencyKey)).toEqual(a.map((r) => r.idempotencyKey));
    expect(edited[0]?.idempotencyKey).toBe(a[0]?.idempotencyKey);
    expect(edited[1]?.idempotencyKey).not.toBe(a[1]?.idempotencyKey);
    expect(new Set(a.map((r) => r.idempotencyKey)).size).toBe(2);
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
});
