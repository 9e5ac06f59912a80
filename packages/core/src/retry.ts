/**
 * The client's retry policy and the backoff formula it shares with the outbox (which imports it from here:
 * core is the package everything depends on and it installs alone, with no internal dependency).
 *
 * Exponential backoff with "equal jitter" ("Exponential Backoff And Jitter", AWS architecture blog): before
 * retry n (0 for the first retry) the step is min(maxDelay, base * 2^n); half of it is fixed and half random.
 *
 * Why equal jitter and not full jitter (uniform in [0, step]), for both the core client's retries and the
 * outbox's: every retry of ours goes to SMSC, which refuses a 15th simultaneous request and answers in
 * 100-300 ms. Full jitter sometimes draws a delay near 0, so the retry lands while the refusal that caused it
 * still holds; with equal jitter every wait is at least half the step, so waits really do grow from try to
 * try, while the random half still spreads the clients (or outbox rows) that failed together.
 *
 * No library: p-retry and exponential-backoff run the retry loop themselves, but the outbox stores its next
 * try in a row (`run_at`) instead of awaiting it, so all either caller needs is this one formula.
 */
export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryPolicy extends BackoffPolicy {
  /** Total tries, the first one included (1 = no retry). */
  attempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** Milliseconds to wait before retry `retry` (0-based: 0 is the first retry). */
export function backoffDelay(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry));
  return Math.floor(step / 2 + random() * (step / 2));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
