/**
 * Keeps slow and idle clients from holding every slot (slowloris). smtp-server's idle timeout restarts
 * with every byte, so a client trickling one byte every few seconds never times out; and its
 * `maxClients` counts everyone alike. Here:
 * - one client address may hold at most `maxClientsPerAddress` connections;
 * - a session must authenticate within `authTimeoutMs` of connecting, however busy it keeps the line;
 * - unauthenticated sessions may fill only `maxUnauthenticatedClients` slots: a newcomer past that
 *   closes the oldest of them, so a real client always gets its turn and authenticated sessions keep
 *   the rest of `maxClients`.
 * With `authOptional` (a trusted network) unauthenticated sessions are legitimate: only the per-address
 * cap applies.
 */
import type { SMTPServer, SMTPServerSession } from "smtp-server";
import { clientKey } from "./client-address.js";
import type { RelayLimits, RelayLogger } from "./options.js";
import { SmtpReplyError } from "./smtp-error.js";

interface OpenSession {
  /** What the per-address cap counts (client-address.ts: an IPv6 client is its /64). */
  address: string;
  remote: string;
  authenticated: boolean;
  deadline?: NodeJS.Timeout;
}

type Limits = Pick<RelayLimits, "maxClientsPerAddress" | "maxUnauthenticatedClients" | "authTimeoutMs">;

export function createSessionGuard(
  server: SMTPServer,
  limits: Limits,
  options: {
    authOptional: boolean;
    logger?: RelayLogger | undefined;
    onClosed?: (reason: "per_address" | "unauthenticated_pool" | "auth_deadline") => void;
  },
) {
  const open = new Map<string, OpenSession>(); // insertion order: oldest first
  const perAddress = new Map<string, number>();
  let unauthenticated = 0;

  /** Says 421 on the session's connection, which closes it (smtp-server closes after any 421). */
  function closeSession(id: string, detail: string): void {
    for (const connection of server.connections as Set<{
      id: string;
      send(code: number, text: string): void;
    }>) {
      if (connection.id === id) {
        connection.send(421, `4.7.0 ${detail}`);
        return;
      }
    }
  }

  function forget(id: string): void {
    const entry = open.get(id);
    if (!entry) return;
    open.delete(id);
    clearTimeout(entry.deadline);
    if (!entry.authenticated) unauthenticated -= 1;
    const left = (perAddress.get(entry.address) ?? 1) - 1;
    if (left > 0) perAddress.set(entry.address, left);
    else perAddress.delete(entry.address);
  }

  function evictOldestUnauthenticated(): void {
    for (const [id, entry] of open) {
      if (entry.authenticated) continue;
      forget(id);
      options.onClosed?.("unauthenticated_pool");
      options.logger?.warn(
        { session: id, remote: entry.remote },
        "unauthenticated session closed for a newcomer",
      );
      closeSession(id, "Too many unauthenticated connections; closing the oldest");
      return;
    }
  }

  return {
    onConnect(session: SMTPServerSession, callback: (error?: Error | null) => void): void {
      const remote = session.remoteAddress;
      const address = clientKey(remote);
      if ((perAddress.get(address) ?? 0) >= limits.maxClientsPerAddress) {
        options.onClosed?.("per_address");
        options.logger?.warn({ remote }, "connection refused: too many from this address");
        callback(new SmtpReplyError(421, "4.7.0", "Too many connections from your address; try again later"));
        return;
      }
      if (!options.authOptional && unauthenticated >= limits.maxUnauthenticatedClients) {
        evictOldestUnauthenticated();
      }
      const entry: OpenSession = { address, remote, authenticated: false };
      if (!options.authOptional) {
        entry.deadline = setTimeout(() => {
          forget(session.id);
          options.onClosed?.("auth_deadline");
          closeSession(session.id, "Authentication took too long; closing connection");
        }, limits.authTimeoutMs);
        entry.deadline.unref();
      }
      open.set(session.id, entry);
      unauthenticated += 1;
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
      callback();
    },

    /** The session authenticated: its deadline is off and it no longer counts as unauthenticated. */
    authenticated(session: SMTPServerSession): void {
      const entry = open.get(session.id);
      if (!entry || entry.authenticated) return;
      entry.authenticated = true;
      unauthenticated -= 1;
      clearTimeout(entry.deadline);
    },

    onClose(session: SMTPServerSession): void {
      forget(session.id);
    },

    stop(): void {
      for (const entry of open.values()) clearTimeout(entry.deadline);
    },
  };
}
