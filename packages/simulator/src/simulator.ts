import { closeServer, listen } from "@smsc-kit/runtime";
import { type AccountConfig, AccountRegistry, DEFAULT_ACCOUNT } from "./accounts.js";
import { type CallbackAttempt, CallbackDispatcher, type CallbackOptions } from "./callbacks.js";
import { type ClockOptions, SimClock } from "./clock.js";
import { type CounterSnapshot, Counters } from "./counters.js";
import { SimulatorEngine } from "./engine.js";
import { FaultRegistry, type FaultRule } from "./faults.js";
import { checkLatencyProfile, drawLatency, type LatencyProfile } from "./latency.js";
import { Lifecycle, type LifecycleOptions } from "./lifecycle.js";
import { MessageStore, type SimMessage } from "./messages.js";
import type { PhoneRule } from "./phone-rules.js";
import { isFinalStatus, isKnownErrorCode, isKnownStatus, RATE_RULE_SPECS, SOAP_PATH } from "./protocol.js";
import { type RateRuleSwitches, RateRules } from "./rate-rules.js";
import { Scheduler } from "./scheduler.js";
import { createSimulatorServer, DEFAULT_TIMEOUTS, type ServerTimeouts } from "./server.js";
import { loadWsdlTemplate } from "./wsdl.js";

export interface SimulatorRules {
  /** Catalog rate/abuse rules: `false` turns all off (load tests), or switch single rules by id. Default on. */
  rateLimits?: RateRuleSwitches;
  /** Timing of −1 → 0 → final on the simulator clock. */
  lifecycle?: LifecycleOptions;
  /** Per-recipient outcomes (first matching prefix wins); unmatched recipients are delivered. */
  phones?: PhoneRule[];
}

export interface SimulatorOptions {
  /** TCP port (default 0: an ephemeral port). */
  port?: number;
  host?: string;
  /** Accounts (default: demo/demo, apikey demo-key, balance 1000). */
  accounts?: AccountConfig[];
  rules?: SimulatorRules;
  faults?: FaultRule[];
  /** Clock options, or a clock shared with the test. */
  clock?: ClockOptions | SimClock;
  callbacks?: CallbackOptions;
  /** One line per request (no secrets). */
  log?: (line: string) => void;
  /** WSDL to serve (default: the repository's spec/smsc.wsdl). */
  wsdlPath?: string;
  /** Largest request body accepted (default 1 MiB). */
  maxBodyBytes?: number;
  /**
   * Most messages kept (default 100,000). Past it the oldest message in a final status is forgotten
   * (counted as `messagesEvicted`); `get_status` then answers error 3, as SMSC does for an unknown id.
   */
  maxMessages?: number;
  /** Serve the inspector over HTTP under /_sim/ (default true; the CLI's --no-inspector turns it off). */
  httpInspector?: boolean;
  /**
   * Longest a client may take to send its request headers (`headersMs`, default 10 s) and its whole
   * request (`requestMs`, default 30 s); past either the connection gets 408 and is closed.
   */
  timeouts?: Partial<ServerTimeouts>;
  /** Every SOAP request waits uniformly MIN..MAX ms before its answer (load tests; default none). */
  latency?: LatencyProfile;
}

/** A message as the inspector shows it: a copy, so tests cannot change the simulator's state by accident. */
export type MessageView = SimMessage;

export interface SimulatorInspector {
  messages(): MessageView[];
  message(id: string, phone: string, login?: string): MessageView | undefined;
  callbacks(): CallbackAttempt[];
  counters(): CounterSnapshot;
  /** Back to the start state: messages, rate windows, blocks, callbacks, balances, counters, faults. */
  reset(): void;
  /** Moves the simulator clock forward; due status changes (and their callbacks) happen now. */
  advance(ms: number): void;
  now(): Date;
  /** Adds a fault rule; returns a function that removes it. */
  setFault(rule: FaultRule): () => void;
  clearFaults(): void;
  faults(): readonly FaultRule[];
  setRules(rules: SimulatorRules): void;
  setCallbackOptions(options: CallbackOptions): void;
  /** Replaces the latency profile (undefined: answer at once). */
  setLatency(profile: LatencyProfile | undefined): void;
  balance(login: string): number | undefined;
  setBalance(login: string, balance: number): void;
  /** Catalog rules the simulator does not apply, and why. */
  unenforcedRules(): { id: string; reason: string }[];
  /** Callbacks still waiting for a 200 (in flight or scheduled for retry). */
  pendingCallbacks(): number;
}

export interface RunningSimulator {
  /** `http://host:port/sys/soap.php` */
  url: string;
  /** `http://host:port/sys/soap.php?wsdl` */
  wsdlUrl: string;
  port: number;
  inspector: SimulatorInspector;
  close(): Promise<void>;
}

export class SimulatorConfigError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = "SimulatorConfigError";
  }
}

function checkPhoneRules(rules: readonly PhoneRule[]): void {
  rules.forEach((rule, i) => {
    if (rule.status !== undefined && !isKnownStatus(rule.status)) {
      throw new SimulatorConfigError(
        `rules.phones[${i}].status`,
        "catalog",
        `status ${rule.status} is not in the catalog`,
      );
    }
    if (rule.unreachable === true && rule.status !== undefined) {
      throw new SimulatorConfigError(
        `rules.phones[${i}].status`,
        "excludes unreachable",
        "an unreachable subscriber's messages always expire (status 3); drop status or unreachable",
      );
    }
    if (rule.sendError !== undefined && !isKnownErrorCode(rule.sendError)) {
      throw new SimulatorConfigError(
        `rules.phones[${i}].sendError`,
        "catalog",
        `error ${rule.sendError} is not in the catalog`,
      );
    }
  });
}

