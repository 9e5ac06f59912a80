/**
 * SMSC callback signatures: md5 and/or sha1 (lower-case hex) of `id:phone:status:<secret>`
 * (smsc-protocol.md §4). The official wording is not public, so the signed string is configurable.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { WebhookSignatureError } from "./errors.js";

export type SignatureAlgorithm = "md5" | "sha1";

export interface SignatureOptions {
  /** Which signature fields are checked. Default both; a callback must carry at least one of them. */
  algorithms?: readonly SignatureAlgorithm[];
  /**
   * Builds the string that is hashed from the received fields and the secret.
   * Default: `${id}:${phone}:${status}:${secret}` (absent fields as empty strings).
   */
  signedString?: (fields: Readonly<Record<string, string>>, secret: string) => string;
}

export const defaultSignedString = (fields: Readonly<Record<string, string>>, secret: string): string =>
  `${fields["id"] ?? ""}:${fields["phone"] ?? ""}:${fields["status"] ?? ""}:${secret}`;

export interface SignatureVerifier {
  /** Throws WebhookSignatureError when no checked signature is present or any present one is wrong. */
  verify(fields: Readonly<Record<string, string>>): void;
}

export function createSignatureVerifier(secret: string, options: SignatureOptions = {}): SignatureVerifier {
  const algorithms = options.algorithms ?? ["md5", "sha1"];
  const signedString = options.signedString ?? defaultSignedString;
  return {
    verify(fields) {
      let checked = 0;
      let mismatch = false;
      const payload = signedString(fields, secret);
      for (const algorithm of algorithms) {
        const given = fields[algorithm];
        if (given === undefined || given === "") continue;
        checked++;
        const expected = createHash(algorithm).update(payload, "utf8").digest();
        // A tampered md5 next to a valid sha1 is still a forgery: every present signature must match.
        if (!sameDigest(expected, given)) mismatch = true;
      }
      if (checked === 0) throw new WebhookSignatureError("missing");
      if (mismatch) throw new WebhookSignatureError("mismatch");
    },
  };
}

/** Constant-time comparison of a digest with the hex text a caller sent. */
function sameDigest(expected: Buffer, givenHex: string): boolean {
  const given = /^[0-9a-fA-F]+$/.test(givenHex) ? Buffer.from(givenHex, "hex") : Buffer.alloc(0);
  // Compare against a same-length buffer either way so the length check leaks nothing about the digest.
  const comparable = given.length === expected.length ? given : Buffer.alloc(expected.length);
  return timingSafeEqual(expected, comparable) && given.length === expected.length;
}
