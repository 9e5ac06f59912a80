/**
 * Limits HTTP Basic guesses per client address and per username: a few free failures, then each further
 * failure locks the key for a time that doubles up to a ceiling. While locked, the password is not even
 * checked (429 with Retry-After). A success clears the address and the username. Memory is bounded, and a
 * full table forgets keys still within their free failures first.
 */
export interface AuthLimits {
  /** Failures allowed before a lockout starts. Default 5. */
  freeFailures?: number;
  /** First lockout; each further failure doubles it. Default 1 s. */
  baseLockoutMs?: number;
  /** Longest lockout. Default 15 min. */
  maxLockoutMs?: number;
  /** A key quiet this long starts again from zero. Default 1 h. */
  forgetAfterMs?: number;
  /** Keys remembered at most (oldest forgotten first). Default 10 000. */
  maxKeys?: number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export interface AuthLimiter {
  /** Milliseconds until any of these keys may try again; 0 when none is locked. */
  lockedFor(keys: readonly string[], now?: number): number;
  /** Counts a failure for each key; returns the lockout it caused (0 when still free). */
  fail(keys: readonly string[], now?: number): { failures: number; lockedForMs: number };
  succeed(keys: readonly string[]): void;
}

export function createAuthLimiter(limits: AuthLimits = {}): AuthLimiter {
  const freeFailures = limits.freeFailures ?? 5;
  const base = limits.baseLockoutMs ?? 1_000;
  const ceiling = limits.maxLockoutMs ?? 15 * 60_000;
  const forgetAfter = limits.forgetAfterMs ?? 60 * 60_000;
  const maxKeys = limits.maxKeys ?? 10_000;
  const entries = new Map<string, Entry>();

  const current = (key: string, now: number): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && now - entry.lastFailureAt > forgetAfter && entry.lockedUntil <= now) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    lockedFor(keys, now = Date.now()) {
      let wait = 0;
      for (const key of keys) wait = Math.max(wait, (current(key, now)?.lockedUntil ?? 0) - now);
      return Math.max(0, wait);
    },
    fail(keys, now = Date.now()) {
      let failures = 0;
      let lockedForMs = 0;
      for (const key of keys) {
        const entry = current(key, now) ?? { failures: 0, lastFailureAt: now, lockedUntil: 0 };
        entry.failures += 1;
        entry.lastFailureAt = now;
        const over = entry.failures - freeFailures;
        if (over > 0) {
          const lockout = Math.min(ceiling, base * 2 ** Math.min(over - 1, 30));
          entry.lockedUntil = now + lockout;
          lockedForMs = Math.max(lockedForMs, lockout);
        }
        // Re-insert so the Map's order is least recently failed first.
        entries.delete(key);
        entries.set(key, entry);
        failures = Math.max(failures, entry.failures);
      }
      while (entries.size > maxKeys) {
        const forgotten = leastUseful(entries, freeFailures, keys);
        if (forgotten === undefined) break;
        entries.delete(forgotten);
      }
      return { failures, lockedForMs };
    },
    succeed(keys) {
      for (const key of keys) entries.delete(key);
    },
  };
}

/**
 * The key to forget when the table is full: the least recently failed one still within its free failures.
 * Keys past them are what slows a guesser down; forgetting those first would let one with many addresses
 * (an IPv6 /64) push a locked username out with junk failures and start its free guesses again. A table
 * full of such keys forgets the oldest of them. The keys just counted are never the ones forgotten, or a
 * table kept full would forget every new username at once.
 */
function leastUseful(
  entries: ReadonlyMap<string, Entry>,
  freeFailures: number,
  counted: readonly string[],
): string | undefined {
  let oldest: string | undefined;
  for (const [key, entry] of entries) {
    if (counted.includes(key)) continue;
    if (entry.failures <= freeFailures) return key;
    oldest ??= key;
  }
  return oldest;
}
