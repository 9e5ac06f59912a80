/**
 * Group commit: items submitted while a commit is being prepared or is in flight share the next write. Every
 * caller still gets its answer only after the write that holds its item, so each answer stays durable while
 * one transaction (one fsync, one round trip) serves many callers. Nobody waits for a timer: the first item
 * is written on the next turn of the event loop, and a batch is simply whatever queued up meanwhile.
 *
 * Used by the webhook store (callbacks), the SMTP relay (mails to the outbox) and the outbox's completer
 * ("sent" outcomes). Why not a library: DataLoader, the well-kept batcher, is made for keyed reads; it caches,
 * and it starts a new batch every tick even while the previous one is still being written, where a group
 * commit must hold new items back until a write slot frees (that is what makes the batches grow under load).
 * It also fails a whole batch with its error, where we retry each item alone so only the culprit is refused.
 */
export type BatchWriter<T, R> = (items: T[]) => Promise<readonly R[]> | readonly R[];

export interface GroupCommit<T, R> {
  /** Queues one item; resolves with its own result once the write that holds it is committed. */
  submit(item: T): Promise<R>;
  /** Resolves once everything submitted so far is committed (or failed). */
  drain(): Promise<void>;
}

export interface GroupCommitOptions<T> {
  /** Most weight in one batch (default 512); a single item heavier than this still goes, alone. */
  maxBatch?: number;
  /** How much of `maxBatch` an item uses (default 1 each; the relay counts a mail's messages). */
  weight?: (item: T) => number;
  /**
   * Batches written at the same time (default 1). Above 1 the writer must serialise overlapping
   * batches itself (the PostgreSQL webhook store locks per message); SQLite writes synchronously anyway.
   */
  concurrency?: number;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export function createGroupCommit<T, R>(
  write: BatchWriter<T, R>,
  options: GroupCommitOptions<T> = {},
): GroupCommit<T, R> {
  const maxBatch = options.maxBatch ?? 512;
  const weight = options.weight ?? (() => 1);
  const concurrency = options.concurrency ?? 1;
  let queue: Waiting<T, R>[] = [];
  let scheduled = false;
  const inFlight = new Set<Promise<void>>();

  const schedule = () => {
    if (scheduled || inFlight.size >= concurrency || queue.length === 0) return;
    scheduled = true;
    // setImmediate, not a timer: every item submitted in this turn of the event loop joins the batch, and a
    // synchronous writer (SQLite) does not block the loop before the next caller could queue behind it.
    setImmediate(() => {
      scheduled = false;
      const flushing: Promise<void> = flush(takeBatch()).finally(() => {
        inFlight.delete(flushing);
        schedule();
      });
      inFlight.add(flushing);
      schedule();
    });
  };

  const takeBatch = (): Waiting<T, R>[] => {
    let taken = 0;
    let size = 0;
    while (taken < queue.length) {
      const next = weight(queue[taken]!.item);
      if (taken > 0 && size + next > maxBatch) break;
      size += next;
      taken += 1;
    }
    const batch = queue.slice(0, taken);
    queue = queue.slice(taken);
    return batch;
  };

  const writeAlone = async (waiting: Waiting<T, R>) => {
    try {
      const [result] = await write([waiting.item]);
      waiting.resolve(result!);
    } catch (error) {
      waiting.reject(error);
    }
  };

  const flush = async (batch: Waiting<T, R>[]) => {
    if (batch.length === 1) return writeAlone(batch[0]!);
    let results: readonly R[];
    try {
      results = await write(batch.map((waiting) => waiting.item));
    } catch {
      // One bad item (or a transient error) must not fail its neighbours: retry each alone, so every caller
      // hears about its own item only.
      for (const waiting of batch) await writeAlone(waiting);
      return;
    }
    for (const [i, waiting] of batch.entries()) waiting.resolve(results[i]!);
  };

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        schedule();
      });
    },
    async drain() {
      while (inFlight.size > 0 || scheduled || queue.length > 0) {
        await (inFlight.size > 0
          ? Promise.all(inFlight)
          : new Promise<void>((resolve) => setImmediate(resolve)));
      }
    },
  };
}
