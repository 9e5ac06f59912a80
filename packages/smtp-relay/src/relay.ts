import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { OutboxValidationError } from "@smsc-kit/outbox";
import PostalMime from "postal-mime";
import {
  SMTPServer,
  type SMTPServerDataStream,
  type SMTPServerOptions,
  type SMTPServerSession,
} from "smtp-server";
import { type AuthenticatedUser, createAuthenticator } from "./auth.js";
import { createDsnNotifier } from "./dsn.js";
import { createGroupCommitter } from "./group-commit.js";
import { DEFAULT_BODY_POLICY, extractSmsText } from "./mail-text.js";
import { DEFAULT_LIMITS, RelayConfigError, type RelayLimits, type RelayOptions } from "./options.js";
import type { RelayEnqueued, RelayOutboxMessage } from "./outbox-port.js";
import { countParts } from "./protocol.js";
import { readMessage } from "./read-message.js";
import { createRecipientResolver } from "./recipients.js";
import { createSenderResolver } from "./sender.js";
import { reply, SmtpReplyError } from "./smtp-error.js";

export interface RelayHandle {
  host: string;
  port: number;
  close(): Promise<void>;
}

/** What the relay writes into each outbox row's `meta`; it comes back with outbox events (DSN). */
export interface RelayMessageMeta {
  source: "smtp-relay";
  envelopeFrom: string;
  recipients: string[];
  phone: string;
  messageId?: string;
  subject?: string;
  user?: string;
  receivedAt: string;
}

// Bounds on what postal-mime will descend into; deeper nesting than this is abuse, not mail.
const MIME_LIMITS = { maxNestingDepth: 32, maxHeadersSize: 64 * 1024, maxRfc822NestingDepth: 2 } as const;

