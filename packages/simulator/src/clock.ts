/**
 * The simulator's notion of "now". Every time-dependent rule (scheduled sends, rate windows,
 * IP blocks, status transitions) reads this clock, so tests can move time instead of waiting.
 *
 * - `frozen` clocks only move when `advance()` is called: deterministic tests.
 * - running clocks follow the wall clock plus whatever was advanced: demos and load tests.
 */
export interface ClockOptions {
  /** Initial time (default: the wall clock at start). */
  start?: Date | number;
  /** When true, time stands still between `advance()` calls (default false). */
  frozen?: boolean;
}

export class SimClock {
  private readonly frozen: boolean;
  private base: number;
  private readonly realAtBase: number;
  private offset = 0;
  private readonly listeners = new Set<() => void>();

  constructor(options: ClockOptions = {}) {
    this.frozen = options.frozen ?? false;
    this.base = options.start === undefined ? Date.now() : new Date(options.start).getTime();
    this.realAtBase = Date.now();
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  now(): number {
    const real = this.frozen ? 0 : Date.now() - this.realAtBase;
    return this.base + real + this.offset;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Moves time forward and lets the scheduler fire everything that became due. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("advance(ms): ms must be a finite number ≥ 0");
    this.offset += ms;
    for (const listener of this.listeners) listener();
  }

  /** Sets the clock to a given instant (forward only: rate windows assume monotonic time). */
  set(to: Date | number): void {
    const target = new Date(to).getTime();
    const delta = target - this.now();
    if (delta < 0) throw new RangeError("the simulator clock only moves forward");
    this.advance(delta);
  }

  /** Back to the start instant (inspector reset: every time-dependent state is cleared with it). */
  reset(): void {
    this.offset = 0;
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
