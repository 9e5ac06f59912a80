/** Small helpers both stores share. */
import type { IncomingSms } from "../callback.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;

/** Table prefixes and schema names are spliced into SQL, so only plain identifiers are allowed. */
export function checkTablePrefix(prefix: string, what = "tablePrefix"): string {
  if (prefix !== "" && !IDENTIFIER.test(prefix)) {
    throw new TypeError(`${what} must match ${IDENTIFIER}`);
  }
  return prefix;
}

/** Incoming SMS deduplicate on SMSC's id when it sends one; without an id every delivery is kept. */
export function incomingReplayKey(sms: IncomingSms): string | null {
  return sms.id === undefined ? null : JSON.stringify([sms.id, sms.phone]);
}
