import { SlidingWindowCounter } from "@smsc-kit/runtime";

/** The fields of a catalog rate rule the simulator acts on (core's generated RATE_RULES). */
export interface RateRuleSpec {
  readonly id: string;
  readonly method: string;
  readonly measure: string;
  readonly limit: number | null;
  readonly windowSeconds: number | null;
  readonly scope: string;
  readonly outcome: { readonly error?: number; readonly status?: number };
  readonly blockSeconds?: number | null;
}

/** A request's place in the simultaneous-request count. */
export interface ConcurrencyTicket {
  /** Requests of this method and login in flight, this one included. */
  inFlight: number;
  /** The outcome error when this request makes too many at once. */
  error: number | undefined;
  release: () => void;
}

/** `false` switches every rule off (load tests); an object switches single rules by catalog id. */
export type RateRuleSwitches = boolean | Record<string, boolean>;

/**
 * Applies the catalog's rate and abuse rules. Thresholds, windows and outcomes come from the rule
 * table; this class only knows how to count each `measure`. A measure it does not know (or a rule
 * whose threshold is unpublished, limit null) is reported by `unenforced()` and not applied.
 */
export class RateRules {
  private readonly counter = new SlidingWindowCounter();
  private readonly inFlight = new Map<string, number>();
  private readonly blockedUntil = new Map<string, number>();
  private readonly consecutiveErrors = new Map<string, { count: number; last: number }>();
  private readonly floodChains = new Map<string, { count: number; last: number }>();
  private chainUpdates = 0;

  constructor(
    private readonly rules: readonly RateRuleSpec[],
    private switches: RateRuleSwitches = true,
  ) {}

  configure(switches: RateRuleSwitches): void {
    this.switches = switches;
    this.activeCache.clear();
  }

  reset(): void {
    this.counter.clear();
    this.inFlight.clear();
    this.blockedUntil.clear();
    this.consecutiveErrors.clear();
    this.floodChains.clear();
  }

  /** Rules this simulator cannot apply, with the reason (shown by the inspector). */
  unenforced(): { id: string; reason: string }[] {
    return this.rules
      .filter((rule) => !ENFORCED_MEASURES.has(rule.measure) || rule.limit === null)
      .map((rule) => ({
        id: rule.id,
        reason: rule.limit === null ? "threshold not published" : `measure ${rule.measure} not simulated`,
      }));
  }

  /** Active rules per method and measure, worked out once per configuration (this runs on every request). */
  private readonly activeCache = new Map<string, RateRuleSpec[]>();

  private active(method: string, measure: string): RateRuleSpec[] {
    const key = `${method}\u0000${measure}`;
    let rules = this.activeCache.get(key);
    if (rules === undefined) {
      rules = this.rules.filter(
        (rule) =>
          (rule.method === method || rule.method === "any") &&
          rule.measure === measure &&
          rule.limit !== null &&
          this.enabled(rule.id),
      );
      this.activeCache.set(key, rules);
    }
    return rules;
  }

  private enabled(id: string): boolean {
    if (typeof this.switches === "boolean") return this.switches;
    return this.switches[id] ?? true;
  }

  /** The error code while `ip` is blocked (by any blocking rule: a blocked IP is blocked for every method). */
  blockedError(ip: string, now: number): number | undefined {
    for (const rule of this.rules) {
      if (!rule.blockSeconds || !this.enabled(rule.id)) continue;
      const until = this.blockedUntil.get(`${rule.id}\u0000${ip}`);
      if (until !== undefined && until > now) return rule.outcome.error;
    }
    return undefined;
  }

  /** Counts a failed authorisation; blocks the IP once a rule's limit is exceeded. */
  authFailed(method: string, ip: string, now: number): void {
    for (const rule of this.active(method, "auth-errors")) {
      const count = this.counter.hit(`${rule.id}\u0000${ip}`, now, (rule.windowSeconds ?? 0) * 1000);
      if (count > (rule.limit ?? Number.POSITIVE_INFINITY)) this.block(rule, ip, now);
    }
  }

