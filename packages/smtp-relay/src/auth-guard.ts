/**
 * Brute-force protection for AUTH, on runtime's `createBruteForceLimiter` (which owns the counting, the
 * doubling lockouts, the bounded tables and what a full table forgets). Failures are counted per client
 * address and per username within a window; past the limit the address or username is locked out
 * (454 4.7.0, the password is not even looked at), each further lockout twice as long as the one before (up
 * to 16 times the first), and every refusal is answered after a delay that grows with the failures. The
 * connection itself is closed by the caller after a few failures, so one session cannot guess at line speed.
 */
import { type BruteForceLimits, createBruteForceLimiter } from "@smsc-kit/runtime";
import { DEFAULT_LIMITS } from "./options.js";

export interface AuthGuardLimits {
  /** Failures from one address within the window before it is locked out. */
  maxAuthFailuresPerAddress: number;
  /** Failures against one username within the window before it is locked out. */
  maxAuthFailuresPerUser: number;
  /** How far back failures count. */
  authFailureWindowMs: number;
  /** The first lockout; each further one doubles, up to 16 times this. */
  authLockoutMs: number;
  /** Delay before answering the first failure; doubles with each failure, up to 5 s. */
  authFailureDelayMs: number;
  /** Addresses, and usernames, remembered at most (each table): failures of unknown usernames count too. */
  authTrackedKeys?: number;
}

export type LockState =
  | { locked: false }
  | { locked: true; retryAfterMs: number; by: "address" | "username" };

const MAX_DELAY_MS = 5_000;
const MAX_LOCKOUT_DOUBLINGS = 4;

export function createAuthGuard(limits: AuthGuardLimits, now: () => number) {
  // One table per kind of key, each with its own limit; the limit'th failure in the window locks.
  const tableFor = (maxFailures: number): BruteForceLimits => ({
    freeFailures: maxFailures - 1,
    afterLockout: "free-failures-again",
    windowMs: limits.authFailureWindowMs,
    baseLockoutMs: limits.authLockoutMs,
    maxLockoutMs: limits.authLockoutMs * 2 ** MAX_LOCKOUT_DOUBLINGS,
    maxKeys: limits.authTrackedKeys ?? DEFAULT_LIMITS.authTrackedKeys,
    answerDelay: { firstMs: limits.authFailureDelayMs, maxMs: MAX_DELAY_MS },
  });
  const byAddress = createBruteForceLimiter(tableFor(limits.maxAuthFailuresPerAddress), now);
  const byUser = createBruteForceLimiter(tableFor(limits.maxAuthFailuresPerUser), now);

  return {
    /** Is this address or username locked out right now? */
    check(address: string, username: string): LockState {
      const addressWait = byAddress.lockedFor([address]);
      if (addressWait > 0) return { locked: true, retryAfterMs: addressWait, by: "address" };
      const userWait = byUser.lockedFor([username]);
      if (userWait > 0) return { locked: true, retryAfterMs: userWait, by: "username" };
      return { locked: false };
    },

    /** Records a wrong password; returns how long to wait before answering, and any lockout it caused. */
    failed(address: string, username: string): { delayMs: number; lock: LockState } {
      const delayMs = Math.max(byAddress.fail([address]).delayMs, byUser.fail([username]).delayMs);
      return { delayMs, lock: this.check(address, username) };
    },

    /** A correct password clears the username's failures (the address's decay with the window). */
    succeeded(username: string): void {
      byUser.succeed([username]);
    },

    /** Addresses and usernames remembered (for tests of the bound). */
    tracked(): { addresses: number; usernames: number } {
      return { addresses: byAddress.size, usernames: byUser.size };
    },
  };
}

export type AuthGuard = ReturnType<typeof createAuthGuard>;
