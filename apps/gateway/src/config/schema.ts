import { CALLBACK_SIGNATURE, RATE_RULES } from "@smsc-kit/core";
import { isLoopbackHost } from "@smsc-kit/webhook";
import { z } from "zod";

/**
 * The gateway's YAML configuration. Every object is strict: a misspelt key is an error, not a silently
 * ignored setting, because a typo in `psw` or `port` would otherwise start a gateway that does the wrong thing.
 */

const port = z.number().int().min(0).max(65535);

/** SMSC answers error 9 past this many simultaneous requests under one login (catalog rule send-concurrency). */
const MAX_CONCURRENT_REQUESTS = (() => {
  const limit = RATE_RULES.find((r) => r.id === "send-concurrency")?.limit;
  if (typeof limit !== "number") throw new Error("catalog rule send-concurrency has no limit");
  return limit;
})();
const host = z.string().min(1);
/** What a Host header names: a DNS name or IPv4 address, or an IPv6 one in brackets, and a port. */
const HOST_NAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

const smscSchema = z
  .strictObject({
    baseUrl: z.url().default("https://smsc.ru"),
    login: z.string().min(1).optional(),
    psw: z.string().min(1).optional(),
    apikey: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().default(15_000),
  })
  .refine(
    (s) => s.apikey !== undefined || (s.login !== undefined && s.psw !== undefined) || noCredentials(s),
    {
      message: "give both login and psw, or apikey",
    },
  );

function noCredentials(s: { login?: string | undefined; psw?: string | undefined }): boolean {
  // Credentials may come later from the environment (SMSC_LOGIN/SMSC_PSW/SMSC_APIKEY); half a pair never may.
  return s.login === undefined && s.psw === undefined;
}

const storeSchema = z
  .strictObject({
    /** SQLite file (the default). */
    sqlite: z.string().min(1).optional(),
    /** PostgreSQL connection string; several gateways may share one database. */
    postgres: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string")
      .optional(),
    /** PostgreSQL schema (ignored for SQLite). */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, "must be a lower-case SQL identifier")
      .default("smsc_gateway"),
  })
  .refine((s) => !(s.sqlite !== undefined && s.postgres !== undefined), {
    message: "choose one store: sqlite or postgres, not both",
  });

/** Envelope sender address → SMS sender name; the names are checked by the relay against SMSC's rules. */
const sendersSchema = z.record(z.string().min(1), z.string().min(1));

const positiveInteger = z.number().int("must be a positive integer").positive("must be a positive integer");

/** Per-user sending limits over rolling windows (the relay's `UserQuota`); unset means unlimited. */
const smtpQuotaSchema = z.strictObject({
  messagesPerMinute: positiveInteger.optional(),
  messagesPerHour: positiveInteger.optional(),
  partsPerDay: positiveInteger.optional(),
});

const smtpUserSchema = z.strictObject({
  username: z.string().min(1),
  password: z.string().min(1),
  /** Sender name used for this user's SMS (validated by the relay against SMSC's sender rules). */
  sender: z.string().min(1).optional(),
  /** This user's From address → sender name; wins over `sender`. */
  senders: sendersSchema.optional(),
  /** MAIL FROM addresses (or "@domain") this user may use; only these get bounces or relay-wide sender names. */
  allowedFrom: z.array(z.string().min(1)).optional(),
  /** This user's quota; each limit replaces `smtp.quota`'s. */
  quota: smtpQuotaSchema.optional(),
});

