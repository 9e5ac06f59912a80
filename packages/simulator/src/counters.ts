import { ERRORS } from "./error-codes.js";

/** Request and outcome counters, read through the inspector. */
export interface CounterSnapshot {
  requests: number;
  byOperation: Record<string, number>;
  /** In-band SMSC errors answered, by code. */
  errors: Record<string, number>;
  soapFaults: number;
  faultsInjected: number;
  messagesCreated: number;
  /**
   * Accepted send requests and the recipients inside them (a `phones` list and every `list` line count one
   * per recipient), for load tests that must count messages, not requests, once requests carry many.
   */
  sends: SendCounters;
  /** Final-status messages forgotten to keep the store under its cap (`maxMessages`). */
  messagesEvicted: number;
  wsdlServed: number;
  /** Per login (authenticated requests only): how it loaded the simulator and what it was refused. */
  logins: Record<string, LoginCounters>;
}

export interface LoginCounters {
  /** The most requests of each method (`send`, `status`, `cost`, `balance`) it had in flight at once. */
  highestConcurrency: Record<string, number>;
  /** Requests refused with error 9 for being one too many at once (the simultaneous-request rules). */
  refusedConcurrent: number;
  /** Every error 9 the simulator's own rules answered it (simultaneous, identical, polling limits). */
  error9: number;
}

export interface SendCounters {
  /** send requests answered with an id (a price quote, cost=1, is not a send). */
  accepted: number;
  /** Recipients of those requests SMSC took to send (charged; not refused by err=1 or the flood rule). */
  recipients: number;
  /** Recipients of those requests refused with a status of their own (err=1 bad numbers, flood rule). */
  refusedRecipients: number;
  /** The most recipients one accepted request carried (sent plus refused). */
  largest: number;
}

/** SMSC's "too many / duplicate" request error, the one a load test watches (docs/protocol.md §1.5). */
const TOO_MANY = ERRORS.tooMany;

export class Counters {
  private data: CounterSnapshot = Counters.empty();

  private static empty(): CounterSnapshot {
    return {
      requests: 0,
      byOperation: {},
      errors: {},
      soapFaults: 0,
      faultsInjected: 0,
      messagesCreated: 0,
      sends: { accepted: 0, recipients: 0, refusedRecipients: 0, largest: 0 },
      messagesEvicted: 0,
      wsdlServed: 0,
      logins: {},
    };
  }

  private login(login: string): LoginCounters {
    let entry = this.data.logins[login];
    if (entry === undefined) {
      entry = { highestConcurrency: {}, refusedConcurrent: 0, error9: 0 };
      this.data.logins[login] = entry;
    }
    return entry;
  }

  /** A request of `method` entered with `inFlight` requests of that login in flight, itself included. */
  concurrency(login: string, method: string, inFlight: number): void {
    const highest = this.login(login).highestConcurrency;
    if (inFlight > (highest[method] ?? 0)) highest[method] = inFlight;
  }

  refusedConcurrent(login: string): void {
    this.login(login).refusedConcurrent++;
  }

  request(operation: string | undefined): void {
    this.data.requests++;
    if (operation !== undefined)
      this.data.byOperation[operation] = (this.data.byOperation[operation] ?? 0) + 1;
  }

  /** An in-band error answered; `login` when the request named a known account. */
  error(code: number, login?: string): void {
    this.data.errors[code] = (this.data.errors[code] ?? 0) + 1;
    if (code === TOO_MANY && login !== undefined) this.login(login).error9++;
  }

  soapFault(): void {
    this.data.soapFaults++;
  }

  faultInjected(): void {
    this.data.faultsInjected++;
  }

  /** A send request accepted with `sent` recipients taken to send and `refused` refused ones. */
  send(sent: number, refused: number): void {
    this.data.messagesCreated += sent + refused;
    const sends = this.data.sends;
    sends.accepted++;
    sends.recipients += sent;
    sends.refusedRecipients += refused;
    if (sent + refused > sends.largest) sends.largest = sent + refused;
  }

  evicted(): void {
    this.data.messagesEvicted++;
  }

  wsdl(): void {
    this.data.wsdlServed++;
  }

  snapshot(): CounterSnapshot {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = Counters.empty();
  }
}
