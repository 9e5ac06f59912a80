import type { OutboxStore, SlotBudget } from "../store/store.js";

export interface SharedWindowOptions {
  store: OutboxStore;
  /** The login and the catalog rule the window counts (e.g. `status-per-message`). */
  budget: SlotBudget;
  limit: number;
  windowMs: number;
  onStoreError(err: unknown): void;
}

/**
 * A sliding-window rule of SMSC's (at most `limit` requests per key within `windowMs`, e.g. status requests for
 * one message) counted across every process on the store: each key's recent hits are one row, updated under a
 * row lock. Windows whose hits have all expired are deleted once per window length.
 */
export class SharedWindow {
  private lastPrune = 0;

  constructor(private readonly options: SharedWindowOptions) {}

  /** Counts a hit and returns true, or returns false when the key is at its limit (or the store failed). */
  async tryTake(key: string, now: number): Promise<boolean> {
    const { store, budget, limit, windowMs, onStoreError } = this.options;
    if (now - this.lastPrune >= windowMs) {
      this.lastPrune = now;
      void store.pruneWindows(now).catch(onStoreError);
    }
    try {
      // As JSON: a key may hold characters a text column refuses (PostgreSQL has no NUL in text).
      return await store.hitWindow(budget, JSON.stringify(key), limit, windowMs, now);
    } catch (err) {
      // Not counted, so not asked: the caller treats it as "at the limit" and asks again later.
      onStoreError(err);
      return false;
    }
  }
}
