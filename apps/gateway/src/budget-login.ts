import { createHash } from "node:crypto";

/**
 * The key under which the outbox shares SMSC's per-login budget (simultaneous requests, pause state) with
 * every other process on the same store. A login is not a secret and is the key as it is. An API key is a
 * secret and must never reach the database, so the key is a digest of it: stable across processes and
 * restarts, different for different keys. One account reached by login in one process and by API key in
 * another gets two budgets; give every process the same kind of credentials.
 */
export function budgetLoginOf(credentials: { login: string } | { apikey: string }): string {
  if ("login" in credentials) return credentials.login;
  return `apikey:${createHash("sha256").update(credentials.apikey).digest("hex").slice(0, 16)}`;
}
