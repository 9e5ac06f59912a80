import { SlidingWindowCounter } from "@smsc-kit/runtime";

/** In-process limiters for SMSC's per-login rules. Values come from core's RATE_RULES (see protocol.ts). */

/** Counting semaphore: at most `limit` holders at once, FIFO. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active -= 1;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  get inUse(): number {
    return this.active;
  }
}

/**
 * SMSC's flood rule for one subscriber: a run of more than `limit` messages, each less than `spacingMs` after the
 * previous one, is forbidden. We never drop: a send that would extend the run past the limit is delayed until
 * the spacing has passed, which ends the run.
 */
export class FloodGuard {
  private readonly runs = new Map<string, { last: number; length: number }>();
  constructor(
    private readonly limit: number,
    private readonly spacingMs: number,
  ) {}

  /** The earliest time a message to all of these phones may go out (≤ now means "now"). */
  earliest(phones: readonly string[], now: number): number {
    let t = now;
    for (const p of phones) {
      const run = this.runs.get(p);
      if (run && now - run.last < this.spacingMs && run.length >= this.limit)
        t = Math.max(t, run.last + this.spacingMs);
    }
    return t;
  }

  record(phones: readonly string[], at: number): void {
    for (const p of phones) {
      const run = this.runs.get(p);
      if (run && at - run.last < this.spacingMs) {
        run.last = at;
        run.length += 1;
      } else {
        this.runs.set(p, { last: at, length: 1 });
      }
    }
    if (this.runs.size > 50_000) this.forget(at);
  }

  private forget(now: number): void {
    for (const [p, run] of this.runs) if (now - run.last >= this.spacingMs) this.runs.delete(p);
  }
}

/** At most `limit` events per key per `windowMs` (status polls of one message), counted by runtime's window. */
export class WindowLimiter {
  private readonly window = new SlidingWindowCounter();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Takes a slot and returns true, or returns false when the key is at its limit. */
  tryTake(key: string, now: number): boolean {
    if (this.window.count(key, now, this.windowMs) >= this.limit) return false;
    this.window.hit(key, now, this.windowMs);
    return true;
  }
}
