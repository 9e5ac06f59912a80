import type { SimClock } from "./clock.js";

interface Job {
  due: number;
  seq: number;
  run: () => void;
}

/**
 * Runs jobs when the simulator clock reaches their due time. With a running clock one real timer
 * waits for the earliest job; with a frozen clock only `advance()` makes jobs due.
 */
export class Scheduler {
  private jobs: Job[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly clock: SimClock) {
    this.unsubscribe = clock.onAdvance(() => this.runDue());
  }

  at(due: number, run: () => void): void {
    if (this.closed) return;
    this.jobs.push({ due, seq: this.seq++, run });
    this.jobs.sort((a, b) => a.due - b.due || a.seq - b.seq);
    if (due <= this.clock.now()) queueMicrotask(() => this.runDue());
    else this.arm();
  }

  get pending(): number {
    return this.jobs.length;
  }

  /** Runs every job whose time has come, in due order; jobs scheduled while running are honoured. */
  runDue(): void {
    if (this.running || this.closed) return;
    this.running = true;
    try {
      for (;;) {
        const next = this.jobs[0];
        if (!next || next.due > this.clock.now()) break;
        this.jobs.shift();
        next.run();
      }
    } finally {
      this.running = false;
    }
    this.arm();
  }

  clear(): void {
    this.jobs = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.clear();
    this.closed = true;
    this.unsubscribe();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.jobs[0];
    if (!next || this.clock.isFrozen) return;
    // Cap the wait so a clock advanced by hand never leaves a stale, far-off timer behind.
    const wait = Math.min(Math.max(0, next.due - this.clock.now()), 60_000);
    this.timer = setTimeout(() => this.runDue(), wait);
    this.timer.unref();
  }
}
