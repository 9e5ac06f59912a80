// `+7 (999) 123-45-67` and `79991234567` name the same subscriber: core's recipientKey (the outbox's too).
import { recipientKey } from "./protocol.js";

/** The messages the simulator accepted, one record per recipient, with their status history. */
export interface StatusChange {
  status: number;
  err: number;
  /** Simulator-clock milliseconds. */
  at: number;
}

export interface SimMessage {
  login: string;
  id: string;
  /** Recipient as the client wrote it (minus separators), e.g. `79991234567` or `+79991234567`. */
  phone: string;
  mes: string;
  sender: string;
  /** Message kind: `sms` or the catalog's kind name (flash, viber, hlr, …). */
  kind: string;
  /** Status `type` number of that kind (0 SMS, 1 flash, …). */
  type: number;
  parts: number;
  cost: number;
  createdAt: number;
  /** When the message is (or was) due to leave the waiting state. */
  sendAt: number;
  /** When its lifetime (`valid`, counted from `sendAt`) runs out: an undelivered message expires then. */
  expiresAt: number;
  status: number;
  err: number;
  /**
   * True when SMSC refused this recipient inside an accepted request (err=1 bad number, subscriber flood
   * rule): it is kept with its status for get_status, but was never sent.
   */
  refused: boolean;
  lastChangeAt: number;
  operator: string;
  region: string;
  history: StatusChange[];
}

/** Default cap on stored messages: enough for any test, bounded for a load test that runs for hours. */
export const DEFAULT_MAX_MESSAGES = 100_000;

export interface MessageStoreOptions {
  /** Most messages kept (default DEFAULT_MAX_MESSAGES). */
  maxMessages?: number;
  /** Tells whether a status is final; only messages in a final status may be evicted. */
  isFinal: (status: number) => boolean;
  /** Called once per evicted message (for the inspector's counters). */
  onEvict?: (message: SimMessage) => void;
}

/**
 * Keeps messages in acceptance order. Past `maxMessages` it forgets the oldest message already in a
 * final status; a message still moving (−1, 0) is never forgotten, so the store may exceed the cap
 * while every stored message is in flight. A forgotten message is unknown to `get_status` (error 3).
 */
export class MessageStore {
  private readonly latest = new Map<string, SimMessage>();
  // Oldest first from `head`; slots before `head` are already evicted (compacted now and then), so
  // evicting the oldest message, the usual case, costs O(1).
  private ordered: (SimMessage | undefined)[] = [];
  private head = 0;
  private readonly maxMessages: number;

  constructor(private readonly options: MessageStoreOptions) {
    this.maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  }

  private static key(login: string, id: string, phone: string): string {
    return `${login}\u0000${id}\u0000${recipientKey(phone)}`;
  }

  get size(): number {
    return this.ordered.length - this.head;
  }

  /** `phoneKey`: the recipient's `recipientKey`, when the caller already has it. */
  add(message: SimMessage, phoneKey = recipientKey(message.phone)): void {
    // Ids are "not necessarily unique" (SMSC): a status request sees the most recent message.
    this.latest.set(`${message.login}\u0000${message.id}\u0000${phoneKey}`, message);
    this.ordered.push(message);
    this.evictOverCap();
  }

  find(login: string, id: string, phone: string): SimMessage | undefined {
    return this.latest.get(MessageStore.key(login, id, phone));
  }

  findAny(id: string, phone: string): SimMessage | undefined {
    for (let i = this.ordered.length - 1; i >= this.head; i--) {
      const message = this.ordered[i]!;
      if (message.id === id && recipientKey(message.phone) === recipientKey(phone)) return message;
    }
    return undefined;
  }

  all(): readonly SimMessage[] {
    return this.ordered.slice(this.head) as SimMessage[];
  }

  clear(): void {
    this.latest.clear();
    this.ordered = [];
    this.head = 0;
  }

  private evictOverCap(): void {
    while (this.size > this.maxMessages) {
      const index = this.oldestFinalIndex();
      if (index === undefined) return;
      const message = this.ordered[index]!;
      if (index === this.head) {
        this.ordered[index] = undefined;
        this.head++;
      } else {
        this.ordered.splice(index, 1);
      }
      const key = MessageStore.key(message.login, message.id, message.phone);
      // An older message with the same id is not what `get_status` would see anyway.
      if (this.latest.get(key) === message) this.latest.delete(key);
      this.options.onEvict?.(message);
    }
    if (this.head > 1024 && this.head * 2 > this.ordered.length) {
      this.ordered = this.ordered.slice(this.head);
      this.head = 0;
    }
  }

  private oldestFinalIndex(): number | undefined {
    for (let i = this.head; i < this.ordered.length; i++) {
      if (this.options.isFinal(this.ordered[i]!.status)) return i;
    }
    return undefined;
  }
}
