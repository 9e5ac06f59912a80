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
}

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
    };
  }

  request(operation: string | undefined): void {
    this.data.requests++;
    if (operation !== undefined)
      this.data.byOperation[operation] = (this.data.byOperation[operation] ?? 0) + 1;
  }

  error(code: number): void {
    this.data.errors[code] = (this.data.errors[code] ?? 0) + 1;
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
