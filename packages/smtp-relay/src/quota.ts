/**
 * Per-user quotas over rolling windows: SMS per minute and per hour, SMS parts per day. One account
 * must not be able to empty the SMSC balance (and pause the outbox for everyone) in seconds.
 *
 * A mail that could never fit (more SMS than a limit allows at all) is refused for good (550 5.7.0); one
 * that does not fit now is deferred (452 4.7.0) and the client retries later. Usage is reserved before
 * the outbox commits and given back when nothing was queued, so concurrent mails cannot overshoot.
 */
import { RelayConfigError, type UserQuota } from "./options.js";
import { SmtpReplyError } from "./smtp-error.js";

const WINDOWS = {
  messagesPerMinute: { ms: 60_000, unit: "messages", words: "SMS per minute" },
  messagesPerHour: { ms: 60 * 60_000, unit: "messages", words: "SMS per hour" },
  partsPerDay: { ms: 24 * 60 * 60_000, unit: "parts", words: "SMS parts per day" },
} as const;

export type QuotaLimit = keyof typeof WINDOWS;
const LIMITS = Object.keys(WINDOWS) as QuotaLimit[];
const LONGEST_WINDOW_MS = WINDOWS.partsPerDay.ms;

interface Use {
  at: number;
  messages: number;
  parts: number;
}

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
  const uses = new Map<string, Use[]>();

  function quotaOf(user: string): UserQuota {
    return { ...options.relayWide, ...options.perUser[user]?.quota };
  }

  function recent(user: string, at: number): Use[] {
    const kept = (uses.get(user) ?? []).filter((use) => use.at > at - LONGEST_WINDOW_MS);
    if (kept.length > 0) uses.set(user, kept);
    else uses.delete(user);
    return kept;
  }

  function used(list: readonly Use[], limit: QuotaLimit, at: number): number {
    const window = WINDOWS[limit];
    return list
      .filter((use) => use.at > at - window.ms)
      .reduce((sum, use) => sum + (window.unit === "parts" ? use.parts : use.messages), 0);
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
      const list = recent(user, at);
      for (const limit of LIMITS) {
        const max = quota[limit];
        if (max === undefined) continue;
        const wanted = WINDOWS[limit].unit === "parts" ? parts : messages;
        if (wanted > max) return refusal(limit, max, true);
        if (used(list, limit, at) + wanted > max) return refusal(limit, max, false);
      }
      const use: Use = { at, messages, parts };
      uses.set(user, [...list, use]);
      return {
        ok: true,
        release() {
          const current = uses.get(user);
          if (current)
            uses.set(
              user,
              current.filter((entry) => entry !== use),
            );
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
      const list = recent(user, at);
      for (const limit of LIMITS) {
        const max = quota[limit];
        if (max !== undefined && used(list, limit, at) + messages > max) {
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
        const list = recent(user, at);
        return LIMITS.filter((limit) => quota[limit] !== undefined).map((limit) => ({
          user,
          limit,
          used: used(list, limit, at),
          max: quota[limit] as number,
        }));
      });
    },
  };
}

export type QuotaTracker = ReturnType<typeof createQuotaTracker>;