/** The relay's `limits` (same names); unset ones keep the relay's defaults. */
const smtpLimitsSchema = z.strictObject({
  maxClients: positiveInteger.optional(),
  maxUnauthenticatedCommands: positiveInteger.optional(),
  idleTimeoutMs: positiveInteger.optional(),
  maxMessageBytes: positiveInteger.optional(),
  maxRecipients: positiveInteger.optional(),
  maxParts: positiveInteger.optional(),
  commitTimeoutMs: positiveInteger.optional(),
  closeTimeoutMs: positiveInteger.optional(),
  maxBatchMessages: positiveInteger.optional(),
  maxClientsPerAddress: positiveInteger.optional(),
  maxUnauthenticatedClients: positiveInteger.optional(),
  authTimeoutMs: positiveInteger.optional(),
  maxAuthFailuresPerConnection: positiveInteger.optional(),
  maxAuthFailuresPerAddress: positiveInteger.optional(),
  maxAuthFailuresPerUser: positiveInteger.optional(),
  authFailureWindowMs: positiveInteger.optional(),
  authLockoutMs: positiveInteger.optional(),
  authFailureDelayMs: positiveInteger.optional(),
  authTrackedKeys: positiveInteger.optional(),
});

/** The relay's `body` policy (same names); unset ones keep the relay's defaults. */
const smtpBodySchema = z.strictObject({
  subject: z.enum(["ignore", "prepend"]).optional(),
  stripSignature: z.boolean().optional(),
  stripQuotedReplies: z.boolean().optional(),
  attachments: z.enum(["ignore", "refuse"]).optional(),
  maxHtmlChars: positiveInteger.optional(),
});

/** The smarthost that carries delivery status notifications (bounces) back to the mail's sender. */
const smtpDsnSchema = z.strictObject({
  transport: z.strictObject({
    host,
    port: port.default(25),
    /** true: TLS from the first byte (port 465); false: STARTTLS when the smarthost offers it. */
    secure: z.boolean().default(false),
    auth: z.strictObject({ user: z.string().min(1), pass: z.string().min(1) }).optional(),
  }),
  /** Envelope and From address of the notices, e.g. mailer-daemon@sms.example.com. */
  from: z.email("must be an e-mail address"),
  /** Name reported as Reporting-MTA; the relay's server name by default. */
  reportingMta: z.string().min(1).optional(),
});

const smtpTlsSchema = z.strictObject({
  /** PEM files, read at start-up. */
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
  /** true: TLS from the first byte (port 465 style); false: STARTTLS, required before AUTH. */
  implicit: z.boolean().default(false),
});

/** Two entries with one username would silently become one (the later password wins): refuse the config. */
function refuseDuplicateUsernames(users: readonly { username: string }[], ctx: z.RefinementCtx): void {
  const firstAt = new Map<string, number>();
  users.forEach(({ username }, index) => {
    const first = firstAt.get(username);
    if (first === undefined) firstAt.set(username, index);
    else
      ctx.addIssue({
        code: "custom",
        path: [index, "username"],
        message: `duplicates smtp.users.${first}.username`,
      });
  });
}

const smtpSchema = z.strictObject({
  enabled: z.boolean().default(true),
  host: host.default("127.0.0.1"),
  port: port.default(2525),
  domains: z.array(z.string().min(1)).min(1).default(["sms.local"]),
  users: z.array(smtpUserSchema).superRefine(refuseDuplicateUsernames).default([]),
  /** Local part → phone, e.g. `duty: "79991234567"` makes duty@<domain> a recipient. */
  addressBook: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** Region (ISO 3166, e.g. RU) of numbers written in national form (89991234567@…); the relay's default is RU. */
  phoneRegion: z.string().min(1).optional(),
  /** Sender name when neither the user nor a From mapping names one. */
  defaultSender: z.string().min(1).optional(),
  /** Transliterate Cyrillic (SMSC `translit=1`); fewer characters per SMS part are lost to UCS-2. */
  translit: z.boolean().default(false),
  tls: smtpTlsSchema.optional(),
  /**
   * Without `tls`, AUTH sends passwords in clear text: the relay refuses to listen beyond loopback like
   * that unless this says so in words.
   */
  allowInsecureAuth: z.boolean().default(false),
  /** Relay-wide From address → sender name: for unauthenticated mail, and for users whose allowedFrom has the address. */
  senders: sendersSchema.optional(),
  limits: smtpLimitsSchema.optional(),
  /** Quota of every user (messagesPerMinute, messagesPerHour, partsPerDay); users may set their own. */
  quota: smtpQuotaSchema.optional(),
  body: smtpBodySchema.optional(),
  /** Text over `limits.maxParts`: refuse the mail ("reject", the relay's default) or cut it ("truncate"). */
  overflow: z.enum(["reject", "truncate"]).optional(),
  dsn: smtpDsnSchema.optional(),
});

