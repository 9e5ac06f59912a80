import type { OutboxStore, SentItem, StoredRow } from "./store/store.js";

/**
 * Group commit for "sent" outcomes: rows answered in the same turn of the event loop (or while the previous
 * write was running) are written with one statement. Each caller still waits for its own row's write, so no
 * event is emitted before the state is durable.
 */
export class SentCompleter {
  private buffer: {
    item: SentItem;
    resolve: (row: StoredRow | null) => void;
    reject: (err: unknown) => void;
  }[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly owner: string,
    private readonly now: () => number,
    private readonly maxBatch = 200,
  ) {}

  complete(item: SentItem): Promise<StoredRow | null> {
    return new Promise((resolve, reject) => {
      this.buffer.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.buffer.length === 0) return;
    this.flushing = true;
    const batch = this.buffer.splice(0, this.maxBatch);
    try {
      const done = await this.store.finishSent(
        this.owner,
        batch.map((b) => b.item),
        this.now(),
      );
      for (const b of batch) b.resolve(done.get(b.item.rowId) ?? null);
    } catch (err) {
      for (const b of batch) b.reject(err);
    } finally {
      this.flushing = false;
      if (this.buffer.length > 0) this.schedule();
    }
  }
}
