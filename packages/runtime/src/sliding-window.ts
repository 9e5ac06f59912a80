/**
 * Counts events per key inside a moving time window: the outbox's limit on status polls of one message and
 * the simulator's SMSC rate rules. Callers decide what a key is and what the limit is; this only counts.
 *
 * Exact, not approximate: the simulator must refuse the request SMSC would refuse, so the counter keeps every
 * event's time for the window (a fixed-window or token-bucket limiter such as rate-limiter-flexible's memory
 * limiter would let through bursts at a window's edge that SMSC refuses).
 */
export class SlidingWindowCounter {
  private readonly hits = new Map<string, { windowMs: number; times: number[] }>();
  private hitsSinceSweep = 0;

  /** Every this many hits, keys whose window has passed are forgotten (a long run keeps no dead keys). */
  static readonly SWEEP_EVERY = 10_000;

  /** Records one event and returns how many events (this one included) fall inside the window. */
  hit(key: string, now: number, windowMs: number): number {
    if (++this.hitsSinceSweep >= SlidingWindowCounter.SWEEP_EVERY) this.sweep(now);
    const entry = this.hits.get(key) ?? { windowMs, times: [] };
    prune(entry.times, now, windowMs);
    entry.windowMs = windowMs;
    entry.times.push(now);
    this.hits.set(key, entry);
    return entry.times.length;
  }

  /** How many events of `key` fall inside the window ending at `now`, without recording one. */
  count(key: string, now: number, windowMs: number): number {
    const entry = this.hits.get(key);
    if (entry === undefined) return 0;
    prune(entry.times, now, windowMs);
    return entry.times.length;
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
      prune(entry.times, now, entry.windowMs);
      if (entry.times.length === 0) this.hits.delete(key);
    }
  }
}

/** Drops the times at or before `now - windowMs` (they are sorted, oldest first). */
function prune(times: number[], now: number, windowMs: number): void {
  let drop = 0;
  while (drop < times.length && times[drop]! <= now - windowMs) drop++;
  if (drop > 0) times.splice(0, drop);
}
