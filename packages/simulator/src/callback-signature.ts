import { createHash } from "node:crypto";

/**
 * SMSC signs a status callback with md5 and sha1 of `id:phone:status:secret`, lower-case hex
 * (smsc-protocol.md §4; the secret comes from the account settings).
 */
export function signCallback(
  fields: { id: string; phone: string; status: number | string },
  secret: string,
): { md5: string; sha1: string } {
  const base = `${fields.id}:${fields.phone}:${fields.status}:${secret}`;
  return {
    md5: createHash("md5").update(base, "utf8").digest("hex"),
    sha1: createHash("sha1").update(base, "utf8").digest("hex"),
  };
}
