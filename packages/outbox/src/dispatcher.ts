import { deliverBatch } from "./coalesce/batch-delivery.js";
import { boardBatch, type Passenger, passengerOf } from "./coalesce/grouping.js";
import { deliver } from "./delivery.js";
import type { DeliveryContext } from "./delivery-context.js";
import type { ClaimedRow } from "./store/store.js";

export interface DispatcherOptions {
  /** Deliveries (one request each: a row alone, or a batch of rows) under way at once. */
  concurrency: number;
  /** Rows held per process (in flight + claimed and waiting); claims are topped up when half are used. */
  prefetch: number;
  leaseMs: number;
  heartbeatMs: number;
  pollIntervalMs: number;
  /** Pause after the store failed (database restarting, connection killed) before trying again. */
  storeRetryMs: number;
}

/** An interruptible sleep: stop(), a finished row and new local work wake the loop early. */
class Waker {
  private wake: (() => void) | null = null;
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wake === done) self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }
  poke(): void {
    this.wake?.();
  }
}

/**
 * The claim loop of one outbox in one process: keeps up to `concurrency` deliveries in flight and more rows
 * claimed ahead (fewer claim queries, and enough rows for batches to fill), extends the leases of every row it
 * holds, and on stop lets in-flight requests finish while rows that had not started go back to the queue. Rows
 * that can travel together leave as one batch (./coalesce/), the others one by one.
 */
export class Dispatcher {
  private running = false;
  private stopping = false;
  private readonly inflight = new Map<number, Promise<void>>();
  /** Rows of the deliveries in flight (a batch holds many), for the heartbeat. */
  private readonly inflightRows = new Set<number>();
  private nextDelivery = 0;
  private readonly waiting: ClaimedRow[] = [];
  /** Each waiting row as a batch passenger (null: it travels alone), worked out once per claim. */
  private readonly passengers = new Map<number, Passenger | null>();
  private readonly waker = new Waker();
  private loopDone: Promise<void> | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly context: DeliveryContext,
    private readonly options: DispatcherOptions,
    private readonly onStoreError: (err: unknown) => void,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Rows whose request is under way (a batch counts each of its rows). */
  get inFlight(): number {
    return this.inflightRows.size;
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.loopDone = this.loop();
  }

  /** New work was enqueued in this process: look now instead of at the next poll. */
  poke(): void {
    this.waker.poke();
  }

  async stop(timeoutMs: number): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.running = false;
    this.waker.poke();
    await this.loopDone;
    const unstarted = this.waiting.splice(0).map((row) => row.rowId);
    this.passengers.clear();
    if (unstarted.length > 0) {
      await this.context.store
        .release(this.context.owner, unstarted, this.context.now())
        .catch(this.onStoreError);
    }
    const all = Promise.allSettled([...this.inflight.values()]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private launch(): void {
    while (this.running && this.inflight.size < this.options.concurrency && this.waiting.length > 0) {
      const next = this.nextRows();
      const rows = Array.isArray(next) ? next.map((p) => p.row) : [next];
      const key = this.nextDelivery++;
      for (const row of rows) this.inflightRows.add(row.rowId);
      const work = Array.isArray(next) ? deliverBatch(next, this.context) : deliver(next, this.context);
      const delivery = work
        .catch((err: unknown) => this.onStoreError(err))
        .finally(() => {
          this.inflight.delete(key);
          for (const row of rows) this.inflightRows.delete(row.rowId);
          this.launch();
          this.waker.poke();
        });
      this.inflight.set(key, delivery);
    }
  }

  private passengerFor(row: ClaimedRow): Passenger | null {
    let passenger = this.passengers.get(row.rowId);
    if (passenger === undefined) {
      passenger = passengerOf(row, this.context.coalesce);
      this.passengers.set(row.rowId, passenger);
    }
    return passenger;
  }

  /**
   * The first waiting row alone, or as a batch with every waiting row that can share its request. The rows
   * leave the passenger cache here: a row claimed again later (e.g. for reconcile) is judged afresh.
   */
  private nextRows(): ClaimedRow | Passenger[] {
    const first = this.waiting.shift()!;
    const passenger = this.passengerFor(first);
    const settings = this.context.coalesce;
    if (passenger === null || settings === null) {
      this.passengers.delete(first.rowId);
      return first;
    }
    const candidates: Passenger[] = [];
    for (const row of this.waiting) {
      const candidate = this.passengerFor(row);
      if (candidate !== null && candidate.key === passenger.key) candidates.push(candidate);
    }
    const batch = boardBatch(passenger, candidates, settings);
    if (batch.length > 1) {
      const taken = new Set(batch.map((p) => p.row.rowId));
      let kept = 0;
      for (const row of this.waiting) if (!taken.has(row.rowId)) this.waiting[kept++] = row;
      this.waiting.length = kept;
    }
    for (const p of batch) this.passengers.delete(p.row.rowId);
    // A batch of one goes the way a row alone always went (no err=1, no batch id).
    return batch.length === 1 ? first : batch;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const now = this.context.now();
      const hold = this.context.gate.holdUntil(now);
      if (hold !== null && this.waiting.length === 0) {
        await this.waker.sleep(Math.min(hold - now, this.options.pollIntervalMs * 4));
        continue;
      }
      this.launch();
      const held = this.inflight.size + this.waiting.length;
      // Top up only when at most half the prefetch is held, so one claim serves many rows.
      if (hold !== null || held > this.options.prefetch / 2) {
        await this.waker.sleep(this.options.pollIntervalMs);
        continue;
      }
      let rows: ClaimedRow[];
      try {
        rows = await this.context.store.claim(
          this.context.owner,
          this.options.prefetch - held,
          now + this.options.leaseMs,
          now,
        );
      } catch (err) {
        this.onStoreError(err);
        await this.waker.sleep(this.options.storeRetryMs);
        continue;
      }
      this.waiting.push(...rows);
      if (rows.length > 0)
        this.context.events.emit("claimed", { rowIds: rows.map((row) => row.rowId), at: this.context.now() });
      this.launch();
      if (rows.length === 0) await this.waker.sleep(this.options.pollIntervalMs);
    }
  }

  private async beat(): Promise<void> {
    const held = [...this.inflightRows, ...this.waiting.map((row) => row.rowId)];
    if (held.length === 0) return;
    try {
      await this.context.store.heartbeat(this.context.owner, held, this.context.now() + this.options.leaseMs);
    } catch (err) {
      this.onStoreError(err);
    }
  }
}
