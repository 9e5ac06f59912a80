/**
 * Counts events per key inside a moving time window (simulator-clock milliseconds). The rate rules
 * decide what a key is and what the limit is; this only counts.
 */
export class SlidingWindowCounter {
  private readonly hits = new Map<string, number[]>();

  /** Records one event and returns how many events (this one included) fall inside the window. */
  hit(key: string, now: number, windowMs: number): number {
    const list = this.prune(key, now, windowMs) ?? [];
    list.push(now);
    this.hits.set(key, list);
    return list.length;
  }

  /** Events inside the window, without recording a new one. */
  count(key: string, now: number, windowMs: number): number {
    return this.prune(key, now, windowMs)?.length ?? 0;
  }

  /** Time of the most recent event for the key, if any is remembered. */
  last(key: string): number | undefined {
    const list = this.hits.get(key);
    return list?.[list.length - 1];
  }

  clear(): void {
    this.hits.clear();
  }

  private prune(key: string, now: number, windowMs: number): number[] | undefined {
    const list = this.hits.get(key);
    if (list === undefined) return undefined;
    let drop = 0;
    while (drop < list.length && list[drop]! <= now - windowMs) drop++;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) {
      this.hits.delete(key);
      return undefined;
    }
    return list;
  }
}
