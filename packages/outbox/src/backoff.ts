import { type BackoffPolicy, backoffDelay } from "@smsc-kit/core";

export type { BackoffPolicy };

/**
 * Delay before a row's next try after `attempt` failed tries (1 = the first try failed). The formula is the
 * one the core client uses too (exponential, equal jitter), in @smsc-kit/core: half the step is fixed, so
 * rows that failed together spread out yet never come back immediately.
 */
export function retryDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  return backoffDelay(attempt - 1, policy, random);
}