  /** Records the outcome of a send request for the "erroneous requests in a row" rule. */
  sendOutcome(method: string, ip: string, failed: boolean, now: number): void {
    for (const rule of this.active(method, "consecutive-errors")) {
      const key = `${rule.id}\u0000${ip}`;
      if (!failed) {
        this.consecutiveErrors.delete(key);
        continue;
      }
      const windowMs = (rule.windowSeconds ?? 0) * 1000;
      const previous = this.consecutiveErrors.get(key);
      const count = previous !== undefined && now - previous.last < windowMs ? previous.count + 1 : 1;
      this.consecutiveErrors.set(key, { count, last: now });
      if (count > (rule.limit ?? Number.POSITIVE_INFINITY)) this.block(rule, ip, now);
    }
  }

  /**
   * Counts one request under `measure` for `key` (login, message, request fingerprint…) and returns
   * the outcome error of the first rule it exceeds.
   */
  count(method: string, measure: string, key: string | (() => string), now: number): number | undefined {
    let error: number | undefined;
    const rules = this.active(method, measure);
    if (rules.length === 0) return undefined;
    // The key may be costly (a request digest): only work it out when some rule counts it.
    const resolved = typeof key === "string" ? key : key();
    for (const rule of rules) {
      const count = this.counter.hit(`${rule.id}\u0000${resolved}`, now, (rule.windowSeconds ?? 0) * 1000);
      if (error === undefined && count > (rule.limit ?? Number.POSITIVE_INFINITY)) error = rule.outcome.error;
    }
    return error;
  }

  /**
   * Enters a request into the in-flight count of `method` for `key` (the login): counted whether or not
   * a rule limits it, so the inspector can report the highest concurrency of a load test with the rules
   * off. Returns the count including this request, the outcome error if that is too many at once, and
   * a release function to call when the request is answered.
   */
  enter(method: string, key: string): ConcurrencyTicket {
    const mapKey = `${method}\u0000${key}`;
    const inFlight = (this.inFlight.get(mapKey) ?? 0) + 1;
    this.inFlight.set(mapKey, inFlight);
    const exceeded = this.active(method, "concurrent-requests").find(
      (rule) => inFlight > (rule.limit ?? Number.POSITIVE_INFINITY),
    );
    let released = false;
    return {
      inFlight,
      error: exceeded?.outcome.error,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(mapKey) ?? 1) - 1;
        if (left <= 0) this.inFlight.delete(mapKey);
        else this.inFlight.set(mapKey, left);
      },
    };
  }

  /**
   * The subscriber flood rule: messages to one phone, each less than the window after the previous
   * one, beyond the limit get the rule's status instead of being sent.
   */
  floodStatus(method: string, phoneKey: string, now: number): number | undefined {
    let status: number | undefined;
    for (const rule of this.active(method, "messages-to-one-phone")) {
      const key = `${rule.id}\u0000${phoneKey}`;
      const windowMs = (rule.windowSeconds ?? 0) * 1000;
      const previous = this.floodChains.get(key);
      const count = previous !== undefined && now - previous.last < windowMs ? previous.count + 1 : 1;
      this.floodChains.set(key, { count, last: now });
      if (++this.chainUpdates >= SlidingWindowCounter.SWEEP_EVERY) this.sweepChains(now, windowMs);
      if (status === undefined && count > (rule.limit ?? Number.POSITIVE_INFINITY))
        status = rule.outcome.status;
    }
    return status;
  }

  /** Forgets subscribers whose last message is older than the flood window (their chain is over). */
  private sweepChains(now: number, windowMs: number): void {
    this.chainUpdates = 0;
    for (const [key, chain] of this.floodChains)
      if (now - chain.last >= windowMs) this.floodChains.delete(key);
  }

  private block(rule: RateRuleSpec, ip: string, now: number): void {
    if (!rule.blockSeconds) return;
    this.blockedUntil.set(`${rule.id}\u0000${ip}`, now + rule.blockSeconds * 1000);
  }
}

const ENFORCED_MEASURES = new Set([
  "identical-requests",
  "concurrent-requests",
  "messages-to-one-phone",
  "requests-per-message",
  "requests",
  "auth-errors",
  "consecutive-errors",
]);
