/**
 * Group commit: callbacks that arrive while a commit is being prepared or is in flight share the next
 * transaction. Every caller still gets its answer only after the commit that holds its row, so each 200
 * stays durable while one fsync serves many callbacks.
 */
export type BatchWriter<T, R> = (items: T[]) => Promise<R[]> | R[];

export interface GroupCommit<T, R> {
  submit(item: T): Promise<R>;
  /** Resolves once everything submitted so far is committed (or failed). */
  drain(): Promise<void>;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** Most items in one batch (default 512). */
  maxBatch?: number;
  /**
   * Batches written at the same time (default 1). Above 1 the writer must serialise overlapping
   * batches itself (the PostgreSQL store locks per message); SQLite writes synchronously anyway.
   */
  concurrency?: number;
}

export function createGroupCommit<T, R>(
  write: BatchWriter<T, R>,
  options: GroupCommitOptions = {},
): GroupCommit<T, R> {
  const maxBatch = options.maxBatch ?? 512;
  const concurrency = options.concurrency ?? 1;
  let queue: Waiting<T, R>[] = [];
  let scheduled = false;
  const inFlight = new Set<Promise<void>>();

  const schedule = () => {
    if (scheduled || inFlight.size >= concurrency || queue.length === 0) return;
    scheduled = true;
    // setImmediate lets every request already parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      scheduled = false;
      const flushing: Promise<void> = flush().finally(() => {
        inFlight.delete(flushing);
        schedule();
      });
      inFlight.add(flushing);
      schedule();
    });
  };

  const flush = async () => {
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    try {
      const results = await write(batch.map((w) => w.item));
      for (const [i, waiting] of batch.entries()) waiting.resolve(results[i]!);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One bad row must not fail its neighbours: retry each alone so only the culprit is refused.
      for (const waiting of batch) {
        try {
          const [result] = await write([waiting.item]);
          waiting.resolve(result!);
        } catch (single) {
          waiting.reject(single);
        }
      }
    }
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
