/**
 * The four formats of SMSC's `time` option (docs/protocol.md §2.2, "time"):
 *   1. `DDMMYYhhmm` or `DD.MM.YY hh:mm` — wall-clock time in the zone `tz` (hours relative to Moscow)
 *   2. `h1-h2` — an hour window, returned as such: the sender decides when it opens
 *   3. `0ts` — unix seconds prefixed by 0 (zone-free)
 *   4. `+m` — minutes from now
 * `0` means now. A past time also means "now" to SMSC; we return the past instant and let callers
 * compare with their clock.
 */
import { invalidField } from "./field-rules.js";
import { MOSCOW_UTC_OFFSET_HOURS, wallClockToDate } from "./moscow-time.js";

export interface SendWindow {
  window: { fromHour: number; toHour: number; utcOffsetHours: number };
}

export interface SendTimeContext {
  /** `tz`: hours relative to Moscow. Absent means Moscow (SMSC would use the account setting). */
  tz?: number | string | undefined;
  now?: Date | undefined;
}

const HOUR_MS = 3_600_000;
const COMPACT = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const DOTTED = /^(\d{2})\.(\d{2})\.(\d{2}) (\d{1,2}):(\d{2})$/;
const WINDOW = /^(\d{1,2})-(\d{1,2})$/;
const TIMESTAMP = /^0(\d+)$/;
const RELATIVE = /^\+(\d+)$/;

function zoneOffset(tz: SendTimeContext["tz"]): number {
  if (tz === undefined || tz === "") return MOSCOW_UTC_OFFSET_HOURS;
  const hours = typeof tz === "number" ? tz : Number(tz);
  if (!Number.isFinite(hours))
    throw invalidField("tz", "number", "tz must be a number of hours relative to Moscow");
  return MOSCOW_UTC_OFFSET_HOURS + hours;
}

function fromWallClock(dd: string, mm: string, yy: string, hh: string, mi: string, offset: number): Date {
  const date = wallClockToDate(
    { year: 2000 + Number(yy), month: Number(mm), day: Number(dd), hour: Number(hh), minute: Number(mi) },
    offset,
  );
  if (date === undefined)
    throw invalidField("time", "date", `time "${dd}.${mm}.${yy} ${hh}:${mi}" is not a date`);
  return date;
}

export function parseSendTime(time: string | number, context: SendTimeContext = {}): Date | SendWindow {
  const text = String(time).trim();
  const now = context.now ?? new Date();
  const offset = zoneOffset(context.tz);
  if (text === "0" || text === "") return now;
  // Exactly ten digits is DDMMYYhhmm even when the day starts with 0; `0ts` is longer (unix seconds).
  const compact = COMPACT.exec(text);
  if (compact !== null) {
    const [, dd, mm, yy, hh, mi] = compact as unknown as [string, string, string, string, string, string];
    return fromWallClock(dd, mm, yy, hh, mi, offset);
  }
  const dotted = DOTTED.exec(text);
  if (dotted !== null) {
    const [, dd, mm, yy, hh, mi] = dotted as unknown as [string, string, string, string, string, string];
    return fromWallClock(dd, mm, yy, hh, mi, offset);
  }
  const window = WINDOW.exec(text);
  if (window !== null) {
    const fromHour = Number(window[1]);
    const toHour = Number(window[2]);
    if (fromHour > 24 || toHour > 24) throw invalidField("time", "window", "time window hours must be 0..24");
    return { window: { fromHour, toHour, utcOffsetHours: offset } };
  }
  const timestamp = TIMESTAMP.exec(text);
  if (timestamp !== null) return new Date(Number(timestamp[1]) * 1000);
  const relative = RELATIVE.exec(text);
  if (relative !== null) return new Date(now.getTime() + Number(relative[1]) * 60_000);
  throw invalidField(
    "time",
    "format",
    "time must be DDMMYYhhmm, DD.MM.YY hh:mm, h1-h2, 0<unix seconds>, +<minutes> or 0",
  );
}

/**
 * When an `h1-h2` send window opens, seen at `now`: before h1 → today at h1; inside the window → now;
 * after it → h1 the next day. Hours are wall-clock hours in the zone UTC+`utcOffsetHours`. A window
 * whose h1 is later than h2 (22-6) spans midnight (inferred: SMSC does not say; reading it as empty
 * would hold such messages forever).
 */
export function resolveSendWindow(window: SendWindow["window"], now: Date): Date {
  const nowMs = now.getTime();
  const offsetMs = window.utcOffsetHours * HOUR_MS;
  const local = new Date(nowMs + offsetMs);
  const hour = local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600;
  const startOfDay = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - offsetMs;
  const opensToday = startOfDay + window.fromHour * HOUR_MS;
  const wraps = window.fromHour > window.toHour;
  const inside = wraps
    ? hour >= window.fromHour || hour < window.toHour
    : hour >= window.fromHour && hour < window.toHour;
  if (inside) return now;
  if (hour < window.fromHour) return new Date(opensToday);
  return new Date(opensToday + 24 * HOUR_MS);
}

/**
 * The instant a message with this `time` (and `tz`) may leave the waiting state: parseSendTime with
 * the `h1-h2` window resolved. An empty or absent time means now. Throws SmscValidationError on a bad
 * `time`.
 */
export function resolveSendTime(time: string | number | undefined, context: SendTimeContext = {}): Date {
  const now = context.now ?? new Date();
  if (time === undefined || time === "") return now;
  const parsed = parseSendTime(time, { ...context, now });
  return parsed instanceof Date ? parsed : resolveSendWindow(parsed.window, now);
}
