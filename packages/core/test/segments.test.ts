import { describe, expect, it } from "vitest";
import { segments } from "../src/segments.js";

const latin = (n: number) => "a".repeat(n);
const cyr = (n: number) => "ж".repeat(n);

// Golden table at every boundary: [label, text, options, expected encoding, parts, units].
const GOLDEN: [string, string, Parameters<typeof segments>[1], "gsm7" | "ucs2", number, number][] = [
  ["empty text is one part", "", {}, "gsm7", 1, 0],
  ["160 GSM chars fit one part", latin(160), {}, "gsm7", 1, 160],
  ["161 GSM chars need two", latin(161), {}, "gsm7", 2, 161],
  ["306 GSM chars fill two parts of 153", latin(306), {}, "gsm7", 2, 306],
  ["307 GSM chars need three", latin(307), {}, "gsm7", 3, 307],
  ["70 Cyrillic chars fit one part", cyr(70), {}, "ucs2", 1, 70],
  ["71 Cyrillic chars need two", cyr(71), {}, "ucs2", 2, 71],
  ["134 Cyrillic chars fill two parts of 67", cyr(134), {}, "ucs2", 2, 134],
  ["135 Cyrillic chars need three", cyr(135), {}, "ucs2", 3, 135],
  ["extension chars count twice: 80 x € is 160 units", "€".repeat(80), {}, "gsm7", 1, 160],
  ["81 x € is 162 units, two parts", "€".repeat(81), {}, "gsm7", 2, 162],
  // 152 single chars then "{" (2 units) would straddle the 153 boundary: it moves to part 2.
  ["extension char at a part boundary moves whole", `${latin(152)}{${latin(152)}`, {}, "gsm7", 3, 306],
  ["extension char just fitting the boundary", `${latin(151)}{${latin(153)}`, {}, "gsm7", 2, 306],
  ["CRLF counts as two GSM chars", `${latin(158)}\r\n`, {}, "gsm7", 1, 160],
  ["CRLF pushing over the limit", `${latin(159)}\r\n`, {}, "gsm7", 2, 161],
  ["one emoji forces UCS-2 and counts 2 units", `${latin(68)}😀`, {}, "ucs2", 1, 70],
  ["emoji over the UCS-2 limit", `${latin(69)}😀`, {}, "ucs2", 2, 71],
  // 66 units then an emoji (2 units) cannot be split: it starts part 2.
  ["surrogate pair never split across parts", `${latin(66)}😀${latin(66)}`, {}, "ucs2", 3, 134],
  ["translit makes Cyrillic count as GSM-7", cyr(160), { translit: 1 }, "gsm7", 1, 160],
  ["translit 2 too", cyr(161), { translit: "2" }, "gsm7", 2, 161],
  ["translit 0 keeps UCS-2", cyr(70), { translit: 0 }, "ucs2", 1, 70],
  ["GSM accented letters stay GSM-7", "àèéìòù".repeat(10), {}, "gsm7", 1, 60],
  ["a non-GSM accented letter forces UCS-2", `${latin(69)}ê`, {}, "ucs2", 1, 70],
];

describe("segments golden table", () => {
  for (const [label, text, options, encoding, parts, units] of GOLDEN) {
    it(label, () => {
      const result = segments(text, options);
      expect(result.encoding).toBe(encoding);
      expect(result.parts).toBe(parts);
      expect(result.units).toBe(units);
      expect(result.truncated).toBe(false);
    });
  }
});

describe("segments perPart and maxsms", () => {
  it("reports the single-part capacity for one part and the multi-part one otherwise", () => {
    expect(segments(latin(10)).perPart).toBe(160);
    expect(segments(latin(200)).perPart).toBe(153);
    expect(segments(cyr(10)).perPart).toBe(70);
    expect(segments(cyr(100)).perPart).toBe(67);
  });

  it("caps the parts at maxsms and says the text is truncated", () => {
    const result = segments(latin(500), { maxsms: 2 });
    expect(result).toEqual({ encoding: "gsm7", parts: 2, units: 500, perPart: 153, truncated: true });
  });

  it("does not truncate when the text fits in maxsms", () => {
    expect(segments(latin(300), { maxsms: "2" })).toMatchObject({ parts: 2, truncated: false });
  });

  it("a cap of one part keeps the single-part capacity", () => {
    expect(segments(latin(200), { maxsms: 1 })).toMatchObject({ parts: 1, perPart: 160, truncated: true });
  });
});
