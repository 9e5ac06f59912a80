/**
 * The one place the outbox reads SMSC protocol facts, all from core's generated tables (spec/catalog.yaml):
 * error classes, status codes and the rate rules. Nothing here restates a number.
 */
import {
  canTransition,
  classifyError,
  ERROR_CLASSES,
  type ErrorClass,
  isFinalStatus,
  RATE_RULES,
  REQUEST_LIMITS,
  statusInfo,
} from "@smsc-kit/core";

type RateRule = (typeof RATE_RULES)[number];

function rule(id: string): RateRule {
  const found = RATE_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`core's RATE_RULES has no rule ${id}; the outbox needs it`);
  return found;
}

function limitOf(id: string): number {
  const r = rule(id);
  if (typeof r.limit !== "number") throw new Error(`rate rule ${id} has no numeric limit`);
  return r.limit;
}

function windowMsOf(id: string): number {
  const r = rule(id);
  if (typeof r.windowSeconds !== "number") throw new Error(`rate rule ${id} has no window`);
  return r.windowSeconds * 1000;
}

/** Most simultaneous requests one login may have open (send-concurrency). */
export const MAX_CONCURRENT_REQUESTS = limitOf("send-concurrency");
/** Most simultaneous status requests under one login (status-concurrency). */
export const MAX_CONCURRENT_STATUS = limitOf("status-concurrency");
/** Status requests allowed for one message within the window (status-per-message). */
export const STATUS_PER_MESSAGE = {
  limit: limitOf("status-per-message"),
  windowMs: windowMsOf("status-per-message"),
};
/** Identical send requests within this window are refused as duplicates (send-duplicate). */
export const DUPLICATE_SEND_WINDOW_MS = windowMsOf("send-duplicate");
/** Balance requests allowed within the window (balance-polling). */
export const BALANCE_POLLING = { limit: limitOf("balance-polling"), windowMs: windowMsOf("balance-polling") };
/** Per-subscriber flood rule: a run longer than `limit`, each less than `spacingMs` apart, is forbidden. */
export const SUBSCRIBER_FLOOD = {
  limit: limitOf("subscriber-flood"),
  spacingMs: windowMsOf("subscriber-flood"),
};

function sendLimit(measure: (typeof REQUEST_LIMITS)[number]["measure"]): number {
  const found = REQUEST_LIMITS.find((l) => l.method === "send" && l.measure === measure);
  if (!found) throw new Error(`core's REQUEST_LIMITS has no send limit on ${measure}; the outbox needs it`);
  return found.limit;
}

/** The most one send request carries (catalog `requestLimits`; inferred: SMSC publishes no numbers). */
export const SEND_REQUEST_LIMITS = {
  recipients: sendLimit("recipients"),
  listLines: sendLimit("list-lines"),
  bytes: sendLimit("bytes"),
};

/**
 * How long an IP block lasts. SMSC does not say which rule blocked us, so we wait the shortest published
 * blocking period; a request that is still refused re-arms the wait.
 */
export const IP_BLOCK_MS =
  Math.min(
    ...RATE_RULES.map((r): number =>
      typeof r.blockSeconds === "number" ? r.blockSeconds : Number.POSITIVE_INFINITY,
    ),
  ) * 1000;

/**
 * How a failed attempt is classed on its row and in events: the catalog's class of SMSC's error code, a failure
 * below SMSC's API (whether the request may have reached SMSC is in the name), or "unknown" when get_status could
 * not settle an earlier attempt.
 */
export type OutcomeClass = ErrorClass | "transport_unknown" | "transport_not_sent" | "unknown";

const OUTCOME_CLASSES: ReadonlySet<string> = new Set<OutcomeClass>([
  ...ERROR_CLASSES,
  "transport_unknown",
  "transport_not_sent",
  "unknown",
]);

export function isOutcomeClass(value: unknown): value is OutcomeClass {
  return typeof value === "string" && OUTCOME_CLASSES.has(value);
}

/** The catalog class of an in-band error code of a method ("retryable", "funds", …). */
export function errorClassOf(method: "send" | "status" | "balance", code: number): ErrorClass {
  return classifyError(method, code).class;
}

/** A status lookup result that means "no such message" (status −3), as opposed to a real message state. */
export function isNotFoundStatus(status: number): boolean {
  return statusInfo(status)?.kind === "not_found";
}

export function isFinal(status: number): boolean {
  return isFinalStatus(status);
}

/** Monotonic: a recipient's status only moves forward; a repeat of the same status is not a change. */
export function canMove(from: number | null, to: number): boolean {
  if (from === null) return true;
  if (from === to) return false;
  return canTransition(from, to);
}
