/**
 * The part of `@smsc-kit/outbox` the relay uses. Typed structurally so the relay can be
 * handed any outbox (SQLite or PostgreSQL store) without depending on its internals.
 */
export interface RelayOutboxMessage {
  phones: string;
  mes: string;
  sender?: string;
  translit?: number;
  maxsms?: number;
  meta?: Record<string, unknown>;
}

export interface RelayEnqueued {
  rowId: string | number | bigint;
  smscId?: string | number;
}

export interface RelayDeadEvent {
  meta?: Record<string, unknown> | null;
  phones?: string;
  error?: unknown;
  reason?: string;
}

export interface RelayOutbox {
  enqueue(
    messages: RelayOutboxMessage[],
    options: { idempotencyKey?: string },
  ): Promise<readonly RelayEnqueued[]>;
  /** Needed only when DSNs are configured: the relay listens for dead letters. */
  on?(event: "dead", listener: (event: RelayDeadEvent) => void): unknown;
  off?(event: "dead", listener: (event: RelayDeadEvent) => void): unknown;
}
