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

function fromMap(field: string, senders: Record<string, string> = {}): Map<string, string> {
  const byFrom = new Map<string, string>();
  for (const [from, sender] of Object.entries(senders)) {
    assertValidSender(`${field}.${from}`, sender);
    byFrom.set(from.toLowerCase(), sender);
  }
  return byFrom;
}

/**
 * Decides the SMS sender name for a mail, most specific first: the user's own mapping of
 * the envelope sender, the user's sender, the relay-wide mapping of the envelope sender,
 * the relay default. The relay-wide mapping therefore never lets one user borrow a name
 * while another user has a fixed one. Every configured name is checked against SMSC's
 * sender rules at start-up: a bad name is a configuration error, never a message that
 * fails later at SMSC.
 */
export function createSenderResolver(options: {
  users: Record<string, { sender?: string; senders?: Record<string, string> }>;
  senders?: Record<string, string>;
  defaultSender?: string;
}) {
  const perUser = new Map<string, { sender?: string; byFrom: Map<string, string> }>();
  for (const [name, user] of Object.entries(options.users)) {
    if (user.sender !== undefined) assertValidSender(`users.${name}.sender`, user.sender);
    perUser.set(name, {
      ...(user.sender !== undefined ? { sender: user.sender } : {}),
      byFrom: fromMap(`users.${name}.senders`, user.senders),
    });
  }
  const relayWide = fromMap("senders", options.senders);
  if (options.defaultSender !== undefined) assertValidSender("defaultSender", options.defaultSender);

  return function resolveSender(
    envelopeFrom: string,
    user: AuthenticatedUser | undefined,
  ): string | undefined {
    const from = envelopeFrom.toLowerCase();
    const own = user ? perUser.get(user.username) : undefined;
    return own?.byFrom.get(from) ?? own?.sender ?? relayWide.get(from) ?? options.defaultSender;
  };
}
