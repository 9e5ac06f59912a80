import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSignatureVerifier, WebhookSignatureError } from "../src/index.js";

const hex = (algorithm: "md5" | "sha1", text: string) => createHash(algorithm).update(text).digest("hex");
const fields = { id: "42", phone: "79991234567", status: "1" };

function outcome(verify: () => void): string {
  try {
    verify();
    return "ok";
  } catch (error) {
    if (error instanceof WebhookSignatureError) return error.reason;
    throw error;
  }
}

describe("callback signatures", () => {
  it("accepts md5 and sha1 of id:phone:status:secret, in either letter case", () => {
    const verifier = createSignatureVerifier("k");
    const md5 = hex("md5", "42:79991234567:1:k");
    expect(outcome(() => verifier.verify({ ...fields, md5 }))).toBe("ok");
    expect(outcome(() => verifier.verify({ ...fields, md5: md5.toUpperCase() }))).toBe("ok");
    expect(outcome(() => verifier.verify({ ...fields, sha1: hex("sha1", "42:79991234567:1:k") }))).toBe("ok");
  });

  it("tells a missing signature from a wrong one, including truncated and non-hex digests", () => {
    const verifier = createSignatureVerifier("k");
    const md5 = hex("md5", "42:79991234567:1:k");
    expect(outcome(() => verifier.verify(fields))).toBe("missing");
    expect(outcome(() => verifier.verify({ ...fields, md5: "" }))).toBe("missing");
    expect(outcome(() => verifier.verify({ ...fields, md5: md5.slice(0, 30) }))).toBe("mismatch");
    expect(outcome(() => verifier.verify({ ...fields, md5: `${md5.slice(0, 31)}z` }))).toBe("mismatch");
    expect(outcome(() => verifier.verify({ ...fields, md5: `${md5}00` }))).toBe("mismatch");
  });

  it("uses the configured fields and algorithms", () => {
    const verifier = createSignatureVerifier("k", { algorithms: ["sha1"], fields: ["id", "status"] });
    expect(outcome(() => verifier.verify({ ...fields, sha1: hex("sha1", "42:1:k") }))).toBe("ok");
    expect(outcome(() => verifier.verify({ ...fields, sha1: hex("sha1", "42:79991234567:1:k") }))).toBe(
      "mismatch",
    );
    // md5 is not among the configured algorithms, so an md5 alone counts as no signature at all.
    expect(outcome(() => verifier.verify({ ...fields, md5: hex("md5", "42:1:k") }))).toBe("missing");
  });
});
