import { describe, expect, it } from "vitest";
import { escapeXmlText, hasCharForbiddenInXml } from "../src/soap/xml-text.js";

describe("escapeXmlText", () => {
  it("escapes markup characters and writes CR as a character reference", () => {
    expect(escapeXmlText(`a&b<c>d"e'f\r\ng`)).toBe("a&amp;b&lt;c&gt;d&quot;e&apos;f&#13;\ng");
  });

  it("keeps Cyrillic and emoji as they are", () => {
    expect(escapeXmlText("Привет 😀")).toBe("Привет 😀");
  });

  it("drops characters XML 1.0 cannot carry", () => {
    expect(escapeXmlText("a\u0000b\u001Fc\uD800d")).toBe("abcd");
    expect(hasCharForbiddenInXml("a\u0001")).toBe(true);
    expect(hasCharForbiddenInXml("a\tb\n😀")).toBe(false);
  });
});
