// @smsc-kit/outbox public API (docs/contracts.md §4).
export type { BackoffPolicy } from "./backoff.js";
export type { BalanceReading } from "./balance-reader.js";
export type { CoalesceLimits, CoalesceOption } from "./coalesce/settings.js";
export type { OutboxClient } from "./delivery-context.js";
export { OutboxConfigError, OutboxError, OutboxValidationError } from "./errors.js";
export type {
  BlockedEvent,
  ClaimedEvent,
  DeadEvent,
  DeferredEvent,
  EnqueuedEvent,
  OutboxEventName,
  OutboxEvents,
  PausedEvent,
  PrunedEvent,
  RedrivenEvent,
  ResumedEvent,
  RetryEvent,
  RowEvent,
  SentEvent,
  StatusEvent,
  TruncatedEvent,
  WarningEvent,
} from "./events.js";
export {
  type Activity,
  type ActivityBucket,
  type ActivityOptions,
  type InsightCalls,
  MAX_BUCKETS,
  type SearchOptions,
} from "./insights.js";
export type { OutboxMessage, OutboxMessageOptions, SmscSendFields } from "./message.js";
export { type OutboxMetricsOptions, registerOutboxMetrics } from "./metrics.js";
export {
  createOutbox,
  type EnqueuedMessage,
  type EnqueueOptions,
  type Outbox,
  type OutboxOptions,
  type OutboxStats,
  type ReconcileReport,
} from "./outbox.js";
export type { QuietHours } from "./quiet-hours.js";
export { MAX_RECENT_LIMIT, type RecentOptions } from "./recent.js";
export { wireId } from "./smsc-id.js";
export { openPgStore, PgStore, type PgStoreOptions } from "./store/pg/store.js";
export {
  openSqliteStore,
  type SqliteDatabase,
  SqliteStore,
  type SqliteStoreOptions,
} from "./store/sqlite/store.js";
export type {
  AttemptOutcome,
  FailureCount,
  OutboxStore,
  RecentCursor,
  RecentRow,
  RecipientStatus,
  RowError,
  RowState,
  StoredAttempt,
  StoredRow,
} from "./store/store.js";
export { DEFAULT_MAXSMS_OVERFLOW, type MaxsmsOverflow, type TextOverflow } from "./text-length.js";
