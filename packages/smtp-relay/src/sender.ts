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

interface UserSenders {
  sender?: string;
  byFrom: Map<string, string>;
  /** allowedFrom addresses (lower case) and "@domain" entries; undefined: MAIL FROM is not restricted. */
  allowedFrom?: Set<string>;
}

function matchesAllowed(from: string, allowed: ReadonlySet<string>): boolean {
  const at = from.lastIndexOf("@");
  return allowed.has(from) || (at > 0 && allowed.has(from.slice(at)));
}

/**
 * Decides the SMS sender name for a mail and which envelope senders a user may use.
 *
 * The sender name, most specific first: the user's own mapping of the envelope sender, the user's
 * sender, the relay-wide mapping of the envelope sender, the relay default. An authenticated user gets a
 * relay-wide name only for an address that is theirs (a key of their `senders` or in `allowedFrom`):
 * MAIL FROM is whatever the client claims, so it must not let one user borrow another's name. For the
 * same reason bounce notices (DSN) go only to such an address. Every configured name is checked
 * against SMSC's sender rules at start-up: a bad name is a configuration error, never a message that
 * fails later at SMSC.
 */
export function createSenderResolver(options: {
  users: Record<string, { sender?: string; senders?: Record<string, string>; allowedFrom?: string[] }>;
  senders?: Record<string, string>;
  defaultSender?: string;
}) {
  const perUser = new Map<string, UserSenders>();
  for (const [name, user] of Object.entries(options.users)) {
    if (user.sender !== undefined) assertValidSender(`users.${name}.sender`, user.sender);
    perUser.set(name, {
      ...(user.sender !== undefined ? { sender: user.sender } : {}),
      byFrom: fromMap(`users.${name}.senders`, user.senders),
      ...(user.allowedFrom ? { allowedFrom: new Set(user.allowedFrom.map((a) => a.toLowerCase())) } : {}),
    });
  }
  const relayWide = fromMap("senders", options.senders);
  if (options.defaultSender !== undefined) assertValidSender("defaultSender", options.defaultSender);

  /** Is `from` an address of this user's (a key of their `senders` or allowed by `allowedFrom`)? */
  function owns(own: UserSenders | undefined, from: string): boolean {
    if (!own || from === "") return false;
    return own.byFrom.has(from) || (own.allowedFrom !== undefined && matchesAllowed(from, own.allowedFrom));
  }

  return {
    resolveSender(envelopeFrom: string, user: AuthenticatedUser | undefined): string | undefined {
      const from = envelopeFrom.toLowerCase();
      const own = user ? perUser.get(user.username) : undefined;
      const shared = !user || owns(own, from) ? relayWide.get(from) : undefined;
      return own?.byFrom.get(from) ?? own?.sender ?? shared ?? options.defaultSender;
    },

    /** A refusal for a MAIL FROM this user may not use (only when their `allowedFrom` is configured). */
    refuseEnvelopeSender(envelopeFrom: string, user: AuthenticatedUser | undefined): string | undefined {
      const own = user ? perUser.get(user.username) : undefined;
      if (!own?.allowedFrom) return undefined;
      const from = envelopeFrom.toLowerCase();
      // The null sender (bounces) is always allowed: it asks for no DSN and names no sender.
      if (from === "" || owns(own, from)) return undefined;
      return `Sender <${envelopeFrom}> is not allowed for user ${user?.username}`;
    },

    /** Where bounce notices for this mail may go: the envelope sender if it is the user's, else nowhere. */
    bounceAddress(envelopeFrom: string, user: AuthenticatedUser | undefined): string | undefined {
      if (envelopeFrom === "") return undefined;
      if (!user) return envelopeFrom; // authOptional: a trusted network, by configuration
      return owns(perUser.get(user.username), envelopeFrom.toLowerCase()) ? envelopeFrom : undefined;
    },
  };
}

export type SenderResolver = ReturnType<typeof createSenderResolver>;
