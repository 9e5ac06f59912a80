import { randomBytes } from "node:crypto";

/**
 * The SMSC message id a row keeps for every attempt. 15 random bytes in base64url are 20 characters of
 * [A-Za-z0-9_-], inside SMSC's rule for string ids (≤ 40 characters of Latin letters, digits, ".", "-", "_"),
 * which core's validator checks again at enqueue. 120 random bits make a collision between rows negligible,
 * and (id, phone) is what get_status looks a message up by.
 */
export function generateSmscId(prefix = ""): string {
  return prefix + randomBytes(15).toString("base64url");
}