const webhookSchema = z.strictObject({
  enabled: z.boolean().default(true),
  path: z.string().startsWith("/", "must start with /").default("/smsc/callback"),
  secret: z.string().min(1).optional(),
  /**
   * Without a secret, forged callbacks are accepted (a forged final status wins): the gateway refuses to
   * serve the webhook beyond loopback without one unless this says so in words.
   */
  allowUnsigned: z.boolean().default(false),
  /** The signature digests trusted (default: every one the catalog lists); e.g. `[sha1]` to refuse md5. */
  algorithms: z.array(z.enum(CALLBACK_SIGNATURE.algorithms)).min(1).optional(),
  /** The URL SMSC should call back (what the world sees); defaults to the HTTP listener's own URL. */
  publicUrl: z.url().optional(),
});

const httpSchema = z
  .strictObject({
    host: host.default("127.0.0.1"),
    port: port.default(8080),
    /**
     * HTTP Basic credentials for the status page (with its redrive action) and /metrics. /healthz, /readyz and
     * the webhook stay open: probes and SMSC must reach them (the webhook has its own signature).
     */
    auth: z
      .strictObject({ username: z.string().min(1), password: z.string().min(8, "at least 8 characters") })
      .optional(),
    /**
     * Serve the status page, redrive and /metrics without `auth` on an address beyond loopback. Off by
     * default: the Host allow-list is no access control (a network client sends `Host: localhost`).
     */
    allowUnauthenticated: z.boolean().default(false),
    /**
     * Host names the status page, /metrics and redrive answer to, besides the listen address, localhost names
     * and the webhook's public URL (DNS rebinding defence): e.g. [gateway.internal.example]. Host names only.
     */
    allowedHosts: z
      .array(
        z
          .string()
          .regex(
            HOST_NAME,
            "a host name or address as in a Host header (gw.example.com, 192.0.2.10, [2001:db8::1], an optional :port): no scheme, path, user or wildcard",
          ),
      )
      .default([]),
    /** Time a client gets to send a request's headers (ms). */
    headersTimeoutMs: positiveInteger.default(10_000),
    /** Time a client gets to send a whole request, body included (ms); at least headersTimeoutMs. */
    requestTimeoutMs: positiveInteger.default(30_000),
  })
  .refine((h) => h.requestTimeoutMs >= h.headersTimeoutMs, {
    message: "requestTimeoutMs must be at least headersTimeoutMs",
    path: ["requestTimeoutMs"],
  })
  .refine((h) => h.auth !== undefined || h.allowUnauthenticated || isLoopbackHost(h.host), {
    message:
      "is required when listening beyond loopback (the status page shows phone numbers and can redrive): set http.auth, or http.allowUnauthenticated: true to serve it to the network knowingly",
    path: ["auth"],
  });

const outboxSchema = z.strictObject({
  enabled: z.boolean().default(true),
  concurrency: z
    .number()
    .int()
    .min(1)
    .max(
      MAX_CONCURRENT_REQUESTS,
      `SMSC answers error 9 to ${MAX_CONCURRENT_REQUESTS + 1} or more simultaneous requests under one login`,
    )
    .default(4),
  /** Many messages per send request (the outbox's `coalesce`); false sends each message alone. */
  coalesce: z.boolean().default(true),
});

const logSchema = z.strictObject({
  level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export const gatewayConfigSchema = z.strictObject({
  smsc: smscSchema.default(() => smscSchema.parse({})),
  store: storeSchema.default(() => storeSchema.parse({})),
  smtp: smtpSchema.default(() => smtpSchema.parse({})),
  webhook: webhookSchema.default(() => webhookSchema.parse({})),
  http: httpSchema.default(() => httpSchema.parse({})),
  outbox: outboxSchema.default(() => outboxSchema.parse({})),
  log: logSchema.default(() => logSchema.parse({})),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
