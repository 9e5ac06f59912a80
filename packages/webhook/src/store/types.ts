/** The one interface both durable stores (SQLite, PostgreSQL) implement; the same tests run on both. */
import type { IncomingSms, StatusCallback } from "../callback.js";
import type { MessageState } from "../state-machine.js";

export interface StatusRecordResult {
  /** A replay of a callback already stored (same id, phone, status, err): nothing was written. */
  readonly duplicate: boolean;
  /** Whether this callback moved the message's current state. */
  readonly applied: boolean;
  /** The state before this callback; undefined for the first callback of a message. */
  readonly previous?: MessageState;
  readonly current: MessageState;
}

export interface IncomingRecordResult {
  readonly duplicate: boolean;
  /** The store's row number for the incoming SMS. */
  readonly seq: number;
}

/** One stored status callback, in the order it was received. */
export interface StoredStatusEvent {
  readonly seq: number;
  readonly id: string;
  readonly phone: string;
  readonly status: number;
  readonly err?: number;
  /** Whether it moved the state when it arrived (late or out-of-order callbacks did not). */
  readonly applied: boolean;
  readonly eventAt?: Date;
  readonly receivedAt: Date;
  readonly raw: Readonly<Record<string, string>>;
}

export interface StoredIncomingSms {
  readonly seq: number;
  readonly id?: string;
  readonly phone: string;
  readonly mes: string;
  readonly to?: string;
  readonly receivedAt: Date;
  readonly raw: Readonly<Record<string, string>>;
}

export interface WebhookStore {
  /** Durably records one status callback and folds it into the message's state. Resolves after commit. */
  recordStatus(callback: StatusCallback, receivedAt: Date): Promise<StatusRecordResult>;
  /** Durably records one incoming SMS. Resolves after commit. */
  recordIncoming(sms: IncomingSms, receivedAt: Date): Promise<IncomingRecordResult>;
  /** The current state of one message to one phone. */
  getMessage(id: string, phone: string): Promise<MessageState | undefined>;
  /** The states of a message for all of its phones (multi-recipient messages are tracked per phone). */
  listMessage(id: string): Promise<MessageState[]>;
  /** Every stored callback of a message (optionally one phone), oldest first. */
  history(id: string, phone?: string): Promise<StoredStatusEvent[]>;
  /** Every stored callback of several messages in one query (a status page's worth), oldest first. */
  historyOf(ids: readonly string[]): Promise<StoredStatusEvent[]>;
  /** When the receiver last heard anything about a message (any phone, or one phone). */
  lastHeard(id: string, phone?: string): Promise<Date | undefined>;
  /**
   * Messages not yet in a final status that have heard nothing since `before`, oldest silence first:
   * the candidates for the outbox's reconcile polling.
   */
  quietSince(before: Date, options?: { limit?: number }): Promise<MessageState[]>;
  /** Incoming SMS, oldest first. */
  listIncoming(options?: { limit?: number; afterSeq?: number }): Promise<StoredIncomingSms[]>;
  /** Row counts, for metrics and benchmarks. */
  stats(): Promise<WebhookStoreStats>;
  close(): Promise<void>;
}

export interface WebhookStoreStats {
  /** Messages (per phone) with a state. */
  readonly messages: number;
  /** Status callbacks stored (replays excluded). */
  readonly events: number;
  readonly incoming: number;
}
