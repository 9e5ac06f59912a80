import { EventEmitter } from "node:events";
import type { RowError } from "./store/store.js";

/** What every row event carries, so a listener can tie it back to the service's own data through `meta`. */
export interface RowEvent {
  rowId: number;
  smscId: string;
  attempts: number;
  meta: Record<string, unknown> | null;
  /** When the row was enqueued (epoch ms): end-to-end latency is `at - createdAt`. */
  createdAt: number;
  at: number;
}

export interface SentEvent extends RowEvent {
  cnt: number | null;
  cost: number | null;
  /** true when the row was found already sent by get_status (an earlier attempt's answer was lost). */
  reconciled: boolean;
}
export interface RetryEvent extends RowEvent {
  runAt: number;
  error: RowError;
  /** true when the outcome of the attempt is unknown: get_status decides before any resend. */
  unknown: boolean;
}
export interface DeadEvent extends RowEvent {
  error: RowError;
}
export interface DeferredEvent extends RowEvent {
  runAt: number;
  reason: "quiet_hours" | "flood" | "paused" | "ip_blocked" | "duplicate_window" | "stopping";
}
export interface PausedEvent {
  reason: "funds" | "auth";
  error: RowError;
  at: number;
}
export interface ResumedEvent {
  reason: "funds" | "auth";
  pausedForMs: number;
  at: number;
}
export interface BlockedEvent {
  until: number;
  error: RowError;
  at: number;
}
export interface StatusEvent {
  rowId: number;
  smscId: string;
  phone: string;
  status: number;
  err: number | null;
  previous: number | null;
  source: "callback" | "poll" | "send";
  meta: Record<string, unknown> | null;
  at: number;
}
export interface EnqueuedEvent {
  count: number;
  created: number;
  at: number;
}
/** Rows taken under a lease by this worker (queued/unknown → sending). */
export interface ClaimedEvent {
  rowIds: number[];
  at: number;
}
/** A dead-lettered row put back in the queue (dead → queued), keeping its SMSC id. */
export interface RedrivenEvent {
  rowId: number;
  at: number;
}
/** Finished rows deleted by retention, prune() or a dead-letter purge. */
export interface PrunedEvent {
  sent: number;
  dead: number;
  at: number;
}
/**
 * A message was enqueued whose text needs more SMS parts than its `maxsms` allows: SMSC will send only the first
 * `maxsms` parts (the outbox's maxsmsOverflow option is "warn"; with "reject" enqueue refuses it instead).
 */
export interface TruncatedEvent {
  rowId: number;
  smscId: string;
  field: "mes" | "list";
  parts: number;
  maxsms: number;
  /** 1-based message of a `list` send, for field "list". */
  line?: number;
  message: string;
  meta: Record<string, unknown> | null;
  at: number;
}
/** Trouble that the outbox rides out on its own (database down, lease lost); for logs and alerts. */
export interface WarningEvent {
  kind: "store" | "lease_lost" | "probe" | "retention" | "delivery";
  message: string;
  rowId?: number;
  at: number;
}

export interface OutboxEvents {
  enqueued: [EnqueuedEvent];
  truncated: [TruncatedEvent];
  claimed: [ClaimedEvent];
  redriven: [RedrivenEvent];
  pruned: [PrunedEvent];
  sent: [SentEvent];
  retry: [RetryEvent];
  dead: [DeadEvent];
  deferred: [DeferredEvent];
  paused: [PausedEvent];
  resumed: [ResumedEvent];
  blocked: [BlockedEvent];
  status: [StatusEvent];
  warning: [WarningEvent];
}

export type OutboxEventName = keyof OutboxEvents;

/** A typed EventEmitter. "error" is deliberately not an event name: an unheard "error" would crash the host. */
export class OutboxEmitter {
  private readonly ee = new EventEmitter();

  constructor() {
    this.ee.setMaxListeners(100);
  }

  on<E extends OutboxEventName>(event: E, listener: (...args: OutboxEvents[E]) => void): this {
    this.ee.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<E extends OutboxEventName>(event: E, listener: (...args: OutboxEvents[E]) => void): this {
    this.ee.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<E extends OutboxEventName>(event: E, listener: (...args: OutboxEvents[E]) => void): this {
    this.ee.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  emit<E extends OutboxEventName>(event: E, ...args: OutboxEvents[E]): void {
    try {
      this.ee.emit(event, ...args);
    } catch {
      // A throwing listener must not break delivery: the row's state is already committed.
    }
  }
}
