import type { DeliveryContext } from "./delivery-context.js";
import { Dispatcher } from "./dispatcher.js";
import { Semaphore } from "./limits.js";
import type { OutboxSettings } from "./options.js";

/** Pause before migrating again when the database was down at start-up. */
const MIGRATE_RETRY_MS = 1_000;
/** Pause after the store failed mid-flow before the dispatcher tries again. */
const STORE_RETRY_MS = 500;

/**
 * The worker loop's life cycle: start() migrates (retrying while the database is down) and then runs a
 * dispatcher with `concurrency` sends in flight; stop() lets those finish and hands the rest back.
 */
export class Worker {
  private dispatcher: Dispatcher | null = null;
  /** start() was called and stop() not since: the dispatcher may still be waiting for its migration. */
  private wanted = false;

  constructor(
    private readonly context: DeliveryContext,
    private readonly settings: OutboxSettings,
    private readonly migrated: () => Promise<void>,
    private readonly warnStore: (err: unknown) => void,
  ) {}

  get isRunning(): boolean {
    return this.dispatcher?.isRunning ?? false;
  }

  get isStopping(): boolean {
    return this.dispatcher?.isStopping ?? false;
  }

  get inFlight(): number {
    return this.dispatcher?.inFlight ?? 0;
  }

  /** New or redriven work: look for due rows now instead of at the next poll. */
  poke(): void {
    this.dispatcher?.poke();
  }

  /** false when it was already running. */
  start(concurrency: number): boolean {
    if (this.dispatcher?.isRunning) return false;
    this.context.sendSlots = new Semaphore(concurrency);
    const dispatcher = new Dispatcher(
      this.context,
      {
        // Rows in progress may exceed the sends in flight: a row whose answer is being written no longer
        // holds a send slot, so bookkeeping overlaps the next requests.
        concurrency: concurrency * 2,
        // With coalescing, enough rows claimed for every delivery under way to leave full, and as many again
        // waiting, so the next requests fill while the claim is being topped up.
        prefetch: concurrency * (this.batchRows() > 1 ? 2 * this.batchRows() : 3),
        leaseMs: this.settings.leaseMs,
        heartbeatMs: this.settings.heartbeatMs,
        pollIntervalMs: this.settings.pollIntervalMs,
        storeRetryMs: STORE_RETRY_MS,
      },
      this.warnStore,
    );
    this.dispatcher = dispatcher;
    this.wanted = true;
    void this.boot(dispatcher);
    return true;
  }

  /** The most rows one request carries (1 when coalescing is off). */
  private batchRows(): number {
    const coalesce = this.settings.coalesce;
    return coalesce === null ? 1 : Math.max(coalesce.maxRecipients, coalesce.maxListLines);
  }

  /** Migrate first; a database that is down at start-up is retried until it answers or stop() is called. */
  private async boot(dispatcher: Dispatcher): Promise<void> {
    const current = () => this.wanted && dispatcher === this.dispatcher;
    for (;;) {
      try {
        await this.migrated();
        break;
      } catch (err) {
        this.warnStore(err);
        await new Promise((resolve) => setTimeout(resolve, MIGRATE_RETRY_MS));
        if (!current()) return;
      }
    }
    if (current()) dispatcher.start();
  }

  async stop(timeoutMs: number): Promise<void> {
    this.wanted = false;
    await this.dispatcher?.stop(timeoutMs);
  }
}
