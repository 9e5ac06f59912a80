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

  messages(count: number): void {
    this.data.messagesCreated += count;
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
