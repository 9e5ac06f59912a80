import { createHash } from "node:crypto";
import { OutboxValidationError } from "@smsc-kit/outbox";
import PostalMime from "postal-mime";
import type { AuthenticatedUser } from "./auth.js";
import { type BodyPolicy, extractSmsText } from "./mail-text.js";
import type { OverflowPolicy, RelayLimits, RelayLogger } from "./options.js";
import type { RelayEnqueued, RelayOutboxMessage } from "./outbox-port.js";
import { countParts, cutToTextLimit } from "./protocol.js";
import type { RecipientResolver } from "./recipients.js";
import type { SenderResolver } from "./sender.js";
import { reply } from "./smtp-error.js";

/** What the relay writes into each outbox row's `meta`; it comes back with outbox events (DSN). */
export interface RelayMessageMeta {
  source: "smtp-relay";
  envelopeFrom: string;
  /** Where a bounce notice (DSN) may go: the envelope sender when it is the user's own; absent: nowhere. */
  dsnTo?: string;
  recipients: string[];
  phone: string;
  messageId?: string;
  subject?: string;
  user?: string;
  receivedAt: string;
}

/** One received mail: the exact bytes and the SMTP envelope it came with. */
export interface ReceivedMail {
  raw: Buffer;
  envelopeFrom: string;
  recipients: readonly string[];
  user: AuthenticatedUser | undefined;
  sessionId: string;
}

export interface MailAcceptorDeps {
  limits: Pick<RelayLimits, "maxParts" | "commitTimeoutMs">;
  bodyPolicy: BodyPolicy;
  overflow: OverflowPolicy;
  translit: boolean;
  resolveRecipient: RecipientResolver;
  senders: Pick<SenderResolver, "resolveSender" | "bounceAddress">;
  /** Reserves quota for the mail's SMS; a refusal is thrown as the client's reply. */
  admit(user: AuthenticatedUser | undefined, messages: number, parts: number): { release(): void };
  commit(messages: readonly RelayOutboxMessage[]): Promise<readonly RelayEnqueued[]>;
  logger?: RelayLogger | undefined;
}

// Bounds on what postal-mime will descend into; deeper nesting than this is abuse, not mail.
const MIME_LIMITS = { maxNestingDepth: 32, maxHeadersSize: 64 * 1024, maxRfc822NestingDepth: 2 } as const;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`outbox did not commit within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Turns a received mail into committed outbox rows and the text of the `250` reply, or
 * throws the SmtpReplyError the client should get. Nothing is committed unless every
 * check passed, and the reply is produced only after the commit.
 */
export function createMailAcceptor(deps: MailAcceptorDeps) {
  const { limits, logger } = deps;

  return async function acceptMail(mail: ReceivedMail): Promise<string> {
    let email: Awaited<ReturnType<typeof PostalMime.parse>>;
    try {
      email = await PostalMime.parse(mail.raw, MIME_LIMITS);
    } catch (error) {
      throw reply.contentRefused(`Malformed MIME message: ${(error as Error).message}`);
    }

    const extracted = extractSmsText(email, deps.bodyPolicy);
    if (!extracted.ok) throw extracted.error;
    const text = extracted.text;

    const parts = countParts(text, deps.translit);
    const overBudget = parts > limits.maxParts;
    if (overBudget && deps.overflow === "reject") throw reply.tooManyParts(parts, limits.maxParts);

    const sender = deps.senders.resolveSender(mail.envelopeFrom, mail.user);
    const dsnTo = deps.senders.bounceAddress(mail.envelopeFrom, mail.user);

    // Several addresses can name the same phone (79…@, +79…@, an address book entry): one SMS each phone.
    const byPhone = new Map<string, string[]>();
    for (const address of mail.recipients) {
      const resolved = deps.resolveRecipient(address);
      if (!resolved.ok) continue; // already refused at RCPT time
      byPhone.set(resolved.phone, [...(byPhone.get(resolved.phone) ?? []), address]);
    }

    // A client that retries after a 4xx (or after losing our 250) sends the same bytes
    // again: the key lets the outbox return the rows it already has instead of sending twice.
    // Bytes tell a resend from a new mail only when they carry a Message-ID or a Date (RFC 5322 wants
    // both); a script's bare "Subject: backup failed" sent again tomorrow is a new alert, not a resend,
    // and keying it would answer "Already queued" and send nothing, so such a mail gets no key.
    const identified = email.headers.some((header) => header.key === "message-id" || header.key === "date");
    const mailKey = createHash("sha256")
      .update(mail.user?.username ?? "")
      .update("\0")
      .update(mail.envelopeFrom)
      .update("\0")
      .update(mail.raw)
      .digest("hex");
    const receivedAt = new Date().toISOString();
    const messages: RelayOutboxMessage[] = [...byPhone].map(([phone, recipients]) => {
      const meta: RelayMessageMeta = {
        source: "smtp-relay",
        envelopeFrom: mail.envelopeFrom,
        ...(dsnTo !== undefined ? { dsnTo } : {}),
        recipients,
        phone,
        ...(email.messageId ? { messageId: email.messageId } : {}),
        ...(email.subject ? { subject: email.subject } : {}),
        ...(mail.user ? { user: mail.user.username } : {}),
        receivedAt,
      };
      return {
        phones: phone,
        mes: overBudget ? cutToTextLimit(text) : text,
        ...(sender !== undefined ? { sender } : {}),
        ...(deps.translit ? { translit: 1 } : {}),
        ...(overBudget ? { maxsms: limits.maxParts } : {}),
        meta: { ...meta },
        ...(identified ? { idempotencyKey: `smtp-relay:${mailKey}:${phone}` } : {}),
      };
    });

    const reservation = deps.admit(
      mail.user,
      messages.length,
      messages.length * Math.min(parts, limits.maxParts),
    );
    let rows: readonly RelayEnqueued[];
    try {
      rows = await withTimeout(deps.commit(messages), limits.commitTimeoutMs);
      // A resent mail that found its rows already queued sends nothing new: it costs no quota.
      if (rows.every((row) => !row.created)) reservation.release();
    } catch (error) {
      reservation.release();
      if (error instanceof OutboxValidationError) {
        // Permanent: the same mail would be refused again. Name the field and the rule.
        throw reply.contentRefused(
          `The SMS was refused (field ${error.field}, rule ${error.rule}); nothing was queued`,
        );
      }
      logger?.error(
        { err: (error as Error).message, session: mail.sessionId },
        "outbox could not commit; answered 451",
      );
      throw reply.tryLater("The SMS could not be queued right now, nothing was queued; try again later");
    }

    const ids = rows.map((row) => String(row.rowId)).join(" ");
    const truncated = overBudget ? `, truncated to ${limits.maxParts} parts by configuration` : "";
    logger?.info({ session: mail.sessionId, ids, parts }, "mail accepted");
    // A resent mail finds its rows already there: say so, so nobody counts it twice.
    const verb = rows.every((row) => !row.created) ? "Already queued" : "Queued";
    return `2.0.0 ${verb} ${rows.length} SMS (${parts} part${parts === 1 ? "" : "s"} each${truncated}) as ${ids}`;
  };
}
