import { describe, expect, it } from "vitest";
import { networkOutcome } from "../src/soap/http.js";

function withCode(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe("networkOutcome", () => {
  it("says not_sent for failures before the request is written", () => {
    for (const code of [
      "ECONNREFUSED",
      "ENOTFOUND",
      "UND_ERR_CONNECT_TIMEOUT",
      "ERR_TLS_CERT_ALTNAME_INVALID",
    ]) {
      expect(networkOutcome(withCode(code))).toBe("not_sent");
    }
  });

  it("says unknown for failures after it may have been written", () => {
    for (const code of ["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_SOCKET", "ECONNRESET"]) {
      expect(networkOutcome(withCode(code))).toBe("unknown");
    }
    expect(networkOutcome(new Error("no code"))).toBe("unknown");
  });

  it("looks through the cause chain", () => {
    expect(networkOutcome(new Error("wrapped", { cause: withCode("ECONNREFUSED") }))).toBe("not_sent");
  });
});
