import { errorCodeFor, fieldErrorCode } from "./protocol.js";

/**
 * The in-band codes the simulator's own decisions produce, looked up in the catalog once at start-up
 * (by error class, or by the field whose value is at fault) rather than written as numbers.
 */
export const ERRORS = {
  /** Wrong login/password/API key. */
  auth: {
    send: errorCodeFor("send", "auth"),
    cost: errorCodeFor("cost", "auth"),
    status: errorCodeFor("status", "auth"),
    balance: errorCodeFor("balance", "auth"),
  },
  /** Requests from a blocked IP. */
  ipBlocked: errorCodeFor("send", "ip_blocked"),
  /** Balance below the price of the send. */
  funds: errorCodeFor("send", "funds"),
  /** A sender name the account has not registered. */
  deniedSender: errorCodeFor("send", "denied"),
  /** get_status for a message that does not exist. */
  notFound: errorCodeFor("status", "not_found"),
  /** A recipient that matches no recipient format. */
  badPhone: fieldErrorCode("phones"),
  /** A `time` that cannot be read. */
  badTime: fieldErrorCode("time"),
  /** Duplicate or too many requests (identical sends, polling limits, simultaneous requests). */
  tooMany: errorCodeFor("send", "duplicate"),
  /** Structure where a string belongs (nested or repeated elements). */
  badRequest: errorCodeFor("send", "invalid_request"),
} as const;
