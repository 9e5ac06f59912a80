import { isPhoneRegion, type PhoneOptions } from "@smsc-kit/core";
import { listen } from "@smsc-kit/runtime";
import {
  SMTPServer,
  type SMTPServerDataStream,
  type SMTPServerOptions,
  type SMTPServerSession,
} from "smtp-server";
import { createMailAcceptor } from "./accept-mail.js";
import { type AuthenticatedUser, createAuthenticator } from "./auth.js";
import { createAuthGuard } from "./auth-guard.js";
import { createAuthHook } from "./auth-hook.js";
import { isLoopbackHost } from "./client-address.js";
import { createDsnNotifier } from "./dsn.js";
import { useEnhancedStatusCodes } from "./enhanced-codes.js";
import { createGroupCommitter } from "./group-commit.js";
import { DEFAULT_BODY_POLICY } from "./mail-text.js";
import { createRelayMetrics } from "./metrics.js";
import { RelayConfigError, type RelayOptions, resolveLimits } from "./options.js";
import { type Admission, createQuotaTracker } from "./quota.js";
import { readMessage } from "./read-message.js";
import { createRecipientResolver } from "./recipients.js";
import { createSenderResolver } from "./sender.js";
import { createSessionGuard } from "./session-guard.js";
import { reply, SmtpReplyError } from "./smtp-error.js";

function phoneOptionsOf(options: RelayOptions): PhoneOptions {
  const region = options.phoneRegion;
  if (region === undefined) return {};
  if (!isPhoneRegion(region)) {
    throw new RelayConfigError(
      "phoneRegion",
      "phone_region",
      `"${region}" is not a region (ISO 3166 alpha-2, e.g. RU)`,
    );
  }
  return { defaultRegion: region };
}

export interface RelayHandle {
  host: string;
  port: number;
  close(): Promise<void>;
}