function sessionUser(session: SMTPServerSession): AuthenticatedUser | undefined {
  return session.user as AuthenticatedUser | undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`outbox did not commit within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs a hook body so that a bug in it becomes a 451 for this client, logged, instead
 * of an exception that takes the whole server process down.
 */
function guarded(
  session: SMTPServerSession,
  callback: (error: Error | null) => void,
  body: () => void,
  logger?: RelayOptions["logger"],
): void {
  try {
    body();
  } catch (error) {
    logger?.error({ err: (error as Error).message, session: session.id }, "relay hook failed");
    callback(reply.tryLater("Temporary local failure; try again later"));
  }
}

/**
 * Starts the e-mail → SMS relay. Every answer means something: RCPT is checked on the
 * spot, `250` is sent only after the outbox committed the rows (their ids are in the
 * reply), transient trouble is `4xx`, a permanent refusal `5xx`.
 */
export async function startRelay(options: RelayOptions): Promise<RelayHandle> {
  const limits: RelayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const bodyPolicy = { ...DEFAULT_BODY_POLICY, ...options.body };
  const overflow = options.overflow ?? "reject";
  const translit = options.translit ?? false;
  const logger = options.logger;
  const authenticate = createAuthenticator(options.users);
  const commit = createGroupCommitter(options.outbox, limits.maxBatchMessages);
  const resolveRecipient = createRecipientResolver(options.domains, options.addressBook);
  const resolveSender = createSenderResolver({
    users: options.users,
    ...(options.senders ? { senders: options.senders } : {}),
    ...(options.defaultSender !== undefined ? { defaultSender: options.defaultSender } : {}),
  });
  const name = options.name ?? "smsc-kit-relay";
  let dsn: ReturnType<typeof createDsnNotifier> | undefined;
  if (options.dsn) {
    const { on, off } = options.outbox;
    if (!on)
      throw new RelayConfigError("dsn", "outbox_events", 'DSNs need an outbox that emits "dead" events');
    dsn = createDsnNotifier(
      options.dsn,
      { on: on.bind(options.outbox), ...(off ? { off: off.bind(options.outbox) } : {}) },
      name,
      logger,
    );
  }

  async function acceptMessage(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const read = await readMessage(stream);
    if (!read.ok) {
      if (read.reason === "too-big") throw reply.tooBig(limits.maxMessageBytes);
      throw reply.tryLater("The message was not received completely; nothing was queued");
    }

    let email: Awaited<ReturnType<typeof PostalMime.parse>>;
    try {
      email = await PostalMime.parse(read.raw, MIME_LIMITS);
    } catch (error) {
      throw reply.contentRefused(`Malformed MIME message: ${(error as Error).message}`);
    }

    const extracted = extractSmsText(email, bodyPolicy);
    if (!extracted.ok) throw extracted.error;
    const text = extracted.text;

    const parts = countParts(text, translit);
    if (parts > limits.maxParts && overflow === "reject") throw reply.tooManyParts(parts, limits.maxParts);

    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
    const user = sessionUser(session);
    const sender = resolveSender(envelopeFrom, user);

    // Several addresses can name the same phone (79…@, +79…@, an address book entry): one SMS each phone.
    const byPhone = new Map<string, string[]>();
    for (const rcpt of session.envelope.rcptTo) {
      const resolved = resolveRecipient(rcpt.address);
      if (!resolved.ok) continue; // already refused at RCPT time
      byPhone.set(resolved.phone, [...(byPhone.get(resolved.phone) ?? []), rcpt.address]);
    }

    // A client that retries after a 4xx (or after losing our 250) sends the same bytes
    // again: the key lets the outbox return the rows it already has instead of sending twice.
    const mailKey = createHash("sha256")
      .update(user?.username ?? "")
      .update("\0")
      .update(envelopeFrom)
      .update("\0")
      .update(read.raw)
      .digest("hex");
    const receivedAt = new Date().toISOString();
    const messages: RelayOutboxMessage[] = [...byPhone].map(([phone, recipients]) => {
      const meta: RelayMessageMeta = {
        source: "smtp-relay",
        envelopeFrom,
        recipients,
        phone,
        ...(email.messageId ? { messageId: email.messageId } : {}),
        ...(email.subject ? { subject: email.subject } : {}),
        ...(user ? { user: user.username } : {}),
        receivedAt,
      };
      return {
        phones: phone,
        mes: text,
        ...(sender !== undefined ? { sender } : {}),
        ...(translit ? { translit: 1 } : {}),
        ...(parts > limits.maxParts ? { maxsms: limits.maxParts } : {}),
        meta: { ...meta },
        idempotencyKey: `smtp-relay:${mailKey}:${phone}`,
      };
    });

    let rows: readonly RelayEnqueued[];
    try {
      rows = await withTimeout(commit(messages), limits.commitTimeoutMs);
    } catch (error) {
      if (error instanceof OutboxValidationError) {
        // Permanent: the same mail would be refused again. Name the field and the rule.
        throw reply.contentRefused(
          `The SMS was refused (field ${error.field}, rule ${error.rule}); nothing was queued`,
        );
      }
      logger?.error(
        { err: (error as Error).message, session: session.id },
        "outbox could not commit; answered 451",
      );
      throw reply.tryLater("The SMS could not be queued right now, nothing was queued; try again later");
    }
    const ids = rows.map((row) => String(row.rowId)).join(" ");
    const truncated =
      parts > limits.maxParts ? `, truncated to ${limits.maxParts} parts by configuration` : "";
    logger?.info({ session: session.id, ids, parts }, "mail accepted");
    return `2.0.0 Queued ${rows.length} SMS (${parts} part${parts === 1 ? "" : "s"} each${truncated}) as ${ids}`;
  }

  const serverOptions: SMTPServerOptions = {
    name,
    banner: "smsc-kit e-mail to SMS relay",
    authMethods: ["PLAIN", "LOGIN"],
    authOptional: options.authOptional ?? false,
    authRequiredMessage: "5.7.0 Authentication required",
    size: limits.maxMessageBytes,
    maxClients: limits.maxClients,
    maxAllowedUnauthenticatedCommands: limits.maxUnauthenticatedCommands,
    socketTimeout: limits.idleTimeoutMs,
    closeTimeout: limits.closeTimeoutMs,
    maxRecipients: limits.maxRecipients,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, session, callback) {
      if (auth.method !== "PLAIN" && auth.method !== "LOGIN") {
        callback(new SmtpReplyError(504, "5.5.4", "Unsupported authentication mechanism"));
        return;
      }
      guarded(
        session,
        callback,
        () => {
          const user = authenticate(auth.username ?? "", auth.password ?? "");
          if (!user) {
            logger?.warn({ session: session.id, remote: session.remoteAddress }, "authentication failed");
            callback(new SmtpReplyError(535, "5.7.8", "Authentication credentials invalid"));
            return;
          }
          callback(null, { user });
        },
        logger,
      );
    },
    onRcptTo(address, session, callback) {
      guarded(
        session,
        callback,
        () => {
          const resolved = resolveRecipient(address.address);
          callback(resolved.ok ? null : resolved.error);
        },
        logger,
      );
    },
    onData(stream, session, callback) {
      acceptMessage(stream, session).then(
        (message) => callback(null, message),
        (error: unknown) => {
          if (error instanceof SmtpReplyError) return callback(error);
          logger?.error({ err: (error as Error).message, session: session.id }, "unexpected relay failure");
          callback(reply.tryLater("Temporary local failure, nothing was queued; try again later"));
        },
      );
    },
  };
  if (options.tls) {
    serverOptions.key = options.tls.key;
    serverOptions.cert = options.tls.cert;
    serverOptions.secure = options.tls.implicit ?? false;
    serverOptions.allowInsecureAuth = options.allowInsecureAuth ?? false;
  } else {
    // Without a certificate smtp-server would offer STARTTLS with its bundled self-signed
    // one; better to not offer TLS at all than to offer a fake.
    serverOptions.disabledCommands = ["STARTTLS"];
    serverOptions.allowInsecureAuth = true;
  }

  const server = new SMTPServer(serverOptions);
  server.on("error", (error) => logger?.error({ err: error.message }, "smtp server error"));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    async close() {
      dsn?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dsn?.drain();
    },
  };
}
