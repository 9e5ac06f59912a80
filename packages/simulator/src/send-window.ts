import { parseSendTime } from "./protocol.js";

/**
 * When an `h1-h2` send window opens (smsc-soap-api-page, `time` format 2): before h1 → today at h1;
 * inside [h1, h2) → now; otherwise → h1 the next day. Hours are wall-clock hours in the zone
 * UTC+`utcOffsetHours`. (Written here because core's parseSendTime returns the window unresolved.)
 */
export function resolveSendWindow(
  window: { fromHour: number; toHour: number; utcOffsetHours: number },
  now: number,
): number {
  const offsetMs = window.utcOffsetHours * 3_600_000;
  const local = new Date(now + offsetMs);
  const hour = local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600;
  const startOfDay = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - offsetMs;
  const opensToday = startOfDay + window.fromHour * 3_600_000;
  if (hour < window.fromHour) return opensToday;
  if (hour < window.toHour) return now;
  return opensToday + 24 * 3_600_000;
}

/** When a message with this `time` (and `tz`) leaves the waiting state; throws on a bad `time`. */
export function resolveSendTime(time: string | undefined, tz: string | undefined, now: number): number {
  if (time === undefined || time === "") return now;
  const parsed = parseSendTime(time, { tz, now: new Date(now) });
  return parsed instanceof Date ? parsed.getTime() : resolveSendWindow(parsed.window, now);
}
