import type { RelayEnqueued, RelayOutbox, RelayOutboxMessage } from "./outbox-port.js";

interface Job {
  messages: readonly RelayOutboxMessage[];
  resolve(rows: readonly RelayEnqueued[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit: mails that finish DATA while a commit is in flight are committed
 * together in the next one, so many concurrent sessions cost one transaction (one fsync,
 * one round trip) instead of one each. Nobody waits for a timer: the first mail commits
 * on the next event-loop turn, and a batch is simply whatever queued up meanwhile.
 *
 * Each mail still gets only its own rows and its own answer. When a batch fails, every
 * mail in it is retried alone, so one bad mail (or a transient error) is reported to
 * its own sender and not to its neighbours.
 */
export function createGroupCommitter(outbox: RelayOutbox, maxBatchMessages: number) {
  const queue: Job[] = [];
  let flushing = false;

  function takeBatch(): Job[] {
    const batch: Job[] = [];
    let size = 0;
    while (queue.length > 0) {
      const next = queue[0]!;
      if (batch.length > 0 && size + next.messages.length > maxBatchMessages) break;
      batch.push(queue.shift()!);
      size += next.messages.length;
    }
    return batch;
  }

  async function commitAlone(job: Job): Promise<void> {
    try {
      job.resolve(await outbox.enqueue(job.messages));
    } catch (error) {
      job.reject(error);
    }
  }

  async function commitBatch(batch: Job[]): Promise<void> {
    if (batch.length === 1) return commitAlone(batch[0]!);
    let rows: readonly RelayEnqueued[];
    try {
      rows = await outbox.enqueue(batch.flatMap((job) => job.messages));
    } catch {
      await Promise.all(batch.map(commitAlone));
      return;
    }
    let offset = 0;
    for (const job of batch) {
      job.resolve(rows.slice(offset, offset + job.messages.length));
      offset += job.messages.length;
    }
  }

  async function flush(): Promise<void> {
    try {
      while (queue.length > 0) await commitBatch(takeBatch());
    } finally {
      flushing = false;
    }
  }

  return function commit(messages: readonly RelayOutboxMessage[]): Promise<readonly RelayEnqueued[]> {
    return new Promise((resolve, reject) => {
      queue.push({ messages, resolve, reject });
      if (!flushing) {
        flushing = true;
        // One event-loop turn, not a timer: every mail whose DATA completed in the same
        // I/O phase joins this commit. A synchronous store (SQLite) would otherwise block
        // the loop on each commit before the next mail could queue behind it.
        setImmediate(() => void flush());
      }
    });
  };
}
