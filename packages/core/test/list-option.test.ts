import { describe, expect, it } from "vitest";
import { SmscValidationError } from "../src/errors.js";
import { formatList, parseListOption } from "../src/list-option.js";

describe("parseListOption", () => {
  it("reads phones:mes and phones;mes lines, sender,tz| prefixes and \\n escapes", () => {
    expect(
      parseListOption("7999111:hi\n7999222,7999333;two\\nlines\r\nshop,2|7999444:with sender\n\n"),
    ).toEqual([
      { phones: "7999111", mes: "hi" },
      { phones: "7999222,7999333", mes: "two\nlines" },
      { phones: "7999444", mes: "with sender", sender: "shop", tz: "2" },
    ]);
  });

  it("rejects a line without a separator and an empty list", () => {
    expect(() => parseListOption("7999111 hi")).toThrow(/line 1/);
    expect(() => parseListOption("\n\n")).toThrow(/empty/);
  });

  it("refuses with a validation error naming the list field and the line", () => {
    try {
      parseListOption("79990000001:ok\nno separator here");
      expect.unreachable("a line without a separator must be refused");
    } catch (error) {
      expect(error).toBeInstanceOf(SmscValidationError);
      expect(error).toMatchObject({ field: "list", rule: "line" });
      expect((error as Error).message).toContain("line 2");
    }
  });

  it("with nl=1 reads a line that opens with no recipient list as the previous text going on", () => {
    const list = "79990000001:first\nsecond line: still text\n79990000002:other";
    expect(parseListOption(list, { nl: "1" })).toEqual([
      { phones: "79990000001", mes: "first\nsecond line: still text" },
      { phones: "79990000002", mes: "other" },
    ]);
    // Without nl the same continuation is a line of its own, whose "phones" are then judged (and refused).
    expect(parseListOption(list)).toHaveLength(3);
    expect(() => parseListOption("79990000001:first\nplain words", { nl: 0 })).toThrow(/line 2/);
  });

  it("decodes what formatList encodes", () => {
    const lines = [
      { phones: ["79990000001", "+79990000002"], mes: "one\ntwo\r\nthree" },
      { phones: "79990000003", mes: "x:y;z", sender: "shop", tz: 2 },
    ];
    expect(parseListOption(formatList(lines))).toEqual([
      { phones: "79990000001,+79990000002", mes: "one\ntwo\nthree" },
      { phones: "79990000003", mes: "x:y;z", sender: "shop", tz: "2" },
    ]);
  });
});
