import { describe, expect, it } from "vitest";
import { formatList } from "../src/list-option.js";
import { decodeQuery, encodeQuery } from "../src/query.js";

describe("encodeQuery", () => {
  it("encodes + as %2B so SMSC does not read it as a space", () => {
    expect(encodeQuery({ time: "+30" })).toBe("time=%2B30");
  });

  it("encodes spaces as +, newlines as %0A and Cyrillic as UTF-8", () => {
    expect(encodeQuery({ subj: "a b\nв" })).toBe("subj=a+b%0A%D0%B2");
  });

  it("writes booleans as 1/0, numbers as decimal and skips undefined", () => {
    expect(encodeQuery({ flash: true, translit: false, maxsms: 3, tz: undefined })).toBe(
      "flash=1&translit=0&maxsms=3",
    );
  });

  it("escapes & and = inside values", () => {
    expect(decodeQuery(encodeQuery({ fileurl: "http://x/?a=1&b=2" }))).toEqual({
      fileurl: "http://x/?a=1&b=2",
    });
  });

  it("writes list lines phones:mes separated by newlines, newlines inside a text as \\n", () => {
    const list = [
      { phones: ["+79990000001", "79990000002"], mes: "Привет\nмир" },
      { phones: "79990000003", mes: "a+b" },
    ];
    expect(formatList(list)).toBe("+79990000001,79990000002:Привет\\nмир\n79990000003:a+b");
    const encoded = encodeQuery({ list });
    expect(encoded).toContain("%0A");
    expect(encoded).not.toContain("+7999");
    expect(decodeQuery(encoded)["list"]).toBe(formatList(list));
  });

  it("round-trips through decodeQuery", () => {
    const options = { tz: "-2", voice: "m,en", param: "10,20,3", mes: "Ёлка 😀 & co" };
    expect(decodeQuery(encodeQuery(options))).toEqual(options);
  });
});
