import { LIFECYCLE, SUBSCRIBER_OFFLINE_ERR } from "./lifecycle-statuses.js";

/**
 * What happens to a message for a given recipient. By default every message is delivered (status 1,
 * err 0); rules pick other outcomes by phone prefix so tests can exercise each final status.
 */
export interface PhoneRule {
  /** Recipient prefix, digits compared without `+` (e.g. `7999000`); `*` matches every recipient. */
  prefix: string;
  /** Final status (e.g. 20, 22, 23, 24, 25); default 1 (delivered). */
  status?: number;
  /** Delivery error code reported with the final status (default 0; 6 "subscriber offline" when unreachable). */
  err?: number;
  /**
   * The subscriber cannot be reached for now: the message stays at status 0 until its lifetime (`valid`,
   * default 24 h) runs out on the simulator clock, then becomes 3 "Expired" with `err`. Excludes `status`.
   */
  unreachable?: boolean;
  /** Refuse the send request itself with this SMSC error code (e.g. 7 or 8) instead of accepting it. */
  sendError?: number;
  /** Override the lifecycle timing for these recipients. */
  handoffMs?: number;
  deliveryMs?: number;
  operator?: string;
  region?: string;
}

export interface PhoneOutcome {
  status: number;
  err: number;
  sendError: number | undefined;
  unreachable: boolean;
  handoffMs: number | undefined;
  deliveryMs: number | undefined;
  operator: string;
  region: string;
}

const DEFAULT_OPERATOR = "Simulated Operator";
const DEFAULT_REGION = "Simulated Region";

function digitsOrText(value: string): string {
  return value.trim().replace(/^\+/, "");
}

export function resolvePhoneOutcome(rules: readonly PhoneRule[], phone: string): PhoneOutcome {
  const target = digitsOrText(phone);
  const rule = rules.find((r) => r.prefix === "*" || target.startsWith(digitsOrText(r.prefix)));
  const unreachable = rule?.unreachable === true;
  return {
    status: unreachable ? LIFECYCLE.expired : (rule?.status ?? LIFECYCLE.delivered),
    err: rule?.err ?? (unreachable ? SUBSCRIBER_OFFLINE_ERR : 0),
    sendError: rule?.sendError,
    unreachable,
    handoffMs: rule?.handoffMs,
    deliveryMs: rule?.deliveryMs,
    operator: rule?.operator ?? DEFAULT_OPERATOR,
    region: rule?.region ?? DEFAULT_REGION,
  };
}
