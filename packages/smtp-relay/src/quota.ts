/**
 * Per-user quotas over rolling windows: SMS per minute and per hour, SMS parts per day. One account
 * must not be able to empty the SMSC balance (and pause the outbox for everyone) in seconds.
 *
 * A mail that could never fit (more SMS than a limit allows at all) is refused for good (550 5.7.0); one
 * that does not fit now is deferred (452 4.7.0) and the client retries later. Usage is reserved before
 * the outbox commits and given back when nothing was queued, so concurrent mails cannot overshoot.
 *
 * The windows are runtime's `SlidingWindowCounter`, one key per user and limit, each event weighing the SMS or
 * parts it reserved. Keys are the configured users and "" (unauthenticated mail), so their number is bounded by
 * the configuration; the counter's periodic sweep forgets users idle for longer than a window.
 */
import { SlidingWindowCounter } from "@smsc-kit/runtime";
import { RelayConfigError, type UserQuota } from "./options.js";
import { SmtpReplyError } from "./smtp-error.js";

const WINDOWS = {
  messagesPerMinute: { ms: 60_000, unit: "messages", words: "SMS per minute" },
  messagesPerHour: { ms: 60 * 60_000, unit: "messages", words: "SMS per hour" },
  partsPerDay: { ms: 24 * 60 * 60_000, unit: "parts", words: "SMS parts per day" },
} as const;

export type QuotaLimit = keyof typeof WINDOWS;
const LIMITS = Object.keys(WINDOWS) as QuotaLimit[];

export type Admission =
  | { ok: true; release(): void }
  | { ok: false; error: SmtpReplyError; limit: QuotaLimit; permanent: boolean };

/** Checks every configured quota at start-up: a limit is a positive integer. */
export function assertQuota(field: string, quota: UserQuota | undefined): void {
  for (const limit of LIMITS) {
    const value = quota?.[limit];
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
      throw new RelayConfigError(
        `${field}.${limit}`,
        "positive_integer",
        `must be a positive integer, got ${value}`,
      );
    }
  }
}

export function createQuotaTracker(options: {
  relayWide: UserQuota | undefined;
  perUser: Record<string, { quota?: UserQuota }>;
  now: () => number;
}) {
  assertQuota("quota", options.relayWide);
  for (const [name, user] of Object.entries(options.perUser)) assertQuota(`users.${name}.quota`, user.quota);
  const windows = new SlidingWindowCounter();

  function quotaOf(user: string): UserQuota {
    return { ...options.relayWide, ...options.perUser[user]?.quota };
  }

  const keyOf = (user: string, limit: QuotaLimit) => `${limit}\u0000${user}`;

  function used(user: string, limit: QuotaLimit, at: number): number {
    return windows.count(keyOf(user, limit), at, WINDOWS[limit].ms);
  }

  function refusal(limit: QuotaLimit, max: number, permanent: boolean): Admission {
    const words = WINDOWS[limit].words;
    const error = permanent
      ? new SmtpReplyError(
          550,
          "5.7.0",
          `This mail needs more than your quota allows at all (${max} ${words})`,
        )
      : new SmtpReplyError(452, "4.7.0", `Quota reached (${max} ${words}); try again later`);
    return { ok: false, error, limit, permanent };
  }

  return {
    /** Reserves `messages` SMS of `parts` parts in all for `user` ("" for unauthenticated mail). */
    admit(user: string, messages: number, parts: number): Admission {
      const at = options.now();
      const quota = quotaOf(user);
      const limits = LIMITS.filter((limit) => quota[limit] !== undefined);
      const weightOf = (limit: QuotaLimit) => (WINDOWS[limit].unit === "parts" ? parts : messages);
      for (const limit of limits) {
        const max = quota[limit] as number;
        const wanted = weightOf(limit);
        if (wanted > max) return refusal(limit, max, true);
        if (used(user, limit, at) + wanted > max) return refusal(limit, max, false);
      }
      for (const limit of limits) windows.hit(keyOf(user, limit), at, WINDOWS[limit].ms, weightOf(limit));
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return; // a second call must not give back another mail's equal reservation
          released = true;
          for (const limit of limits) windows.release(keyOf(user, limit), at, weightOf(limit));
        },
      };
    },

    /**
     * A refusal if `user` has no room for `messages` more SMS (each at least one part). Checked at RCPT with
     * the phones the mail has so far, so a recipient past the room is deferred (452) on its own while the
     * others go now, rather than the whole mail being refused after DATA.
     */
    exhausted(user: string, messages = 1): Extract<Admission, { ok: false }> | undefined {
      const at = options.now();
      const quota = quotaOf(user);
      for (const limit of LIMITS) {
        const max = quota[limit];
        if (max !== undefined && used(user, limit, at) + messages > max) {
          const denied = refusal(limit, max, false);
          if (!denied.ok) return denied;
        }
      }
      return undefined;
    },

    /** What each configured user has used in each window, for /metrics. */
    usage(): { user: string; limit: QuotaLimit; used: number; max: number }[] {
      const at = options.now();
      return Object.keys(options.perUser).flatMap((user) => {
        const quota = quotaOf(user);
        return LIMITS.filter((limit) => quota[limit] !== undefined).map((limit) => ({
          user,
          limit,
          used: used(user, limit, at),
          max: quota[limit] as number,
        }));
      });
    },
  };
}

export type QuotaTracker = ReturnType<typeof createQuotaTracker>;
