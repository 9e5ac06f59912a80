/**
 * Signatures of SMSC's status callbacks. The formula is catalog data (CALLBACK_SIGNATURE: the fields
 * and where the secret goes, the separator, the algorithms, lower-case hex, the form field of each
 * digest; confidence confirmed-3p), so a receiver and the simulator sign and check the same string.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { CALLBACK_SIGNATURE, type CallbackSignatureAlgorithm } from "./generated/index.js";

/** Callback form fields as received or about to be sent; an absent field signs as an empty string. */
export type CallbackFields = Readonly<Record<string, string | number | undefined>>;

export interface CallbackSignatureOptions {
  algorithm: CallbackSignatureAlgorithm;
  /** The fields that enter the signed string, in order. Default: the catalog's (`id`, `phone`, `status`). */
  fields?: readonly string[];
}

export interface VerifyCallbackSignatureOptions {
  /** The signatures to check. Default: every algorithm the catalog lists (md5, sha1). */
  algorithms?: readonly CallbackSignatureAlgorithm[];
  /** As in callbackSignature. */
  fields?: readonly string[];
}

export type CallbackSignatureVerdict =
  /** `algorithms`: the signatures that were present, and all matched. */
  | { ok: true; algorithms: readonly CallbackSignatureAlgorithm[] }
  /** `missing`: none of the checked signature fields was sent; `mismatch`: one that was sent is wrong. */
  | { ok: false; reason: "missing" | "mismatch" };

function signedString(fields: CallbackFields, secret: string, names: readonly string[]): string {
  const values = names.map((name) => String(fields[name] ?? ""));
  const parts = CALLBACK_SIGNATURE.secretPosition === "last" ? [...values, secret] : [secret, ...values];
  return parts.join(CALLBACK_SIGNATURE.separator);
}

function digest(algorithm: CallbackSignatureAlgorithm, text: string): Buffer {
  return createHash(algorithm).update(text, "utf8").digest();
}

/** The signature SMSC would send for these callback fields, as lower-case hex. */
export function callbackSignature(
  fields: CallbackFields,
  secret: string,
  options: CallbackSignatureOptions,
): string {
  const names = options.fields ?? CALLBACK_SIGNATURE.fields;
  return digest(options.algorithm, signedString(fields, secret, names)).toString("hex");
}

/** The form field that carries the digest of `algorithm` (`md5`, `sha1`). */
export function callbackSignatureField(algorithm: CallbackSignatureAlgorithm): string {
  return CALLBACK_SIGNATURE.signatureFields[algorithm];
}

/** Constant-time: a wrong guess takes as long whatever its length or how many characters match. */
function sameDigest(expected: Buffer, givenHex: string): boolean {
  const given = /^(?:[0-9a-fA-F]{2})+$/.test(givenHex) ? Buffer.from(givenHex, "hex") : Buffer.alloc(0);
  const comparable = given.length === expected.length ? given : Buffer.alloc(expected.length);
  return timingSafeEqual(expected, comparable) && given.length === expected.length;
}

/**
 * Check the signatures a received callback carries. Every checked signature that is present must match
 * (a forged md5 next to a valid sha1 is still a forgery); at least one must be present.
 */
export function verifyCallbackSignature(
  fields: CallbackFields,
  secret: string,
  options: VerifyCallbackSignatureOptions = {},
): CallbackSignatureVerdict {
  const algorithms = options.algorithms ?? CALLBACK_SIGNATURE.algorithms;
  const text = signedString(fields, secret, options.fields ?? CALLBACK_SIGNATURE.fields);
  const present: CallbackSignatureAlgorithm[] = [];
  let mismatch = false;
  for (const algorithm of algorithms) {
    const given = fields[callbackSignatureField(algorithm)];
    if (given === undefined || given === "") continue;
    present.push(algorithm);
    if (!sameDigest(digest(algorithm, text), String(given))) mismatch = true;
  }
  if (present.length === 0) return { ok: false, reason: "missing" };
  if (mismatch) return { ok: false, reason: "mismatch" };
  return { ok: true, algorithms: present };
}
