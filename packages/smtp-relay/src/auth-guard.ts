/**
 * Brute-force protection for AUTH. Failures are counted per client address and per username within a
 * window; past the limit the address or username is locked out (454 4.7.0, the password is not even
 * looked at), each further lockout twice as long as the one before, and every refusal is answered
 * after a delay that grows with the failures. The connection itself is closed by the caller after a
 * few failures, so one session cannot guess at line speed.
 */

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
}

export type LockState =
  | { locked: false }
  | { locked: true; retryAfterMs: number; by: "address" | "username" };

interface Record {
  failures: number[];
  lockedUntil: number;
  lockouts: number;
}

/** Failures of unknown usernames are tracked too; the tables are bounded so a flood cannot grow them. */
const MAX_TRACKED = 10_000;
const MAX_DELAY_MS = 5_000;
const MAX_LOCKOUT_DOUBLINGS = 4;

function table() {
  const records = new Map<string, Record>();
  return {
    get(key: string): Record | undefined {
      return records.get(key);
    },
    upsert(key: string): Record {
      let record = records.get(key);
      if (!record) {
        if (records.size >= MAX_TRACKED) {
          const oldest = records.keys().next().value;
          if (oldest !== undefined) records.delete(oldest);
        }
        record = { failures: [], lockedUntil: 0, lockouts: 0 };
        records.set(key, record);
      }
      return record;
    },
    delete(key: string) {
      records.delete(key);
    },
  };
}

export function createAuthGuard(limits: AuthGuardLimits, now: () => number) {
  const byAddress = table();
  const byUser = table();

  function lockRemaining(record: Record | undefined, at: number): number {
    return record && record.lockedUntil > at ? record.lockedUntil - at : 0;
  }

  /** Counts one failure; locks the record when it reaches `max` failures within the window. */
  function fail(record: Record, max: number, at: number): void {
    record.failures = record.failures.filter((t) => t > at - limits.authFailureWindowMs);
    record.failures.push(at);
    if (record.failures.length >= max) {
      const doublings = Math.min(record.lockouts, MAX_LOCKOUT_DOUBLINGS);
      record.lockedUntil = at + limits.authLockoutMs * 2 ** doublings;
      record.lockouts += 1;
      record.failures = [];
    }
  }

  return {
    /** Is this address or username locked out right now? */
    check(address: string, username: string): LockState {
      const at = now();
      const addressWait = lockRemaining(byAddress.get(address), at);
      if (addressWait > 0) return { locked: true, retryAfterMs: addressWait, by: "address" };
      const userWait = lockRemaining(byUser.get(username), at);
      if (userWait > 0) return { locked: true, retryAfterMs: userWait, by: "username" };
      return { locked: false };
    },

    /** Records a wrong password; returns how long to wait before answering, and any lockout it caused. */
    failed(address: string, username: string): { delayMs: number; lock: LockState } {
      const at = now();
      const addressRecord = byAddress.upsert(address);
      const userRecord = byUser.upsert(username);
      fail(addressRecord, limits.maxAuthFailuresPerAddress, at);
      fail(userRecord, limits.maxAuthFailuresPerUser, at);
      const recent = Math.max(addressRecord.failures.length, userRecord.failures.length, 1);
      const delayMs = Math.min(limits.authFailureDelayMs * 2 ** (recent - 1), MAX_DELAY_MS);
      return { delayMs, lock: this.check(address, username) };
    },

    /** A correct password clears the username's failures (the address's decay with the window). */
    succeeded(username: string): void {
      byUser.delete(username);
    },
  };
}

export type AuthGuard = ReturnType<typeof createAuthGuard>;
