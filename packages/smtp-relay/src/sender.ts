import type { AuthenticatedUser } from "./auth.js";
import { RelayConfigError } from "./options.js";
import { checkSender } from "./protocol.js";

function assertValidSender(field: string, sender: string): void {
  const checked = checkSender(sender);
  if (!checked.ok) {
    throw new RelayConfigError(
      field,
      checked.rule,
      `sender name "${sender}" breaks SMSC's sender rules (${checked.message})`,
    );
  }
}

/**
 * Decides the SMS sender name for a mail: the envelope-sender mapping first, then the
 * user's own sender, then the relay default. Every configured name is checked against
 * SMSC's sender rules at start-up, so a bad name is a configuration error, never a
 * message that fails later at SMSC.
 */
export function createSenderResolver(options: {
  users: Record<string, { sender?: string }>;
  senders?: Record<string, string>;
  defaultSender?: string;
}) {
  for (const [name, user] of Object.entries(options.users)) {
    if (user.sender !== undefined) assertValidSender(`users.${name}.sender`, user.sender);
  }
  const byFrom = new Map<string, string>();
  for (const [from, sender] of Object.entries(options.senders ?? {})) {
    assertValidSender(`senders.${from}`, sender);
    byFrom.set(from.toLowerCase(), sender);
  }
  if (options.defaultSender !== undefined) assertValidSender("defaultSender", options.defaultSender);

  return function resolveSender(
    envelopeFrom: string,
    user: AuthenticatedUser | undefined,
  ): string | undefined {
    return byFrom.get(envelopeFrom.toLowerCase()) ?? user?.sender ?? options.defaultSender;
  };
}
