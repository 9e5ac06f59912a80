/**
 * The `valid` option: how long SMSC keeps trying to deliver a message (docs/protocol.md §2.2). Either
 * whole hours or `hh:mm`; the bounds, the `hh:mm` pattern and the default all come from the catalog,
 * so this module only turns an accepted value into a duration.
 */
import { invalidField } from "./field-rules.js";
import { QUERY_OPTIONS } from "./generated/index.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

const spec = QUERY_OPTIONS.valid;
const hours = spec.format.alternatives[0];
const clock = spec.format.alternatives[1].patterns[0];
const clockPattern = new RegExp(clock.regex);

/**
 * Lifetime in milliseconds of a message sent with `valid = value`. Absent or empty means the catalog's
 * default (24 h). Throws SmscValidationError (field `valid`, SMSC error 1) for anything else SMSC refuses.
 */
export function parseValidity(value: string | number | undefined): number {
  const text = value === undefined ? "" : String(value).trim();
  if (text === "") return parseValidity(spec.default);
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n >= hours.min && n <= hours.max) return n * HOUR_MS;
  } else if (clockPattern.test(text)) {
    const [hh, mm] = text.split(":").map(Number) as [number, number];
    return hh * HOUR_MS + mm * MINUTE_MS;
  }
  throw invalidField("valid", spec.rule, `"${text}" is not a message lifetime`);
}
