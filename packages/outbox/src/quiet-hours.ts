import { OutboxValidationError } from "./errors.js";

/** A daily window in the recipient's time zone during which a message must not be sent (e.g. 22:00–08:00). */
export interface QuietHours {
  /** "HH:MM", start of the quiet window. */
  start: string;
  /** "HH:MM", end of the quiet window (may be earlier than start: the window then spans midnight). */
  end: string;
  /** IANA time zone of the recipient, e.g. "Europe/Moscow". */
  timeZone: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutes(value: string, field: string, index?: number): number {
  const m = HHMM.exec(value);
  if (!m) throw new OutboxValidationError(field, "hh:mm", `${field} must be "HH:MM" (00:00–23:59)`, index);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function checkQuietHours(q: unknown, index?: number): QuietHours {
  if (typeof q !== "object" || q === null) {
    throw new OutboxValidationError(
      "quietHours",
      "object",
      "quietHours must be { start, end, timeZone }",
      index,
    );
  }
  const { start, end, timeZone } = q as Record<string, unknown>;
  if (typeof start !== "string")
    throw new OutboxValidationError("quietHours.start", "hh:mm", 'quietHours.start must be "HH:MM"', index);
  if (typeof end !== "string")
    throw new OutboxValidationError("quietHours.end", "hh:mm", 'quietHours.end must be "HH:MM"', index);
  minutes(start, "quietHours.start", index);
  minutes(end, "quietHours.end", index);
  if (typeof timeZone !== "string") {
    throw new OutboxValidationError(
      "quietHours.timeZone",
      "iana",
      "quietHours.timeZone must be an IANA time zone",
      index,
    );
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
  } catch {
    throw new OutboxValidationError(
      "quietHours.timeZone",
      "iana",
      `unknown time zone ${JSON.stringify(timeZone)}`,
      index,
    );
  }
  return { start, end, timeZone };
}

function localMinuteOfDay(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const hour = Number(parts.find((p) => p.type === "hour")?.value);
  const minute = Number(parts.find((p) => p.type === "minute")?.value);
  return hour * 60 + minute;
}

/**
 * When the message may go out: `at` itself outside the window, otherwise the end of the window.
 * Works in whole minutes of local wall-clock time; on a DST change day the end may shift by the DST offset.
 */
export function nextAllowedTime(q: QuietHours, at: number): number {
  const start = minutes(q.start, "quietHours.start");
  const end = minutes(q.end, "quietHours.end");
  if (start === end) return at;
  const now = localMinuteOfDay(at, q.timeZone);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return at;
  const wait = (end - now + 1440) % 1440;
  const startOfMinute = at - (at % 60_000);
  return startOfMinute + wait * 60_000;
}
