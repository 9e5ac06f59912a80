import { ERRORS } from "./error-codes.js";
import { STATUS_CODES, sendErrorClass } from "./protocol.js";

/**
 * The status a recipient SMSC refused carries in the `errors` list of an `err=1` answer (and in
 * `get_status` for that id and phone): docs/protocol.md §2.2 "err". The codes are looked up by their
 * catalog names once at start-up, so a renumbered catalog stops the simulator instead of making it lie.
 */
function statusNamed(name: string): number {
  const entry = Object.values(STATUS_CODES).find((status) => status.name === name);
  if (entry === undefined) throw new Error(`catalog: no status named "${name}"`);
  return entry.code;
}

const INVALID_NUMBER = statusNamed("Invalid number");
const UNAVAILABLE_NUMBER = statusNamed("Unavailable number");
const FORBIDDEN = statusNamed("Forbidden");
const IMPOSSIBLE_TO_DELIVER = statusNamed("Impossible to deliver");

/**
 * The status listed for a recipient refused with `requestError`: 7 (bad number format) → 22 "Invalid
 * number"; another recipient error (8, the number cannot be reached) → 25 "Unavailable number"; a denied
 * message (6) → 23 "Forbidden"; anything else → 20 "Impossible to deliver".
 */
export function refusalStatus(requestError: number): number {
  if (requestError === ERRORS.badPhone) return INVALID_NUMBER;
  const errorClass = sendErrorClass(requestError);
  if (errorClass === "invalid_recipient") return UNAVAILABLE_NUMBER;
  if (errorClass === "denied") return FORBIDDEN;
  return IMPOSSIBLE_TO_DELIVER;
}
