import { describe, expect, it } from "vitest";
import { decodeForm } from "../src/index.js";

describe("form decoding", () => {
  it("decodes UTF-8 percent-escapes and plus signs", () => {
    expect(decodeForm("mes=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%D0%BC%D0%B8%D1%80&a=1")).toEqual([
      { key: "mes", value: "Привет мир" },
      { key: "a", value: "1" },
    ]);
  });

  it("decodes escapes with the declared charset (windows-1251, koi8-r)", () => {
    expect(decodeForm("mes=%CF%F0%E8%E2%E5%F2", "windows-1251")).toEqual([{ key: "mes", value: "Привет" }]);
    expect(decodeForm("mes=%F0%D2%C9%D7%C5%D4", "koi8-r")).toEqual([{ key: "mes", value: "Привет" }]);
  });

  it("keeps stray percent signs and keys without a value as written", () => {
    expect(decodeForm("cost=100%&flag&x=%zz")).toEqual([
      { key: "cost", value: "100%" },
      { key: "flag", value: "" },
      { key: "x", value: "%zz" },
    ]);
  });

  it("refuses a charset the runtime does not know", () => {
    expect(() => decodeForm("a=1", "no-such-charset")).toThrow(RangeError);
  });
});
