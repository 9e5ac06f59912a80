/**
 * Fault injection: make the simulator misbehave on purpose, by rule (configured or set through the
 * inspector) or per request (the `x-smsc-sim-fault` header).
 */
export interface FaultMatch {
  /** Operation name(s), e.g. `send_sms` or [`send_sms`, `send_sms2`]. */
  operation?: string | string[];
  login?: string;
  /** Matches when any recipient starts with this prefix (digits compared without `+`). */
  phonePrefix?: string;
}

export interface FaultRule {
  match?: FaultMatch;
  /** Applies to this many matching requests, then retires (default: no limit). */
  times?: number;
  /** Applies with this probability 0..1 (default 1). */
  probability?: number;
  /** Waits this long before answering (combines with the other effects). */
  latencyMs?: number;
  /** Answers with this HTTP status (e.g. 500, 503) without processing the request. */
  httpStatus?: number;
  /** Answers with a SOAP Fault carrying this text, without processing the request. */
  soapFault?: string;
  /** Processes the request for real (the message IS created), then never answers (`hang`) or drops the socket (`drop`). */
  afterAccept?: "hang" | "drop";
  /** Answers with this in-band SMSC error code instead of processing the request. */
  error?: number;
}

export interface FaultContext {
  operation: string;
  login: string | undefined;
  /** Recipients of the request, worked out only when a rule matches on them. */
  phones: () => readonly string[];
}

export const FAULT_HEADER = "x-smsc-sim-fault";

export class FaultRuleError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = "FaultRuleError";
  }
}

/** Checks a rule's shape so a typo in a config file fails at start, naming the field. */
export function validateFaultRule(rule: FaultRule, isKnownError: (code: number) => boolean): FaultRule {
  const effects = [rule.httpStatus, rule.soapFault, rule.afterAccept, rule.error].filter(
    (e) => e !== undefined,
  );
  if (effects.length > 1) {
    throw new FaultRuleError(
      "fault",
      "one-effect",
      "a fault rule has at most one of httpStatus, soapFault, afterAccept, error",
    );
  }
  if (effects.length === 0 && rule.latencyMs === undefined) {
    throw new FaultRuleError(
      "fault",
      "no-effect",
      "a fault rule needs latencyMs, httpStatus, soapFault, afterAccept or error",
    );
  }
  if (
    rule.httpStatus !== undefined &&
    !(Number.isInteger(rule.httpStatus) && rule.httpStatus >= 400 && rule.httpStatus <= 599)
  ) {
    throw new FaultRuleError("httpStatus", "range", "httpStatus must be an HTTP error status 400..599");
  }
  if (rule.afterAccept !== undefined && rule.afterAccept !== "hang" && rule.afterAccept !== "drop") {
    throw new FaultRuleError("afterAccept", "enum", 'afterAccept must be "hang" or "drop"');
  }
  if (rule.error !== undefined && !isKnownError(rule.error)) {
    throw new FaultRuleError(
      "error",
      "catalog",
      `error ${rule.error} is not an SMSC error code in the catalog`,
    );
  }
  if (rule.latencyMs !== undefined && !(rule.latencyMs >= 0 && rule.latencyMs <= 600_000)) {
    throw new FaultRuleError("latencyMs", "range", "latencyMs must be 0..600000");
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new FaultRuleError("probability", "range", "probability must be 0..1");
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 1)) {
    throw new FaultRuleError("times", "range", "times must be an integer ≥ 1");
  }
  return rule;
}

/**
 * Text form, used by the `x-smsc-sim-fault` header (one request) and the CLI's `--fault`:
 * `key=value` pairs separated by `;`. Effects: `latency=200`, `http=503`, `fault=text`,
 * `after-accept=hang|drop`, `error=9`. Selection: `operation=send_sms`, `login=demo`, `phone=7999`,
 * `times=1`, `probability=0.5`.
 */
export function parseFaultSpec(value: string, isKnownError: (code: number) => boolean): FaultRule {
  const rule: FaultRule = {};
  const match: FaultMatch = {};
  for (const part of value.split(";")) {
    const [rawKey, ...rest] = part.split("=");
    const key = (rawKey ?? "").trim().toLowerCase();
    const arg = rest.join("=").trim();
    if (key === "") continue;
    if (key === "latency") rule.latencyMs = Number(arg);
    else if (key === "http") rule.httpStatus = Number(arg);
    else if (key === "fault") rule.soapFault = arg || "Injected fault";
    else if (key === "after-accept") rule.afterAccept = arg as "hang" | "drop";
    else if (key === "error") rule.error = Number(arg);
    else if (key === "operation") match.operation = arg.split(",");
    else if (key === "login") match.login = arg;
    else if (key === "phone") match.phonePrefix = arg;
    else if (key === "times") rule.times = Number(arg);
    else if (key === "probability") rule.probability = Number(arg);
    else {
      throw new FaultRuleError(
        key,
        "known-key",
        `unknown fault key "${key}" (latency, http, fault, after-accept, error, operation, login, phone, times, probability)`,
      );
    }
  }
  if (Object.keys(match).length > 0) rule.match = match;
  return validateFaultRule(rule, isKnownError);
}

function matches(match: FaultMatch | undefined, context: FaultContext): boolean {
  if (match === undefined) return true;
  if (match.operation !== undefined) {
    const operations = Array.isArray(match.operation) ? match.operation : [match.operation];
    if (!operations.includes(context.operation)) return false;
  }
  if (match.login !== undefined && match.login !== context.login) return false;
  if (match.phonePrefix !== undefined) {
    const prefix = match.phonePrefix.replace(/^\+/, "");
    if (!context.phones().some((phone) => phone.replace(/^\+/, "").startsWith(prefix))) return false;
  }
  return true;
}

export class FaultRegistry {
  private rules: FaultRule[] = [];

  constructor(
    private readonly initial: readonly FaultRule[],
    private readonly isKnownError: (code: number) => boolean,
    private readonly random: () => number = Math.random,
  ) {
    this.reset();
  }

  add(rule: FaultRule): () => void {
    const copy = { ...validateFaultRule(rule, this.isKnownError) };
    this.rules.push(copy);
    return () => {
      this.rules = this.rules.filter((r) => r !== copy);
    };
  }

  clear(): void {
    this.rules = [];
  }

  reset(): void {
    this.rules = this.initial.map((rule) => ({ ...validateFaultRule(rule, this.isKnownError) }));
  }

  active(): readonly FaultRule[] {
    return this.rules;
  }

  /** The first rule that applies to this request; consumes one of its `times`. */
  pick(context: FaultContext): FaultRule | undefined {
    if (this.rules.length === 0) return undefined;
    for (const rule of this.rules) {
      if (!matches(rule.match, context)) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.times !== undefined) {
        rule.times--;
        if (rule.times <= 0) this.rules = this.rules.filter((r) => r !== rule);
      }
      return rule;
    }
    return undefined;
  }
}
