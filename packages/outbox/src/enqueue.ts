/** Writing messages: validated whole (or chunk by chunk when large), in the caller's transaction when given. */
import { OutboxConfigError } from "./errors.js";
import type { OutboxEmitter } from "./events.js";
import { type OutboxMessage, prepareChunks, prepareRows } from "./message.js";
import type { EnqueuedRow, OutboxStore } from "./store/store.js";
import type { MaxsmsOverflow, TextOverflow } from "./text-length.js";

export interface EnqueueOptions {
  /** The caller's transaction: a pg client inside BEGIN, or the caller's better-sqlite3 Database. */
  tx?: unknown;
  /** For a single message: the same key returns the existing row instead of a second one. */
  idempotencyKey?: string;
}

export interface EnqueuedMessage extends EnqueuedRow {
  /** Present when SMSC will cut the message's text to `maxsms` parts (maxsmsOverflow "warn"). */
  warnings?: TextOverflow[];
}

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
  maxsmsOverflow: MaxsmsOverflow;
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

/** Texts SMSC will cut, by position in the input, noted while the messages are prepared. */
class Overflows {
  private readonly byPosition = new Map<
    number,
    { overflows: TextOverflow[]; meta: Record<string, unknown> | null }
  >();

  readonly note = (
    position: number,
    overflows: TextOverflow[],
    meta: Record<string, unknown> | null,
  ): void => {
    this.byPosition.set(position, { overflows, meta });
  };

  /** The rows with their warnings attached; a "truncated" event for each new row SMSC will cut. */
  attach(rows: EnqueuedMessage[], events: OutboxEmitter, at: number): EnqueuedMessage[] {
    if (this.byPosition.size === 0) return rows;
    return rows.map((row, position) => {
      const noted = this.byPosition.get(position);
      if (!noted) return row;
      if (row.created) {
        for (const overflow of noted.overflows) {
          events.emit("truncated", {
            rowId: row.rowId,
            smscId: row.smscId,
            field: overflow.field,
            parts: overflow.parts,
            maxsms: overflow.maxsms,
            ...(overflow.line === undefined ? {} : { line: overflow.line }),
            message: overflow.message,
            meta: noted.meta,
            at,
          });
        }
      }
      return { ...row, warnings: noted.overflows };
    });
  }
}

export function createEnqueueCalls(deps: EnqueueDeps): EnqueueCalls {
  const { store, events, now, idPrefix, maxsmsOverflow, migrated, poke } = deps;
  const enqueued = (rows: EnqueuedMessage[], overflows: Overflows): EnqueuedMessage[] => {
    const at = now();
    const answered = overflows.attach(rows, events, at);
    events.emit("enqueued", { count: rows.length, created: rows.filter((row) => row.created).length, at });
    poke();
    return answered;
  };
  const prepareOptions = (options: EnqueueOptions, overflows: Overflows) => ({
    idempotencyKey: options.idempotencyKey,
    now: now(),
    idPrefix,
    maxsmsOverflow,
    onOverflow: overflows.note,
  });
  return {
    async enqueue(message, options = {}) {
      const list = toList(message);
      const overflows = new Overflows();
      const prepare = prepareOptions(options, overflows);
      // Small batches are validated whole before anything is written; large ones are pipelined chunk by chunk.
      const rows = list.length <= PIPELINE_CHUNK ? prepareRows(list, prepare) : null;
      if (options.tx !== undefined && store.sync) {
        // Inside the caller's synchronous transaction: migrate in it (a cheap check once done), since a rollback
        // would also undo a migration made there.
        store.sync.migrateSync();
      } else {
        await migrated();
      }
      const written = rows
        ? await store.insert(rows, options.tx)
        : await store.insertChunks(prepareChunks(list, prepare, PIPELINE_CHUNK), options.tx);
      return enqueued(written, overflows);
    },
    enqueueSync(message, options = {}) {
      const sync = store.sync;
      if (!sync) throw new OutboxConfigError("store", "enqueueSync needs a SQLite store");
      const overflows = new Overflows();
      const rows = prepareRows(toList(message), prepareOptions(options, overflows));
      sync.migrateSync();
      return enqueued(sync.insertSync(rows, options.tx), overflows);
    },
  };
}
