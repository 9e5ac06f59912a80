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
  status: number;
  err: number;
  lastChangeAt: number;
  operator: string;
  region: string;
  history: StatusChange[];
}

export class MessageStore {
  private readonly latest = new Map<string, SimMessage>();
  private readonly ordered: SimMessage[] = [];

  private static key(login: string, id: string, phone: string): string {
    return `${login}\u0000${id}\u0000${recipientKey(phone)}`;
  }

  add(message: SimMessage): void {
    // Ids are "not necessarily unique" (SMSC): a status request sees the most recent message.
    this.latest.set(MessageStore.key(message.login, message.id, message.phone), message);
    this.ordered.push(message);
  }

  find(login: string, id: string, phone: string): SimMessage | undefined {
    return this.latest.get(MessageStore.key(login, id, phone));
  }

  findAny(id: string, phone: string): SimMessage | undefined {
    for (let i = this.ordered.length - 1; i >= 0; i--) {
      const message = this.ordered[i]!;
      if (message.id === id && recipientKey(message.phone) === recipientKey(phone)) return message;
    }
    return undefined;
  }

  all(): readonly SimMessage[] {
    return this.ordered;
  }

  clear(): void {
    this.latest.clear();
    this.ordered.length = 0;
  }
}
