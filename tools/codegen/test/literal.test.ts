import { describe, expect, it } from "vitest";
import { commentText, dataLiteral, docComment, propertyKey, stringLiteral } from "../src/emit/literal.js";

// Unit level of the hostile-text guarantee: every emitted literal evaluates back to the exact value, and
// comment text can neither close its comment nor start a new line.

const evaluate = (source: string): unknown => new Function(`"use strict"; return (${source});`)();

const TRICKY = [
  "",
  "*/",
  "/*",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: deliberately hostile text, must stay a plain string
  "`${1+1}`",
  '"',
  "'",
  "\\",
  "\\u2028",
  "\u2028\u2029",
  "\n\r\t\v\f\b\0",
  "\u0085 next-line",
  "\ud800 lone high surrogate",
  "\udfff lone low surrogate",
  "😀 astral",
  "Кириллица «ёлочки»",
  "</script>",
  "-->",
  "constructor",
  "__proto__",
];

describe("stringLiteral", () => {
  it.each(TRICKY)("round-trips %j", (value) => {
    const source = stringLiteral(value);
    expect(evaluate(source)).toBe(value);
    expect(source).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(source.startsWith('"') && source.endsWith('"')).toBe(true);
  });
});

describe("commentText", () => {
  it.each(TRICKY)("keeps %j on one line and inside the comment", (value) => {
    const text = commentText(`a ${value} b`);
    expect(text).not.toContain("*/");
    expect(text).not.toContain("/*");
    expect(text).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
    // The comment parses as a comment: the expression after it still evaluates.
    expect(evaluate(`${docComment(`a ${value} b`).trim()} 42`)).toBe(42);
  });
});

describe("propertyKey and dataLiteral", () => {
  it("quotes keys that are not identifiers", () => {
    expect(propertyKey("phones")).toBe("phones");
    expect(propertyKey("-3")).toBe('"-3"');
    expect(propertyKey("a-b")).toBe('"a-b"');
    expect(propertyKey('x"y')).toBe('"x\\"y"');
  });

  it("emits nested data that evaluates back to an equal value", () => {
    const value = {
      "-3": { code: -3, name: TRICKY.join("|"), final: false, tags: TRICKY, none: null },
      list: [1, -2.5, 0, true, [], {}, { "*/": "x" }],
      long: Array.from({ length: 40 }, (_, i) => `item ${i}`),
    };
    expect(evaluate(dataLiteral(value))).toEqual(value);
  });

  it("refuses values that are not data", () => {
    expect(() => dataLiteral(Number.NaN)).toThrow(/non-finite/);
    expect(() => dataLiteral(undefined)).toThrow(/not data/);
    expect(dataLiteral(-0)).toBe("0");
  });
});
