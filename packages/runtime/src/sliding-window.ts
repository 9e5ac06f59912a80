/**
 * Counts events per key inside a moving time window: the outbox's limit on status polls of one message, the
 * simulator's SMSC rate rules, the failures of the brute-force limiter and the SMTP relay's quotas. Callers
 * decide what a key is and what the limit is; this only counts. An event may weigh more than one (the relay
 * counts SMS parts) and may be given back (a reservation that queued nothing).
 *
 * Exact, not approximate: the simulator must refuse the request SMSC would refuse, so the counter keeps every
 * event's time for the window (a fixed-window or token-bucket limiter such as rate-limiter-flexible's memory
 * limiter would let through bursts at a window's edge that SMSC refuses).
 */
interface Events {
  windowMs: number;
  /** Oldest first. */
  times: number[];
  weights: number[];
  /** Sum of `weights`. */
  total: number;
}

export class SlidingWindowCounter {
  private readonly hits = new Map<string, Events>();
  private hitsSinceSweep = 0;

  /** Every this many hits, keys whose window has passed are forgotten (a long run keeps no dead keys). */
  static readonly SWEEP_EVERY = 10_000;

  /** Records one event of `weight` (default 1) and returns the weight inside the window, this one included. */
  hit(key: string, now: number, windowMs: number, weight = 1): number {
    if (++this.hitsSinceSweep >= SlidingWindowCounter.SWEEP_EVERY) this.sweep(now);
    const entry = this.hits.get(key) ?? { windowMs, times: [], weights: [], total: 0 };
    prune(entry, now, windowMs);
    entry.windowMs = windowMs;
    entry.times.push(now);
    entry.weights.push(weight);
    entry.total += weight;
    this.hits.set(key, entry);
    return entry.total;
  }

  /** The weight of `key`'s events inside the window ending at `now`, without recording one. */
  count(key: string, now: number, windowMs: number): number {
    const entry = this.hits.get(key);
    if (entry === undefined) return 0;
    prune(entry, now, windowMs);
    return entry.total;
  }

  /** Takes back one event recorded by `hit(key, at, …, weight)`; nothing when it has left the window. */
  release(key: string, at: number, weight = 1): void {
    const entry = this.hits.get(key);
    if (entry === undefined) return;
    for (let i = entry.times.length - 1; i >= 0; i--) {
      if (entry.times[i] === at && entry.weights[i] === weight) {
        entry.times.splice(i, 1);
        entry.weights.splice(i, 1);
        entry.total -= weight;
        return;
      }
    }
  }

  /** Forgets every event of `key` (a count that starts over, or a key its owner no longer tracks). */
  forget(key: string): void {
    this.hits.delete(key);
  }

  /** Keys currently remembered (for tests of the sweep). */
  get size(): number {
    return this.hits.size;
  }

  clear(): void {
    this.hits.clear();
    this.hitsSinceSweep = 0;
  }

  sweep(now: number): void {
    this.hitsSinceSweep = 0;
    for (const [key, entry] of this.hits) {
      prune(entry, now, entry.windowMs);
      if (entry.times.length === 0) this.hits.delete(key);
    }
  }
}

/** Drops the events at or before `now - windowMs` (they are sorted, oldest first). */
function prune(entry: Events, now: number, windowMs: number): void {
  const { times, weights } = entry;
  let drop = 0;
  while (drop < times.length && times[drop]! <= now - windowMs) entry.total -= weights[drop++]!;
  if (drop > 0) {
    times.splice(0, drop);
    weights.splice(0, drop);
  }
}