function checkTimeouts(given: Partial<ServerTimeouts> | undefined): ServerTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...given };
  for (const name of ["headersMs", "requestMs"] as const) {
    const value = timeouts[name];
    if (!(Number.isInteger(value) && value > 0)) {
      throw new SimulatorConfigError(
        `timeouts.${name}`,
        "positive integer",
        `timeouts.${name} must be a positive integer (ms)`,
      );
    }
  }
  if (timeouts.headersMs > timeouts.requestMs) {
    throw new SimulatorConfigError(
      "timeouts.headersMs",
      "at most requestMs",
      "timeouts.headersMs must not exceed timeouts.requestMs: the headers are part of the request",
    );
  }
  return timeouts;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const clock = options.clock instanceof SimClock ? options.clock : new SimClock(options.clock);
  const scheduler = new Scheduler(clock);
  const accounts = new AccountRegistry(options.accounts ?? [DEFAULT_ACCOUNT]);
  let rules: SimulatorRules = options.rules ?? {};
  checkPhoneRules(rules.phones ?? []);
  const timeouts = checkTimeouts(options.timeouts);
  if (
    options.maxMessages !== undefined &&
    !(Number.isInteger(options.maxMessages) && options.maxMessages > 0)
  ) {
    throw new SimulatorConfigError(
      "maxMessages",
      "positive integer",
      "maxMessages must be a positive integer",
    );
  }
  let latency = options.latency === undefined ? undefined : checkLatencyProfile({ ...options.latency });
  const counters = new Counters();
  const store = new MessageStore({
    maxMessages: options.maxMessages,
    isFinal: isFinalStatus,
    onEvict: () => counters.evicted(),
  });
  const rates = new RateRules(RATE_RULE_SPECS, rules.rateLimits ?? true);
  const callbacks = new CallbackDispatcher(options.callbacks ?? {}, isFinalStatus);
  const lifecycle = new Lifecycle(scheduler, rules.lifecycle ?? {}, (message, at) => {
    const target = accounts.get(message.login)?.config.callback;
    if (target !== undefined) callbacks.statusChanged(message, target, at);
  });
  const faults = new FaultRegistry(options.faults ?? [], isKnownErrorCode);
  const engine = new SimulatorEngine({
    clock,
    accounts,
    store,
    rates,
    lifecycle,
    counters,
    phoneRules: () => rules.phones ?? [],
  });
  let origin = "";
  let inspector: SimulatorInspector | undefined;
  const httpInspector = options.httpInspector ?? true;
  const server = createSimulatorServer({
    inspector: () => (httpInspector ? inspector : undefined),
    engine,
    faults,
    counters,
    wsdl: loadWsdlTemplate(options.wsdlPath),
    soapPath: SOAP_PATH,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    fallbackOrigin: () => origin,
    latency: () => (latency === undefined ? 0 : drawLatency(latency)),
    log: options.log,
    timeouts,
  });
  const listening = await listen(server, options);
  const port = listening.port;
  origin = listening.origin;
  const url = `${origin}${SOAP_PATH}`;

  inspector = {
    messages: () => structuredClone([...store.all()]),
    message: (id, phone, login) => {
      const found = login === undefined ? store.findAny(id, phone) : store.find(login, id, phone);
      return found === undefined ? undefined : structuredClone(found);
    },
    callbacks: () => structuredClone([...callbacks.attempts()]),
    counters: () => counters.snapshot(),
    reset: () => {
      scheduler.clear();
      clock.reset();
      store.clear();
      rates.reset();
      callbacks.reset();
      counters.reset();
      faults.reset();
      for (const account of accounts.all()) account.reset();
    },
    advance: (ms) => clock.advance(ms),
    now: () => clock.date(),
    setFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    faults: () => faults.active(),
    setRules: (next) => {
      checkPhoneRules(next.phones ?? rules.phones ?? []);
      rules = { ...rules, ...next };
      rates.configure(rules.rateLimits ?? true);
      lifecycle.configure(rules.lifecycle ?? {});
    },
    setCallbackOptions: (next) => callbacks.configure(next),
    setLatency: (next) => {
      latency = next === undefined ? undefined : checkLatencyProfile({ ...next });
    },
    balance: (login) => accounts.get(login)?.balance,
    setBalance: (login, balance) => {
      const account = accounts.get(login);
      if (account === undefined) throw new SimulatorConfigError("login", "exists", `no account "${login}"`);
      account.balance = balance;
    },
    unenforcedRules: () => rates.unenforced(),
    pendingCallbacks: () => callbacks.outstanding,
  };

  return {
    url,
    wsdlUrl: `${url}?wsdl`,
    port,
    inspector,
    close: async () => {
      scheduler.close();
      callbacks.close();
      // Hung "timeout after accept" requests and idle keep-alive sockets must not keep us open.
      await closeServer(server, { connections: "all" });
    },
  };
}
