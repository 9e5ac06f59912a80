/**
 * smtp-server's onAuth for the relay: credentials are checked by `auth.ts`, guessing is held back by
 * `auth-guard.ts`, and this file puts them in order. A locked-out address or username gets 454 4.7.0
 * before its password is looked at; a wrong password gets 535 5.7.8 after a growing delay; after
 * `maxAuthFailuresPerConnection` failures the connection is closed (421 4.7.0). Every refusal is logged
 * with the username and client address, never the password.
 */
import type {
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerSession,
} from "smtp-server";
import type { AuthenticatedUser } from "./auth.js";
import type { AuthGuard } from "./auth-guard.js";
import { clientKey } from "./client-address.js";
import type { RelayMetrics } from "./metrics.js";
import type { RelayLimits, RelayLogger } from "./options.js";
import { SmtpReplyError } from "./smtp-error.js";

type Callback = (error: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void;

export function createAuthHook(deps: {
  authenticate(username: string, password: string): AuthenticatedUser | null;
  guard: AuthGuard;
  limits: Pick<RelayLimits, "maxAuthFailuresPerConnection">;
  metrics: RelayMetrics;
  onAuthenticated(session: SMTPServerSession): void;
  logger?: RelayLogger | undefined;
}) {
  const failuresBySession = new Map<string, number>();

  return {
    onAuth(auth: SMTPServerAuthentication, session: SMTPServerSession, callback: Callback): void {
      if (auth.method !== "PLAIN" && auth.method !== "LOGIN") {
        callback(new SmtpReplyError(504, "5.5.4", "Unsupported authentication mechanism"));
        return;
      }
      const username = auth.username ?? "";
      const remote = session.remoteAddress;
      // Failures and lockouts count per client (an IPv6 client is its /64, client-address.ts).
      const client = clientKey(remote);
      const lock = deps.guard.check(client, username);
      if (lock.locked) {
        deps.metrics.authFailures.inc({ reason: "locked" });
        deps.logger?.warn(
          { username, remote, lockedBy: lock.by, retryAfterMs: lock.retryAfterMs, session: session.id },
          "authentication refused: locked out after repeated failures",
        );
        callback(
          new SmtpReplyError(454, "4.7.0", "Too many failed authentication attempts; try again later"),
        );
        return;
      }
      const user = deps.authenticate(username, auth.password ?? "");
      if (user) {
        deps.guard.succeeded(username);
        failuresBySession.delete(session.id);
        deps.onAuthenticated(session);
        callback(null, { user });
        return;
      }
      const failures = (failuresBySession.get(session.id) ?? 0) + 1;
      failuresBySession.set(session.id, failures);
      const { delayMs, lock: after } = deps.guard.failed(client, username);
      deps.metrics.authFailures.inc({ reason: "credentials" });
      deps.logger?.warn(
        { username, remote, failures, lockedOut: after.locked, session: session.id },
        "authentication failed",
      );
      const closing = failures >= deps.limits.maxAuthFailuresPerConnection;
      if (closing) deps.metrics.connectionsClosed.inc({ reason: "auth_failures" });
      const answer = closing
        ? new SmtpReplyError(421, "4.7.0", "Too many failed authentication attempts; closing connection")
        : new SmtpReplyError(535, "5.7.8", "Authentication credentials invalid");
      setTimeout(() => callback(answer), delayMs).unref();
    },

    onClose(session: SMTPServerSession): void {
      failuresBySession.delete(session.id);
    },
  };
}
