/**
 * The gateway's limits on HTTP Basic guesses, on runtime's `createBruteForceLimiter` (which owns the counting,
 * the doubling lockouts, the bounded table and what a full table forgets). Keys are the client address and the
 * username: a few free failures, then each further failure locks the key for a time that doubles up to a
 * ceiling. While locked, the password is not even checked (429 with Retry-After). A success clears the
 * address and the username.
 */
import { type BruteForceLimiter, createBruteForceLimiter } from "@smsc-kit/runtime";

export interface AuthLimits {
  /** Failures allowed before a lockout starts. Default 5. */
  freeFailures?: number;
  /** First lockout; each further failure doubles it. Default 1 s. */
  baseLockoutMs?: number;
  /** Longest lockout. Default 15 min. */
  maxLockoutMs?: number;
  /** A key quiet this long starts again from zero. Default 1 h. */
  forgetAfterMs?: number;
  /** Keys remembered at most (keys still within their free failures forgotten first). Default 10 000. */
  maxKeys?: number;
}

export type AuthLimiter = BruteForceLimiter;

export function createAuthLimiter(limits: AuthLimits = {}, now: () => number = Date.now): AuthLimiter {
  return createBruteForceLimiter(
    {
      freeFailures: limits.freeFailures ?? 5,
      afterLockout: "next-failure-locks",
      baseLockoutMs: limits.baseLockoutMs ?? 1_000,
      maxLockoutMs: limits.maxLockoutMs ?? 15 * 60_000,
      forgetAfterMs: limits.forgetAfterMs ?? 60 * 60_000,
      maxKeys: limits.maxKeys ?? 10_000,
    },
    now,
  );
}
