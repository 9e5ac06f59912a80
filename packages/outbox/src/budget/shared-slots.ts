import type { OutboxStore, SlotBudget } from "../store/store.js";

export interface SharedSlotsOptions {
  store: OutboxStore;
  budget: SlotBudget;
  /** The rule's limit from the catalog: at most this many slots held at once by every process together. */
  limit: number;
  /** This process's identity (the outbox's owner): a slot is freed or renewed only by its holder. */
  owner: string;
  /** How long a slot is held without renewal: a crashed holder's slots free themselves after this. */
  leaseMs: number;
  now(): number;
  /** The store failed while taking a slot; the taker waits `storeRetryMs` and tries again. */
  onStoreError(err: unknown): void;
  storeRetryMs: number;
}

/** First and longest pause between two looks for a free slot while every slot is held. */
const FIRST_LOOK_MS = 5;
const LONGEST_LOOK_MS = 50;

/**
 * One rule of SMSC's per-login budget (e.g. simultaneous requests), shared with every process on the store
 * through a table of leased slots. A request holds one slot while it is open; a live process renews the leases of
 * the slots it holds every third of a lease, a crashed one's slots come back when their lease runs out.
 *
 * Within a process only one caller at a time asks the store for a slot (the others queue behind it, first come
 * first served), so a process that waits costs the database one query per look, however many requests wait.
 */
export class SharedSlots {
  private readonly waiting: ((slot: number) => void)[] = [];
  private readonly held = new Set<number>();
  private seeded: Promise<void> | null = null;
  private looking = false;
  private wake: (() => void) | null = null;
  private renewal: NodeJS.Timeout | null = null;

  constructor(private readonly options: SharedSlotsOptions) {}

  /** Resolves with a slot number once one is leased to this process. */
  acquire(): Promise<number> {
    const slot = new Promise<number>((resolve) => this.waiting.push(resolve));
    void this.look();
    return slot;
  }

  /** Gives the slot back to every process; the next local waiter looks at once. */
  release(slot: number): void {
    const { store, budget, owner, onStoreError } = this.options;
    this.held.delete(slot);
    if (this.held.size === 0) this.stopRenewing();
    void store
      .giveSlot(budget, slot, owner)
      .catch(onStoreError)
      .finally(() => this.wake?.());
  }

  get heldSlots(): number {
    return this.held.size;
  }

  private async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    let pause = FIRST_LOOK_MS;
    try {
      while (this.waiting.length > 0) {
        let slot: number | null;
        try {
          slot = await this.take();
        } catch (err) {
          this.seeded = null;
          this.options.onStoreError(err);
          await this.sleep(this.options.storeRetryMs);
          continue;
        }
        if (slot === null) {
          // Every slot is held somewhere: look again soon, sooner when this process frees one.
          await this.sleep(pause * (0.5 + Math.random()));
          pause = Math.min(pause * 2, LONGEST_LOOK_MS);
          continue;
        }
        pause = FIRST_LOOK_MS;
        this.held.add(slot);
        this.startRenewing();
        this.waiting.shift()?.(slot);
      }
    } finally {
      this.looking = false;
    }
  }

  private async take(): Promise<number | null> {
    const { store, budget, limit, owner, leaseMs, now } = this.options;
    this.seeded ??= store.seedSlots(budget, limit);
    await this.seeded;
    const at = now();
    return store.takeSlot(budget, limit, owner, at + leaseMs, at);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wake = (): void => done();
      this.wake = wake;
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wake === wake) self.wake = null;
        resolve();
      }
    });
  }

  private startRenewing(): void {
    if (this.renewal !== null) return;
    this.renewal = setInterval(() => void this.renew(), Math.max(1, Math.floor(this.options.leaseMs / 3)));
    this.renewal.unref();
  }

  private stopRenewing(): void {
    if (this.renewal !== null) clearInterval(this.renewal);
    this.renewal = null;
  }

  private async renew(): Promise<void> {
    const { store, budget, owner, leaseMs, now, onStoreError } = this.options;
    await store.renewSlots(budget, [...this.held], owner, now() + leaseMs).catch(onStoreError);
  }
}