function sessionUser(session: SMTPServerSession): AuthenticatedUser | undefined {
  return session.user as AuthenticatedUser | undefined;
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
  const limits = resolveLimits(options.limits);
  const logger = options.logger;
  const authenticate = createAuthenticator(options.users);
  const resolveRecipient = createRecipientResolver(
    options.domains,
    options.addressBook,
    phoneOptionsOf(options),
  );
  const senders = createSenderResolver({
    users: options.users,
    ...(options.senders ? { senders: options.senders } : {}),
    ...(options.defaultSender !== undefined ? { defaultSender: options.defaultSender } : {}),
  });
  const name = options.name ?? "smsc-kit-relay";
  if (options.dsn && !options.outbox.on) {
    throw new RelayConfigError("dsn", "outbox_events", 'DSNs need an outbox that emits "dead" events');
  }
  const now = options.now ?? Date.now;
  const quota = createQuotaTracker({ relayWide: options.quota, perUser: options.users, now });
  const metrics = createRelayMetrics(options.metrics, quota);
  const authOptional = options.authOptional ?? false;
  function quotaRefused(user: string, refusal: Extract<Admission, { ok: false }>): SmtpReplyError {
    const kind = refusal.permanent ? "permanent" : "transient";
    metrics.quotaRefusals.inc({ user, limit: refusal.limit, kind });
    logger?.warn({ user, limit: refusal.limit, kind }, "mail refused: quota");
    return refusal.error;
  }

  const acceptMail = createMailAcceptor({
    limits,
    bodyPolicy: { ...DEFAULT_BODY_POLICY, ...options.body },
    overflow: options.overflow ?? "reject",
    translit: options.translit ?? false,
    resolveRecipient,
    senders,
    admit(user, messages, parts) {
      const admission = quota.admit(user?.username ?? "", messages, parts);
      if (admission.ok) return admission;
      throw quotaRefused(user?.username ?? "", admission);
    },
    commit: createGroupCommitter(options.outbox, limits.maxBatchMessages),
    logger,
  });

  /** The distinct phones of the recipients accepted so far in this mail transaction. */
  function mailPhones(session: SMTPServerSession): Set<string> {
    const phones = new Set<string>();
    for (const rcpt of session.envelope.rcptTo) {
      const resolved = resolveRecipient(rcpt.address);
      if (resolved.ok) phones.add(resolved.phone);
    }
    return phones;
  }

  async function onMessage(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<string> {
    const read = await readMessage(stream);
    if (!read.ok) {
      if (read.reason === "too-big") throw reply.tooBig(limits.maxMessageBytes);
      throw reply.tryLater("The message was not received completely; nothing was queued");
    }
    return acceptMail({
      raw: read.raw,
      envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
      recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      user: sessionUser(session),
      sessionId: session.id,
    });
  }

  const host = options.host ?? "127.0.0.1";
  const serverOptions: SMTPServerOptions = {
    name,
    banner: "smsc-kit e-mail to SMS relay",
    authMethods: ["PLAIN", "LOGIN"],
    authOptional,
    authRequiredMessage: "5.7.0 Authentication required",
    size: limits.maxMessageBytes,
    maxClients: limits.maxClients,
    maxAllowedUnauthenticatedCommands: limits.maxUnauthenticatedCommands,
    socketTimeout: limits.idleTimeoutMs,
    closeTimeout: limits.closeTimeoutMs,
    maxRecipients: limits.maxRecipients,
    disableReverseLookup: true,
    logger: false,
    onConnect(session, callback) {
      sessionGuard.onConnect(session, callback);
    },
    onClose(session) {
      sessionGuard.onClose(session);
      authHook.onClose(session);
    },
    onAuth(auth, session, callback) {
      guarded(session, callback, () => authHook.onAuth(auth, session, callback), logger);
    },
    onMailFrom(address, session, callback) {
      guarded(
        session,
        callback,
        () => {
          const refused = senders.refuseEnvelopeSender(address.address, sessionUser(session));
          if (refused) logger?.warn({ user: sessionUser(session)?.username, session: session.id }, refused);
          callback(refused ? reply.senderRefused(refused) : null);
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
          if (!resolved.ok) return callback(resolved.error);
          // A user out of quota learns it before sending the body, recipient by recipient: the phones
          // this mail already has count, so the ones past the quota are deferred and the rest go now.
          const user = sessionUser(session)?.username ?? "";
          const phones = mailPhones(session);
          phones.add(resolved.phone);
          const exhausted = quota.exhausted(user, phones.size);
          callback(exhausted ? quotaRefused(user, exhausted) : null);
        },
        logger,
      );
    },
    onData(stream, session, callback) {
      onMessage(stream, session).then(
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
    if (
      !isLoopbackHost(host) &&
      Object.keys(options.users).length > 0 &&
      options.allowInsecureAuth !== true
    ) {
      throw new RelayConfigError(
        "allowInsecureAuth",
        "tls_beyond_loopback",
        `AUTH on ${host} without tls would carry passwords in clear text: configure tls, listen on loopback, or set allowInsecureAuth: true to accept that knowingly`,
      );
    }
    // Without a certificate smtp-server would offer STARTTLS with its bundled self-signed
    // one; better to not offer TLS at all than to offer a fake.
    serverOptions.disabledCommands = ["STARTTLS"];
    serverOptions.allowInsecureAuth = true;
  }

  const server = new SMTPServer(serverOptions);
  useEnhancedStatusCodes(server);
  const sessionGuard = createSessionGuard(server, limits, {
    authOptional,
    logger,
    onClosed: (reason) => metrics.connectionsClosed.inc({ reason }),
  });
  const authHook = createAuthHook({
    authenticate,
    guard: createAuthGuard(limits, now),
    limits,
    metrics,
    onAuthenticated: (session) => sessionGuard.authenticated(session),
    logger,
  });
  server.on("error", (error) => logger?.error({ err: error.message }, "smtp server error"));
  const { port } = await listen(server.server, { port: options.port, host });

  // Subscribed only once the relay is up, so a failed start leaves no listener behind.
  const { on, off } = options.outbox;
  const dsn =
    options.dsn && on
      ? createDsnNotifier(
          options.dsn,
          { on: on.bind(options.outbox), ...(off ? { off: off.bind(options.outbox) } : {}) },
          name,
          logger,
        )
      : undefined;

  return {
    host,
    port,
    async close() {
      dsn?.stop();
      sessionGuard.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dsn?.drain();
    },
  };
}
