/** Builders for callbacks as SMSC sends them (form fields) and as the store receives them (typed). */
import { createHash } from "node:crypto";
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

/** Adds md5 and sha1 of `id:phone:status:secret`, as smsc-protocol.md §4 describes. */
export function signed(fields: Record<string, string>, secret: string): Record<string, string> {
  const payload = `${fields["id"] ?? ""}:${fields["phone"] ?? ""}:${fields["status"] ?? ""}:${secret}`;
  return {
    ...fields,
    md5: createHash("md5").update(payload).digest("hex"),
    sha1: createHash("sha1").update(payload).digest("hex"),
  };
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}
