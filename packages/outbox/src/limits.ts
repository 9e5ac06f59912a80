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
