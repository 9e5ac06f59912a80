import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED, redactedCause } from "../src/redact.js";

const SECRET = "p&ss wörd+<1>";

describe("createRedactor", () => {
  const redactor = createRedactor([SECRET]);

  it("removes the raw, XML-escaped and URL-encoded forms", () => {
    const forms = [
      SECRET,
      "p&amp;ss wörd+&lt;1&gt;",
      encodeURIComponent(SECRET),
      new URLSearchParams({ s: SECRET }).toString().slice(2),
    ];
    for (const form of forms) {
      const out = redactor.text(`before ${form} after`);
      expect(out).toBe(`before ${REDACTED} after`);
    }
  });

  it("leaves text without secrets alone", () => {
    expect(redactor.text("nothing to see")).toBe("nothing to see");
  });
});

describe("redactedCause", () => {
  it("copies name, code and message of the whole chain, redacted, and nothing else", () => {
    const inner = Object.assign(new Error(`body was <psw>${SECRET}</psw>`), {
      code: "ECONNRESET",
      body: SECRET,
    });
    const outer = new Error("request failed", { cause: inner });
    const copy = redactedCause(outer, createRedactor([SECRET]));
    expect(copy).toBeInstanceOf(Error);
    const printed = `${inspect(copy, { depth: 10 })} ${JSON.stringify(copy)} ${copy?.stack}`;
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toContain("p&amp;ss");
    const cause = copy?.cause as Error & { code?: string; body?: string };
    expect(cause.code).toBe("ECONNRESET");
    expect(cause.body).toBeUndefined();
    expect(cause.message).toBe(`body was <psw>${REDACTED}</psw>`);
  });
});
