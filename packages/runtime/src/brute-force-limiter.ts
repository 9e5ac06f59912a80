/**
 * Holds back password guessing: failures are counted per key (the caller's keys, e.g. a client address and a
 * username), a key that passes its free failures is locked out, and each further lockout lasts twice the one
 * before, up to a ceiling. While a key is locked the caller refuses without looking at the password. Used by
 * the SMTP relay's AUTH (`smtp-relay/src/auth-guard.ts`) and the gateway's HTTP Basic (`http/basic-auth.ts`),
 * which differ only in the limits below.
 *
 * Memory is bounded (`maxKeys`), and what a full table forgets is chosen so that it never helps a guesser: keys
 * still within their free failures go first, keys that were locked last, and the keys just counted never (or a
 * table kept full would forget every new username at once). Forgetting the oldest key first instead lets a
 * guesser with many addresses (an IPv6 /64) push a locked username out with junk failures and start its free
 * guesses at it again.
 *
 * Failure times are kept in a `SlidingWindowCounter`, which gives the relay its window; the counter holds
 * only keys this table holds, so the table's bound is the counter's too.
 *
 * Written here rather than taken from rate-limiter-flexible: its brute-force recipes block for a fixed time
 * per limiter (doubling would be written around it), and its memory store has no bound on keys, let alone a
 * choice of which key a full table gives up.
 */
import { SlidingWindowCounter } from "./sliding-window.js";

export interface BruteForceLimits {
  /** Failures a key may make before its first lockout; the next one locks it. */
  freeFailures: number;
  /**
   * What follows a lockout: `"next-failure-locks"` (the count goes on, so every further failure locks again)
   * or `"free-failures-again"` (the count starts over and the next lockout needs `freeFailures + 1` more).
   */
  afterLockout: "next-failure-locks" | "free-failures-again";
  /** Failures older than this stop counting towards a lockout. Default: they count until the key is forgotten. */
  windowMs?: number;
  /** The first lockout; each further one doubles. */
  baseLockoutMs: number;
  /** The longest lockout. */
  maxLockoutMs: number;
  /** A key with no failure for this long, and not locked, is forgotten (its lockouts start again from the base). Default: never. */
  forgetAfterMs?: number;
  /** Keys remembered at most. */
  maxKeys: number;
  /** When set, each failure is answered after `firstMs`, doubling with each counted failure, up to `maxMs`. */
  answerDelay?: { firstMs: number; maxMs: number };
}

export interface FailureOutcome {
  /** Failures counting towards a lockout, this one included (the most of any key). */
  failures: number;
  /** The lockout this failure started (the longest of any key); 0 when none. */
  lockedForMs: number;
  /** How long to wait before answering (0 without `answerDelay`). */
  delayMs: number;
}

export interface BruteForceLimiter {
  /** Milliseconds until every one of these keys may try again; 0 when none is locked. */
  lockedFor(keys: readonly string[]): number;
  /** Counts one failure against each key. */
  fail(keys: readonly string[]): FailureOutcome;
  /** Forgets these keys (a correct password). */
  succeed(keys: readonly string[]): void;
  /** Keys remembered (for tests of the bound). */
  readonly size: number;
}

interface Entry {
  /** Failures counting towards a lockout (for "next-failure-locks", all since the key was remembered). */
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
  /** Lockouts so far: the next one lasts base × 2^lockouts. */
  lockouts: number;
}

export function createBruteForceLimiter(
  limits: BruteForceLimits,
  now: () => number = Date.now,
): BruteForceLimiter {
  const windowMs = limits.windowMs ?? Number.POSITIVE_INFINITY;
  const forgetAfterMs = limits.forgetAfterMs ?? Number.POSITIVE_INFINITY;
  // Insertion order is kept least recently failed first: a failure re-inserts its key.
  const entries = new Map<string, Entry>();
  const failureTimes = new SlidingWindowCounter();

  const forget = (key: string) => {
    entries.delete(key);
    failureTimes.forget(key);
  };

  const current = (key: string, at: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && at - entry.lastFailureAt > forgetAfterMs && entry.lockedUntil <= at) {
      forget(key);
      return undefined;
    }
    return entry;
  };

  /** Past its free failures, or locked before: what slows a guesser down, so forgotten last. */
  const protective = (key: string, entry: Entry, at: number) =>
    entry.lockouts > 0 || failureTimes.count(key, at, windowMs) > limits.freeFailures;

  /** The key a full table forgets: the least recently failed unprotective one, else the least recently failed. */
  const leastUseful = (counted: readonly string[], at: number): string | undefined => {
    let oldest: string | undefined;
    for (const [key, entry] of entries) {
      if (counted.includes(key)) continue;
      if (!protective(key, entry, at)) return key;
      oldest ??= key;
    }
    return oldest;
  };

  return {
    lockedFor(keys) {
      const at = now();
      let wait = 0;
      for (const key of keys) wait = Math.max(wait, (current(key, at)?.lockedUntil ?? 0) - at);
      return wait;
    },

    fail(keys) {
      const at = now();
      let failures = 0;
      let lockedForMs = 0;
      for (const key of keys) {
        const entry = current(key, at) ?? { failures: 0, lastFailureAt: at, lockedUntil: 0, lockouts: 0 };
        entry.lastFailureAt = at;
        // The window only decides the free failures; once past them, "next-failure-locks" needs no times.
        const counted = failureTimes.hit(key, at, windowMs);
        const pastFree = limits.afterLockout === "next-failure-locks" && entry.lockouts > 0;
        entry.failures = pastFree ? entry.failures + 1 : counted;
        failures = Math.max(failures, entry.failures);
        if (pastFree || counted > limits.freeFailures) {
          const lockout = Math.min(
            limits.maxLockoutMs,
            limits.baseLockoutMs * 2 ** Math.min(entry.lockouts, 30),
          );
          entry.lockedUntil = at + lockout;
          entry.lockouts += 1;
          lockedForMs = Math.max(lockedForMs, lockout);
          // Either way the times are done with, so a key never holds more than freeFailures + 1 of them.
          failureTimes.forget(key);
        }
        entries.delete(key);
        entries.set(key, entry);
      }
      while (entries.size > limits.maxKeys) {
        const forgotten = leastUseful(keys, at);
        if (forgotten === undefined) break;
        forget(forgotten);
      }
      const delay = limits.answerDelay;
      const delayMs = delay ? Math.min(delay.maxMs, delay.firstMs * 2 ** Math.min(failures - 1, 30)) : 0;
      return { failures, lockedForMs, delayMs };
    },

    succeed(keys) {
      for (const key of keys) forget(key);
    },

    get size() {
      return entries.size;
    },
  };
}
