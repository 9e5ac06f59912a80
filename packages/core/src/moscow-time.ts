/**
 * SMSC writes dates as `DD.MM.YYYY hh:mm:ss` without a zone. They are Moscow wall-clock times:
 * SMSC's documentation states every time relative to Moscow (the `tz` parameter is an offset from
 * Moscow). Moscow has been fixed at UTC+3 without daylight saving since 26 October 2014, so we read
 * them as UTC+3. (Assumption: dates from before that change would be off by an hour.)
 */
export const MOSCOW_UTC_OFFSET_HOURS = 3;

const HOUR_MS = 3_600_000;

/** A wall-clock time in the zone `UTC + offsetHours`, as an instant. Returns undefined if out of range. */
export function wallClockToDate(
  parts: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  offsetHours: number,
): Date | undefined {
  const { year, month, day, hour, minute } = parts;
  const second = parts.second ?? 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59)
    return undefined;
  if (hour === 24 && (minute !== 0 || second !== 0)) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31.02 over into March; SMSC would reject such a date, so do we.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return new Date(utc - offsetHours * HOUR_MS);
}

const SMSC_DATE = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parse SMSC's `DD.MM.YYYY hh:mm:ss` (Moscow time). Undefined when the text has another shape. */
export function parseSmscDate(text: string): Date | undefined {
  const match = SMSC_DATE.exec(text.trim());
  if (match === null) return undefined;
  const [, dd, mm, yyyy, hh, mi, ss] = match;
  return wallClockToDate(
    {
      year: Number(yyyy),
      month: Number(mm),
      day: Number(dd),
      hour: Number(hh),
      minute: Number(mi),
      second: Number(ss),
    },
    MOSCOW_UTC_OFFSET_HOURS,
  );
}

/** Format an instant as SMSC's `DD.MM.YYYY hh:mm:ss` in Moscow time (used by the simulator). */
export function formatSmscDate(date: Date): string {
  const moscow = new Date(date.getTime() + MOSCOW_UTC_OFFSET_HOURS * HOUR_MS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${pad(moscow.getUTCDate())}.${pad(moscow.getUTCMonth() + 1)}.${moscow.getUTCFullYear()} ` +
    `${pad(moscow.getUTCHours())}:${pad(moscow.getUTCMinutes())}:${pad(moscow.getUTCSeconds())}`
  );
}
