import { createHash, timingSafeEqual } from "node:crypto";
import type { RelayUserConfig } from "./options.js";

/** The identity smtp-server keeps in `session.user` after a successful AUTH. */
export interface AuthenticatedUser {
  username: string;
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/**
 * Checks a username/password pair. Passwords are compared as SHA-256 digests with
 * timingSafeEqual so neither their content nor their length leaks through timing, and
 * an unknown user costs the same as a wrong password.
 */
export function createAuthenticator(users: Record<string, RelayUserConfig>) {
  const table = new Map(
    Object.entries(users).map(([name, user]) => [name, { user, hash: digest(user.password) }]),
  );
  const decoy = digest("decoy password for unknown users");
  return function authenticate(username: string, password: string): AuthenticatedUser | null {
    const entry = table.get(username);
    const matches = timingSafeEqual(digest(password), entry ? entry.hash : decoy);
    if (!entry || !matches) return null;
    return { username };
  };
}
