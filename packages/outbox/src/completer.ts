import { createGroupCommit, type GroupCommit } from "@smsc-kit/runtime";
import type { OutboxStore, SentItem, StoredRow } from "./store/store.js";

/**
 * Group commit for "sent" outcomes (runtime's createGroupCommit): rows answered in the same turn of the event
 * loop (or while the previous write was running) are written with one statement. Each caller still waits for
 * its own row's write, so no event is emitted before the state is durable.
 */
export class SentCompleter {
  private readonly commits: GroupCommit<SentItem, StoredRow | null>;

  /**
   * Up to 500 rows per write, and up to 4 writes at once: with many messages per request a batch's rows arrive
   * together, and one writer at a time would make the finishes, not SMSC, the limit (no row is in two writes).
   */
  constructor(store: OutboxStore, owner: string, now: () => number, maxBatch = 500, concurrency = 4) {
    this.commits = createGroupCommit(
      async (items: SentItem[]) => {
        const done = await store.finishSent(owner, items, now());
        return items.map((item) => done.get(item.rowId) ?? null);
      },
      { maxBatch, concurrency },
    );
  }

  complete(item: SentItem): Promise<StoredRow | null> {
    return this.commits.submit(item);
  }
}
