import type { OutboxEmitter } from "../events.js";
import type { Gate } from "../gate.js";
import type { LoginHold, OutboxStore, RowError } from "../store/store.js";

/** How often a running process reads its login's shared pause and block state: every replica stops within it. */
export const HOLD_REFRESH_MS = 250;
/**
 * How long a row refused for funds or credentials waits before any process may take it again: every process
 * sharing the login has read the pause by then, so the row is not refused a second time by one that had not.
 */
export const HOLD_SPREAD_MS = 4 * HOLD_REFRESH_MS;

export interface SharedHoldsDeps {
  store: OutboxStore;
  /** The SMSC login whose state is shared (the outbox's `login`). */
  login: string;
  owner: string;
  gate: Gate;
  events: OutboxEmitter;
  now(): number;
  /** Interval of the balance probes: the probe lease lasts two of them, so a crashed prober is replaced. */
  probeIntervalMs: number;
  onStoreError(err: unknown): void;
  /** Resolves once the store is migrated (the worker migrates at start; reading waits for it). */
  migrated(): Promise<void>;
}

const FROM_ANOTHER_PROCESS: RowError = {
  code: null,
  errorClass: null,
  message: "paused by another process sharing this SMSC login",
};

/**
 * Keeps this process's gate (./gate.ts) and the login's shared state in the store in step. What this process
 * learns (funds out, credentials refused, IP blocked; a probe that worked) is written to the store; what another
 * process learnt is read every HOLD_REFRESH_MS and applied to the gate, so every replica stops, and resumes,
 * within that time. While paused, only the process holding the probe lease asks SMSC for the balance.
 */
export class SharedHolds {
  private timer: NodeJS.Timeout | null = null;
  /** Applying what the store says: the gate's events then must not be written back. */
  private applying = false;
  /** Bumped by every local change, so a read that raced one is not applied over it. */
  private localChanges = 0;
  /** The start of the login's pause as the store has it (the key a resume ends). */
  private pausedSince: number | null = null;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SharedHoldsDeps) {
    const { events, store, login } = deps;
    events.on("paused", ({ reason, error, at }) => {
      if (this.applying) return;
      this.localChanges += 1;
      this.write(async () => {
        if (await store.pauseLogin(login, reason, at, error)) this.pausedSince = at;
        else this.pausedSince = (await store.readHold(login)).pausedSince;
      });
    });
    events.on("resumed", () => {
      if (this.applying) return;
      this.localChanges += 1;
      this.write(async () => {
        const since = this.pausedSince ?? (await store.readHold(login)).pausedSince;
        if (since !== null) await store.resumeLogin(login, since);
        this.pausedSince = null;
      });
    });
    events.on("blocked", ({ until, error }) => {
      if (this.applying) return;
      this.localChanges += 1;
      this.write(() => store.blockLogin(login, until, error));
    });
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => void this.refresh(), HOLD_REFRESH_MS);
    void this.refresh();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Whether this process may probe now: it holds (or just took) the login's probe lease. */
  async mayProbe(): Promise<boolean> {
    const { store, login, owner, now, probeIntervalMs } = this.deps;
    await this.writes;
    const at = now();
    return store.takeProbe(login, owner, at + 2 * probeIntervalMs, at);
  }

  private write(change: () => Promise<unknown>): void {
    this.writes = this.writes.then(change).catch(this.deps.onStoreError);
  }

  private async refresh(): Promise<void> {
    const { store, login, gate, now, onStoreError, migrated } = this.deps;
    await this.writes;
    const before = this.localChanges;
    let hold: LoginHold;
    try {
      await migrated();
      hold = await store.readHold(login);
    } catch (err) {
      onStoreError(err);
      return;
    }
    if (this.localChanges !== before) return;
    this.pausedSince = hold.pausedSince;
    this.applying = true;
    try {
      const at = now();
      if (hold.pausedReason !== null && gate.pauseReason === null)
        gate.pause(hold.pausedReason, hold.pausedError ?? FROM_ANOTHER_PROCESS, hold.pausedSince ?? at);
      else if (hold.pausedReason === null && gate.pauseReason !== null) gate.resume(at);
      if (hold.blockedUntil > gate.blockedUntilMs && hold.blockedUntil > at)
        gate.block(hold.blockedUntil, hold.blockedError ?? FROM_ANOTHER_PROCESS, at);
    } finally {
      this.applying = false;
    }
  }
}
