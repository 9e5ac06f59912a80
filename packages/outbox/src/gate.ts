import type { OutboxEmitter } from "./events.js";
import type { RowError } from "./store/store.js";

export type PauseReason = "funds" | "auth";

/**
 * Outbox-wide holds: paused on insufficient funds or bad credentials (until a balance probe succeeds), and
 * backed off while SMSC blocks our IP. Per outbox instance, never global.
 */
export class Gate {
  private paused: { reason: PauseReason; since: number } | null = null;
  private blockedUntil = 0;

  constructor(
    private readonly events: OutboxEmitter,
    private readonly probeIntervalMs: number,
  ) {}

  /** null when sends may go out now, otherwise the time to look again. */
  holdUntil(now: number): number | null {
    if (this.paused) return now + this.probeIntervalMs;
    if (this.blockedUntil > now) return this.blockedUntil;
    return null;
  }

  get pauseReason(): PauseReason | null {
    return this.paused?.reason ?? null;
  }

  get blockedUntilMs(): number {
    return this.blockedUntil;
  }

  /** Returns true when this call paused the outbox (it was running). */
  pause(reason: PauseReason, error: RowError, now: number): boolean {
    if (this.paused) return false;
    this.paused = { reason, since: now };
    this.events.emit("paused", { reason, error, at: now });
    return true;
  }

  resume(now: number): void {
    if (!this.paused) return;
    const { reason, since } = this.paused;
    this.paused = null;
    this.events.emit("resumed", { reason, pausedForMs: now - since, at: now });
  }

  block(until: number, error: RowError, now: number): void {
    if (until <= this.blockedUntil) return;
    this.blockedUntil = until;
    this.events.emit("blocked", { until, error, at: now });
  }
}
