/**
 * The production benchmark's work and its accounting. The work: half one campaign text to distinct numbers,
 * half distinct texts to distinct numbers (every number distinct over the whole run, so each message is
 * one (text, phone) pair). The accounting reads what the simulator accepted, one record per recipient
 * however the requests were batched, and compares it with what was enqueued and when.
 */

export interface Job {
  phones: string;
  mes: string;
}

export const CAMPAIGN_TEXT = "Spring sale: 20% off everything in store until Sunday. Reply STOP to opt out";

/** `n` messages: the first half the campaign, the rest texts of their own. `offset` keeps runs apart. */
export function workload(n: number, offset = 0): Job[] {
  const campaign = Math.floor(n / 2);
  return Array.from({ length: n }, (_, i) => ({
    phones: `7999${String(offset + i).padStart(7, "0")}`,
    mes: i < campaign ? CAMPAIGN_TEXT : `Order ${100_000 + offset + i} is ready for pickup at 12 Main St`,
  }));
}

/** One (text, phone) pair; the phone as digits, however the client wrote it. */
export const keyOf = (mes: string, phone: string) => `${phone.replace(/\D/g, "")}\u0000${mes}`;

/** What the simulator keeps of each recipient (GET /_sim/messages). */
export interface AcceptedRecord {
  phone: string;
  mes: string;
  createdAt: number;
  refused: boolean;
}

export interface Outcome {
  /** Messages accepted at least once. */
  accepted: number;
  /** Extra acceptances of a message already accepted. */
  duplicates: number;
  /** Enqueued, never accepted. */
  lost: number;
  /** Accepted records that match nothing enqueued (should be 0: a sign the harness is wrong). */
  strangers: number;
  /** Unique accepted per second, from the first enqueue to the last first acceptance. */
  perSecond: number;
  p99LatencyMs: number;
  elapsedMs: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * `enqueuedAt` maps each message's key to the wall-clock ms its enqueue committed; `startedAt` is when
 * the first enqueue began. The simulator's clock is the wall clock of the same machine.
 */
export function account(
  enqueuedAt: ReadonlyMap<string, number>,
  records: readonly AcceptedRecord[],
  startedAt: number,
): Outcome {
  const firstAccepted = new Map<string, number>();
  let duplicates = 0;
  let strangers = 0;
  for (const r of records) {
    if (r.refused) continue;
    const key = keyOf(r.mes, r.phone);
    if (!enqueuedAt.has(key)) {
      strangers++;
      continue;
    }
    const seen = firstAccepted.get(key);
    if (seen === undefined) firstAccepted.set(key, r.createdAt);
    else {
      duplicates++;
      if (r.createdAt < seen) firstAccepted.set(key, r.createdAt);
    }
  }
  const latencies: number[] = [];
  let last = startedAt;
  for (const [key, at] of firstAccepted) {
    latencies.push(at - enqueuedAt.get(key)!);
    if (at > last) last = at;
  }
  latencies.sort((a, b) => a - b);
  const elapsedMs = last - startedAt;
  return {
    accepted: firstAccepted.size,
    duplicates,
    lost: enqueuedAt.size - firstAccepted.size,
    strangers,
    perSecond: elapsedMs > 0 ? (firstAccepted.size / elapsedMs) * 1000 : 0,
    p99LatencyMs: percentile(latencies, 99),
    elapsedMs,
  };
}
