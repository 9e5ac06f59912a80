/** Writing messages: validated whole (or chunk by chunk when large), in the caller's transaction when given. */
import { OutboxConfigError } from "./errors.js";
import type { OutboxEmitter } from "./events.js";
import { type OutboxMessage, prepareChunks, prepareRows } from "./message.js";
import type { EnqueuedRow, OutboxStore } from "./store/store.js";

export interface EnqueueOptions {
  /** The caller's transaction: a pg client inside BEGIN, or the caller's better-sqlite3 Database. */
  tx?: unknown;
  /** For a single message: the same key returns the existing row instead of a second one. */
  idempotencyKey?: string;
}

export interface EnqueuedMessage extends EnqueuedRow {}

export interface EnqueueCalls {
  enqueue(
    message: OutboxMessage | readonly OutboxMessage[],
    options?: EnqueueOptions,
  ): Promise<EnqueuedMessage[]>;
  enqueueSync(message: OutboxMessage | readonly OutboxMessage[], options?: EnqueueOptions): EnqueuedMessage[];
}

export interface EnqueueDeps {
  store: OutboxStore;
  events: OutboxEmitter;
  now(): number;
  idPrefix: string;
  migrated(): Promise<void>;
  /** New rows are due now: the worker looks at once. */
  poke(): void;
}

/** Rows per pipelined chunk of a large enqueue. */
const PIPELINE_CHUNK = 2_000;

function toList(message: OutboxMessage | readonly OutboxMessage[]): readonly OutboxMessage[] {
  // Array.isArray does not narrow a readonly array type out of a union, hence the explicit guard.
  const isList = (value: OutboxMessage | readonly OutboxMessage[]): value is readonly OutboxMessage[] =>
    Array.isArray(value);
  return isList(message) ? message : [message];
}

export function createEnqueueCalls(deps: EnqueueDeps): EnqueueCalls {
  const { store, events, now, idPrefix, migrated, poke } = deps;
  const enqueued = (rows: EnqueuedMessage[]): EnqueuedMessage[] => {
    events.emit("enqueued", {
      count: rows.length,
      created: rows.filter((row) => row.created).length,
      at: now(),
    });
    poke();
    return rows;
  };
  return {
    async enqueue(message, options = {}) {
      const list = toList(message);
      const prepare = { idempotencyKey: options.idempotencyKey, now: now(), idPrefix };
      // Small batches are validated whole before anything is written; large ones are pipelined chunk by chunk.
      const rows = list.length <= PIPELINE_CHUNK ? prepareRows(list, prepare) : null;
      if (options.tx !== undefined && store.sync) {
        // Inside the caller's synchronous transaction: migrate in it (a cheap check once done), since a rollback
        // would also undo a migration made there.
        store.sync.migrateSync();
      } else {
        await migrated();
      }
      return enqueued(
        rows
          ? await store.insert(rows, options.tx)
          : await store.insertChunks(prepareChunks(list, prepare, PIPELINE_CHUNK), options.tx),
      );
    },
    enqueueSync(message, options = {}) {
      const sync = store.sync;
      if (!sync) throw new OutboxConfigError("store", "enqueueSync needs a SQLite store");
      const rows = prepareRows(toList(message), {
        idempotencyKey: options.idempotencyKey,
        now: now(),
        idPrefix,
      });
      sync.migrateSync();
      return enqueued(sync.insertSync(rows, options.tx));
    },
  };
}
