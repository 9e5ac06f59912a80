/**
 * What the HTTP side (status page, /readyz, /metrics) reads from the running gateway. The gateway builds one
 * from the outbox, the webhook receiver and the relay; the HTTP code knows nothing about how.
 */
export interface GatewayView {
  /** Queue depth by outbox state (e.g. pending, sending, sent, dead), plus dead-letter depth. */
  queue(): Promise<QueueSnapshot>;
  /** The most recent messages, newest first, each with its status history. */
  recentMessages(limit: number): Promise<RecentMessage[]>;
  deadLetters(limit: number): Promise<DeadLetterEntry[]>;
  /** Puts a dead-lettered message back in the queue (same SMSC id, attempts reset); false if not there. */
  redrive(rowId: string): Promise<boolean>;
  pause(): PauseState;
  /** Store reachable and outbox not paused; the reasons say what is wrong when not ready. */
  readiness(): Promise<Readiness>;
}

export interface QueueSnapshot {
  byState: Record<string, number>;
  deadLetter: number;
  oldestPendingAgeSeconds?: number | undefined;
  /** Sends this process has under way right now. */
  inFlight?: number | undefined;
}

/** One line of a message's history: an SMSC status (with its code) or an outbox step (sent, retry, waiting). */
export interface StatusEvent {
  /** SMSC status code; absent for the outbox's own steps. */
  status?: number | undefined;
  /** Human name of the status (from the catalog) or of the outbox step. */
  name: string;
  at: Date;
  source: string;
  err?: number | undefined;
  /** For a stored send attempt of the outbox: its number, outcome and SMSC error code. */
  attempt?: { seq: number; outcome: string; code: number | null } | undefined;
}

export interface RecentMessage {
  rowId: string;
  smscId: string;
  phones: string;
  state: string;
  createdAt?: Date | undefined;
  history: StatusEvent[];
}

export interface DeadLetterEntry {
  rowId: string;
  smscId: string;
  phones: string;
  reason: string;
  at?: Date | undefined;
}

export interface PauseState {
  paused: boolean;
  reason?: string | undefined;
  since?: Date | undefined;
}

export interface Readiness {
  ready: boolean;
  reasons: string[];
}
