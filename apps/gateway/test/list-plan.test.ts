import { describe, expect, it } from "vitest";
import { defaultCampaign, planList } from "../src/cli/list-plan.js";
import { parseRecipients } from "../src/cli/recipients-csv.js";

const keysOf = (csv: string, campaign = "c", options: Record<string, string> = {}) =>
  planList(parseRecipients(csv), campaign, options).messages.map((m) => m.idempotencyKey);

describe("list plan: idempotency keys from what a row sends", () => {
  it("does not depend on the row's position: inserting a row at the top changes no other key", () => {
    const before = keysOf("phone,text\n79990000001,one\n79990000002,two\n");
    const after = keysOf("phone,text\n79990000009,new\n79990000001,one\n79990000002,two\n");
    expect(after.slice(1)).toEqual(before);
    expect(before).not.toContain(after[0]);
  });

  it("changes when the recipient, the text, an option or the campaign changes", () => {
    const [base] = keysOf("phone,text\n79990000001,one\n");
    expect(keysOf("phone,text\n79990000002,one\n")[0]).not.toBe(base);
    expect(keysOf("phone,text\n79990000001,One\n")[0]).not.toBe(base);
    expect(keysOf("phone,text\n79990000001,one\n", "c", { sender: "Shop" })[0]).not.toBe(base);
    expect(keysOf("phone,text\n79990000001,one\n", "other")[0]).not.toBe(base);
  });

  it("reads recipients as subscribers: punctuation and the order of several in one cell do not matter", () => {
    const [plain] = keysOf("phone,text\n79990000001,hi\n");
    expect(keysOf('phone,text\n"+7 (999) 000-00-01",hi\n')).toEqual([plain]);
    expect(keysOf('phone,text\n"8 (999) 000-00-01",hi\n')).toEqual([plain]);
    const [pair] = keysOf('phone,text\n"79990000001,79990000002",hi\n');
    expect(keysOf('phone,text\n"+7 999 000 00 02; 79990000001",hi\n')).toEqual([pair]);
  });

  it("does not make a multi-line text new when the file is saved with Windows line ends", () => {
    expect(keysOf('phone,text\r\n79990000001,"two\r\nlines"\r\n')).toEqual(
      keysOf('phone,text\n79990000001,"two\nlines"\n'),
    );
  });

  it("keys options by name, whatever order the flags came in", () => {
    expect(keysOf("phone,text\n79990000001,hi\n", "c", { sender: "S", translit: "1" })).toEqual(
      keysOf("phone,text\n79990000001,hi\n", "c", { translit: "1", sender: "S" }),
    );
  });

  it("sends a repeated row once and reports each repeat with the line it repeats", () => {
    const plan = planList(
      parseRecipients("phone,text\n79990000001,hi\n79990000002,hi\n+7 999 000-00-01,hi\n79990000001,hi\n"),
      "c",
      {},
    );
    expect(plan.messages.map((m) => m.line)).toEqual([2, 3]);
    expect(plan.duplicates).toEqual([
      { line: 4, sameAs: 2 },
      { line: 5, sameAs: 2 },
    ]);
  });

  it("takes the campaign from the file's name, not its directory", () => {
    expect(defaultCampaign("/a/b/march.csv")).toBe("march.csv");
    expect(defaultCampaign("/elsewhere/march.csv")).toBe(defaultCampaign("/a/b/march.csv"));
  });
});
