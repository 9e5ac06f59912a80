/**
 * The `coalesce` option: whether due rows that can travel together go to SMSC in one send request, and the
 * most one request carries. The defaults are the catalog's `requestLimits` (inferred: SMSC publishes none).
 */
import { OutboxConfigError } from "../errors.js";
import { SEND_REQUEST_LIMITS } from "../protocol.js";

export interface CoalesceLimits {
  /** Most recipients in one request's `phones` list (one text to many numbers). */
  maxRecipients?: number;
  /** Most `list` lines (different texts) in one request. */
  maxListLines?: number;
  /** Most UTF-8 bytes of the `phones`/`mes`/`list` values of one request. */
  maxBytes?: number;
}

/** `false` sends every row alone (as before coalescing); `true` or limits turn it on (the default). */
export type CoalesceOption = boolean | CoalesceLimits;

export interface CoalesceSettings {
  maxRecipients: number;
  maxListLines: number;
  maxBytes: number;
}

function limit(value: number | undefined, fallback: number, field: string): number {
  const checked = value ?? fallback;
  if (!Number.isInteger(checked) || checked < 1)
    throw new OutboxConfigError(`coalesce.${field}`, "must be a positive integer");
  return checked;
}

/** null: coalescing is off, every row travels alone. */
export function resolveCoalesce(option: CoalesceOption | undefined): CoalesceSettings | null {
  if (option === false) return null;
  if (option !== undefined && option !== true && (typeof option !== "object" || option === null))
    throw new OutboxConfigError(
      "coalesce",
      "must be true, false or { maxRecipients, maxListLines, maxBytes }",
    );
  const limits = typeof option === "object" ? option : {};
  return {
    maxRecipients: limit(limits.maxRecipients, SEND_REQUEST_LIMITS.recipients, "maxRecipients"),
    maxListLines: limit(limits.maxListLines, SEND_REQUEST_LIMITS.listLines, "maxListLines"),
    maxBytes: limit(limits.maxBytes, SEND_REQUEST_LIMITS.bytes, "maxBytes"),
  };
}
