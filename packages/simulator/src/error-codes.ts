import { errorCodeFor, fieldErrorCode, requireErrorCode, SMSC_METHODS, type SmscMethod } from "./protocol.js";

/**
 * The in-band codes the simulator's own decisions produce, looked up in the catalog once at start-up
 * (by error class, or by the field whose value is at fault) rather than written as numbers.
 */
export const ERRORS = {
  /** Requests from a blocked IP. */
  ipBlocked: requireErrorCode("send", "ip_blocked"),
  /** Balance below the price of the send. */
  funds: requireErrorCode("send", "funds"),
  /** A sender name the account has not registered. */
  deniedSender: requireErrorCode("send", "denied"),
  /** get_status for a message that does not exist. */
  notFound: requireErrorCode("status", "not_found"),
  /** A recipient that matches no recipient format. */
  badPhone: fieldErrorCode("phones"),
  /** A `time` that cannot be read. */
  badTime: fieldErrorCode("time"),
  /** Duplicate or too many requests (identical sends, polling limits, simultaneous requests). */
  tooMany: requireErrorCode("send", "duplicate"),
  /** Structure where a string belongs (nested or repeated elements). */
  badRequest: requireErrorCode("send", "invalid_request"),
} as const;

const SEND_AUTH = requireErrorCode("send", "auth");
const AUTH = new Map(
  (Object.keys(SMSC_METHODS) as SmscMethod[]).map((method) => [
    method,
    errorCodeFor(method, "auth") ?? SEND_AUTH,
  ]),
);

/**
 * Wrong login/password/API key, per method: the catalog's `auth` code of the method, or (for a method
 * whose list has none) the code send uses for it.
 */
export function authError(method: SmscMethod): number {
  return AUTH.get(method) ?? SEND_AUTH;
}
