/**
 * Callback signatures. The formula is catalog data (core's CALLBACK_SIGNATURE: md5 and/or sha1,
 * lower-case hex, of `id:phone:status:<secret>`, docs/protocol.md §4) and core checks it in constant
 * time; this module only turns core's verdict into the receiver's refusal. The official wording is not
 * public, so which fields enter the signed string and which digests are checked stay configurable.
 */
import { type CallbackSignatureAlgorithm, verifyCallbackSignature } from "@smsc-kit/core";
import { WebhookSignatureError } from "./errors.js";

export type SignatureAlgorithm = CallbackSignatureAlgorithm;

export interface SignatureOptions {
  /** Which digests are checked. Default: every algorithm the catalog lists; at least one must be sent. */
  algorithms?: readonly SignatureAlgorithm[];
  /** The fields that enter the signed string, in order. Default: the catalog's (`id`, `phone`, `status`). */
  fields?: readonly string[];
}

export interface SignatureVerifier {
  /** Throws WebhookSignatureError when no checked signature is present or any present one is wrong. */
  verify(fields: Readonly<Record<string, string>>): void;
}

export function createSignatureVerifier(secret: string, options: SignatureOptions = {}): SignatureVerifier {
  const checks = {
    ...(options.algorithms ? { algorithms: options.algorithms } : {}),
    ...(options.fields ? { fields: options.fields } : {}),
  };
  return {
    verify(fields) {
      const verdict = verifyCallbackSignature(fields, secret, checks);
      if (!verdict.ok) throw new WebhookSignatureError(verdict.reason);
    },
  };
}
