import { RATE_RULES } from "@smsc-kit/core";

export type BalanceReading =
  | { kind: "ok"; balance: number; currency?: string | undefined; at: number }
  | { kind: "unavailable"; reason: string; at: number };

/** core's catalog rule (spec/catalog.yaml `balance-polling`): at most `limit` get_balance calls per window. */
const rule = RATE_RULES.find((r) => r.id === "balance-polling");
if (rule === undefined)
  throw new Error("core's RATE_RULES has no balance-polling rule; the dashboard needs it");
/**
 * One call per rule window per process: however many dashboards are open, a gateway asks at most once a
 * minute, so up to `limit` processes on one login stay within SMSC's limit together.
 */
export const BALANCE_CACHE_MS = rule.windowSeconds === null ? 60_000 : rule.windowSeconds * 1000;

/** get_balance behind a cache; concurrent readers share one request, a failure is cached like a success. */
export function cachedBalance(
  fetchBalance: () => Promise<{ balance: number; currency?: string | undefined }>,
  now: () => number = Date.now,
  ttlMs: number = BALANCE_CACHE_MS,
): () => Promise<BalanceReading> {
  let last: BalanceReading | undefined;
  let pending: Promise<BalanceReading> | undefined;
  return () => {
    if (last !== undefined && now() - last.at < ttlMs) return Promise.resolve(last);
    pending ??= fetchBalance()
      .then(
        (answer): BalanceReading => ({
          kind: "ok",
          balance: answer.balance,
          currency: answer.currency,
          at: now(),
        }),
        (error: unknown): BalanceReading => ({
          kind: "unavailable",
          reason: error instanceof Error ? error.message : String(error),
          at: now(),
        }),
      )
      .then((reading) => {
        last = reading;
        pending = undefined;
        return reading;
      });
    return pending;
  };
}
