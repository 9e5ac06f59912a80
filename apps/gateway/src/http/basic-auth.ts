import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { AuthLimiter } from "./auth-limiter.js";

export interface BasicCredentials {
  username: string;
  password: string;
}

export type AuthOutcome =
  | { kind: "ok" }
  | { kind: "missing" }
  | { kind: "wrong" }
  | { kind: "locked"; retryAfterSeconds: number };

const MAX_LOGGED_USERNAME = 100;

/**
 * Checks a request's Basic credentials through the limiter: a locked client or username is answered
 * without checking the password, and every failure is logged with the username and address (never the
 * password).
 */
export function authenticate(
  req: IncomingMessage,
  expected: BasicCredentials,
  limiter: AuthLimiter,
  logger: Logger,
): AuthOutcome {
  const given = credentialsOf(req);
  if (given === undefined) return { kind: "missing" };
  const address = req.socket.remoteAddress ?? "unknown";
  const username = given.username.slice(0, MAX_LOGGED_USERNAME);
  const keys = [`address:${address}`, `username:${given.username}`];
  const locked = limiter.lockedFor(keys);
  if (locked > 0) {
    const retryAfterSeconds = Math.ceil(locked / 1000);
    // Debug only: a locked-out client may repeat as fast as it likes, and the warning that started the
    // lockout (with lockedForMs) is already in the log.
    logger.debug({ username, address, retryAfterSeconds }, "HTTP Basic authentication refused: locked out");
    return { kind: "locked", retryAfterSeconds };
  }
  if (sameSecret(given.raw, `${expected.username}:${expected.password}`)) {
    limiter.succeed(keys);
    return { kind: "ok" };
  }
  const { failures, lockedForMs } = limiter.fail(keys);
  logger.warn(
    { username, address, failures, ...(lockedForMs > 0 ? { lockedForMs } : {}) },
    "HTTP Basic authentication failed",
  );
  return { kind: "wrong" };
}

function credentialsOf(req: IncomingMessage): { username: string; raw: Buffer } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? "");
  if (!match?.[1]) return undefined;
  const raw = Buffer.from(match[1], "base64");
  const text = raw.toString("utf8");
  const colon = text.indexOf(":");
  return { username: colon === -1 ? text : text.slice(0, colon), raw };
}

/** Digests first, so the comparison is constant-time and does not reveal the length either. */
function sameSecret(given: Buffer, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}
