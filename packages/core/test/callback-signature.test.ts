import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  callbackSignature,
  callbackSignatureField,
  verifyCallbackSignature,
} from "../src/callback-signature.js";
import { CALLBACK_SIGNATURE } from "../src/generated/index.js";

const hex = (algorithm: string, text: string) => createHash(algorithm).update(text, "utf8").digest("hex");
const callback = { id: "42", phone: "79991234567", status: 1, err: 0, cost: "1.50" };
const secret = "s3cret";

function signed(fields: Record<string, string | number>) {
  return {
    ...fields,
    md5: callbackSignature(fields, secret, { algorithm: "md5" }),
    sha1: callbackSignature(fields, secret, { algorithm: "sha1" }),
  };
}

describe("callbackSignature (catalog CALLBACK_SIGNATURE)", () => {
  it("digests id:phone:status:secret as lower-case hex", () => {
    expect(callbackSignature(callback, secret, { algorithm: "md5" })).toBe(
      hex("md5", "42:79991234567:1:s3cret"),
    );
    expect(callbackSignature(callback, secret, { algorithm: "sha1" })).toBe(
      hex("sha1", "42:79991234567:1:s3cret"),
    );
    expect(callbackSignature(callback, secret, { algorithm: "sha1" })).toMatch(/^[0-9a-f]{40}$/);
  });

  it("signs other fields, in the given order, when asked", () => {
    expect(callbackSignature(callback, secret, { algorithm: "md5", fields: ["phone", "id"] })).toBe(
      hex("md5", "79991234567:42:s3cret"),
    );
    // An absent field signs as empty text.
    expect(callbackSignature({ id: "7" }, secret, { algorithm: "md5" })).toBe(hex("md5", "7:::s3cret"));
  });

  it("names the form field of each algorithm from the catalog", () => {
    expect(CALLBACK_SIGNATURE.algorithms.map(callbackSignatureField)).toEqual(["md5", "sha1"]);
  });
});

describe("verifyCallbackSignature", () => {
  it("accepts what callbackSignature signed, with either or both signatures", () => {
    const form = signed(callback);
    expect(verifyCallbackSignature(form, secret)).toEqual({ ok: true, algorithms: ["md5", "sha1"] });
    const { md5: _md5, ...sha1Only } = form;
    expect(verifyCallbackSignature(sha1Only, secret)).toEqual({ ok: true, algorithms: ["sha1"] });
    expect(verifyCallbackSignature({ ...form, sha1: form.sha1.toUpperCase() }, secret).ok).toBe(true);
  });

  it("refuses a wrong secret, a changed field, a forged signature next to a valid one, and none at all", () => {
    const form = signed(callback);
    expect(verifyCallbackSignature(form, "other")).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyCallbackSignature({ ...form, status: "3" }, secret)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifyCallbackSignature({ ...form, md5: "0".repeat(32) }, secret)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifyCallbackSignature({ ...form, sha1: "xyz" }, secret)).toEqual({
      ok: false,
      reason: "mismatch",
    });
    expect(verifyCallbackSignature(callback, secret)).toEqual({ ok: false, reason: "missing" });
  });

  it("checks only the algorithms asked for", () => {
    const form = { ...signed(callback), md5: "0".repeat(32) };
    expect(verifyCallbackSignature(form, secret, { algorithms: ["sha1"] })).toEqual({
      ok: true,
      algorithms: ["sha1"],
    });
    expect(verifyCallbackSignature(callback, secret, { algorithms: ["md5"] })).toMatchObject({
      reason: "missing",
    });
  });

  it("never puts the secret into its verdict", () => {
    const verdicts = [
      verifyCallbackSignature(signed(callback), secret),
      verifyCallbackSignature(callback, secret),
    ];
    expect(JSON.stringify(verdicts)).not.toContain(secret);
  });
});
