import type { SimClock } from "./clock.js";

interface Job {
  due: number;
  seq: number;
  run: () => void;
}

function earlier(a: Job, b: Job): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/** A binary min-heap by (due, seq): a load test schedules two jobs per message, so inserts must stay cheap. */
class JobHeap {
  private items: Job[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Job | undefined {
    return this.items[0];
  }

  push(job: Job): void {
    const items = this.items;
    items.push(job);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Job | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && earlier(items[left]!, items[smallest]!)) smallest = left;
        if (right < items.length && earlier(items[right]!, items[smallest]!)) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest]!, items[i]!];
        i = smallest;
      }
    }
    return top;
  }

  clear(): void {
    this.items = [];
  }
}

/**
 * Runs jobs when the simulator clock reaches their due time. With a running clock one real timer
 * waits for the earliest job; with a frozen clock only `advance()` makes jobs due.
 */
export class Scheduler {
  private readonly jobs = new JobHeap();
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
    const earliest = this.jobs.peek();
    this.jobs.push({ due, seq: this.seq++, run });
    if (due <= this.clock.now()) queueMicrotask(() => this.runDue());
    else if (earliest === undefined || due < earliest.due) this.arm();
  }

  get pending(): number {
    return this.jobs.size;
  }

  /** Runs every job whose time has come, in due order; jobs scheduled while running are honoured. */
  runDue(): void {
    if (this.running || this.closed) return;
    this.running = true;
    try {
      for (;;) {
        const next = this.jobs.peek();
        if (!next || next.due > this.clock.now()) break;
        this.jobs.pop();
        next.run();
      }
    } finally {
      this.running = false;
    }
    this.arm();
  }

  clear(): void {
    this.jobs.clear();
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
    const next = this.jobs.peek();
    if (!next || this.clock.isFrozen) return;
    // Cap the wait so a clock advanced by hand never leaves a stale, far-off timer behind.
    const wait = Math.min(Math.max(0, next.due - this.clock.now()), 60_000);
    this.timer = setTimeout(() => this.runDue(), wait);
    this.timer.unref();
  }
}
