/**
 * Every reply carries an RFC 3463 enhanced status code, smtp-server's own refusals (538 before
 * STARTTLS, 452 too many recipients, 421 shutting down, 552 for SIZE at MAIL) as much as ours.
 *
 * smtp-server writes those codes itself once `hideENHANCEDSTATUSCODES` is false, choosing them by
 * context (TOO_MANY_RECIPIENTS → 4.5.3, MESSAGE_TOO_BIG → 5.3.4, …). It cannot take one from a hook's
 * error, though: it maps the reply code alone, and "relay denied" (5.7.1) and "bad mailbox" (5.1.1)
 * share 550. Our refusals therefore carry their code in their text (SmtpReplyError), and this wrapper
 * around each connection's `send` tells smtp-server not to add a second one to such a reply; replies it
 * sends without any code (context `false`, e.g. 421 for too many clients) get ours.
 */
import type { SMTPServer } from "smtp-server";

const HAS_ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3}( |$)/;

/** For the refusals smtp-server sends with no code at all (context `false`). */
function fallbackCode(code: number, text: string): string {
  if (code === 421) return /timeout/i.test(text) ? "4.4.2" : "4.7.0";
  return code >= 500 ? "5.0.0" : "4.0.0";
}

type Send = (code: number, data?: string | string[], context?: string | false) => void;
interface Connection {
  send: Send;
}

function withCodes(connection: Connection): void {
  const send = connection.send.bind(connection);
  connection.send = (code, data, context) => {
    if (typeof data === "string" && HAS_ENHANCED_CODE.test(data)) return send(code, data, false);
    if (code >= 400 && context === false && typeof data === "string") {
      return send(code, `${fallbackCode(code, data)} ${data}`, false);
    }
    return send(code, data, context);
  };
}

/**
 * Turns on smtp-server's enhanced status codes for `server` without doubling ours. Connections are
 * wrapped as smtp-server registers them, before it says anything on them (even the 421 for too many
 * clients is sent during registration).
 */
export function useEnhancedStatusCodes(server: SMTPServer): void {
  server.options.hideENHANCEDSTATUSCODES = false;
  type Registered = SMTPServer["connections"] extends Set<infer C> ? C : never;
  class CodedConnections extends Set<Registered> {
    override add(connection: Registered): this {
      withCodes(connection as unknown as Connection);
      return super.add(connection);
    }
  }
  server.connections = new CodedConnections();
}
