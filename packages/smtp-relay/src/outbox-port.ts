/**
 * The part of `@smsc-kit/outbox` the relay uses. Typed structurally so the relay takes any
 * outbox (SQLite or PostgreSQL store) and depends on nothing but its public shape.
 */
export interface RelayOutboxMessage {
  phones: string;
  mes: string;
  sender?: string;
  translit?: number;
  maxsms?: number;
  meta?: Record<string, unknown>;
  /** Per message: the same key returns the existing row instead of creating a second one. */
  idempotencyKey?: string;
}

export interface RelayEnqueued {
  rowId: number;
  smscId: string;
  /** false when the idempotency key matched an existing row (a client retry). */
  created: boolean;
}

/** The outbox's dead-letter event: the row's meta comes back as the relay wrote it. */
export interface RelayDeadEvent {
  meta: Record<string, unknown> | null;
  error: { code: number | null; errorClass: string | null; message: string };
}

export interface RelayOutbox {
  /** All messages of one call are committed together, or none is. */
  enqueue(messages: readonly RelayOutboxMessage[]): Promise<readonly RelayEnqueued[]>;
  /** Needed only when DSNs are configured: the relay listens for dead letters. */
  on?(event: "dead", listener: (event: RelayDeadEvent) => void): unknown;
  off?(event: "dead", listener: (event: RelayDeadEvent) => void): unknown;
}
