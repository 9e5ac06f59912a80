/**
 * The seam between whoever learns a delivery status (the webhook receiver, a `get_status` poll, the
 * send itself) and whoever stores it (the outbox). Implementations apply the monotonic order
 * (`canTransition`): a late or reordered report never moves a message backwards.
 */
export interface StatusUpdate {
  /** The SMSC message id (ours, passed as `id` on send). */
  id: string;
  phone: string;
  status: number;
  /** Delivery error code (`err`), when SMSC gave one. */
  err?: number;
  at: Date;
  source: "callback" | "poll" | "send";
}

export type StatusApplyResult =
  /** The status moved forward and was stored. */
  | { applied: true; previous: number | null }
  /** Nothing changed: a duplicate, a regression, or a message the sink does not know. */
  | { applied: false; reason: "duplicate" | "regression" | "unknown_message"; current: number | null };

export interface StatusSink {
  markStatus(update: StatusUpdate): Promise<StatusApplyResult>;
}
