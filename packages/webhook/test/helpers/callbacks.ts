/** Builders for callbacks as SMSC sends them (form fields) and as the store receives them (typed). */
import { callbackSignature } from "@smsc-kit/core";
import { parseCallback, type StatusCallback } from "../../src/index.js";

export function statusFields(
  fields: { id: string; phone: string; status: number; err?: number } & Record<string, string | number>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]));
}

export function statusCallback(
  fields: { id: string; phone: string; status: number; err?: number } & Record<string, string | number>,
): StatusCallback {
  const parsed = parseCallback(statusFields(fields));
  if (parsed.kind !== "status") throw new Error("expected a status callback");
  return parsed;
}

/** Adds md5 and sha1 as SMSC signs a callback (core's catalog formula, as the simulator uses it too). */
export function signed(fields: Record<string, string>, secret: string): Record<string, string> {
  return {
    ...fields,
    md5: callbackSignature(fields, secret, { algorithm: "md5" }),
    sha1: callbackSignature(fields, secret, { algorithm: "sha1" }),
  };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
