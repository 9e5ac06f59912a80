import { randomFillSync } from "node:crypto";

const ID_BYTES = 15;
// One crypto call per 273 ids instead of one per id: enqueueing thousands of rows spends its time elsewhere.
const pool = Buffer.alloc(ID_BYTES * 273);
let offset = pool.length;

/**
 * The SMSC message id a row keeps for every attempt. 15 random bytes in base64url are 20 characters of
 * [A-Za-z0-9_-], inside SMSC's rule for string ids (≤ 40 characters of Latin letters, digits, ".", "-", "_"),
 * which core's validator checks again at enqueue. 120 random bits make a collision between rows negligible,
 * and (id, phone) is what get_status looks a message up by.
 */
export function generateSmscId(prefix = ""): string {
  if (offset + ID_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString("base64url", offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return prefix + id;
}

/**
 * The id SMSC knows a row's message by, (id, phone): its batch's id once it travelled with others in one request
 * (../coalesce/), else its own.
 */
export function wireId(row: { smscId: string; batchId: string | null }): string {
  return row.batchId ?? row.smscId;
}
