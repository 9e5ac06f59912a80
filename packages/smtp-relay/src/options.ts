import type { PhoneOptions } from "@smsc-kit/core";
import type { SMTPTransportOptions } from "nodemailer/lib/smtp-transport";
import type { Registry } from "prom-client";
import type { BodyPolicy } from "./mail-text.js";
import type { RelayOutbox } from "./outbox-port.js";

export interface RelayUserConfig {
  /** Compared in constant time; never logged or echoed. */
  password: string;
  /** SMS sender name used for this user's mail (must satisfy SMSC's sender rules). */
  sender?: string;
  /** This user's envelope sender address (case-insensitive) → SMS sender name; wins over `sender`. */
  senders?: Record<string, string>;
  /**
   * Envelope sender addresses (MAIL FROM, case-insensitive) this user may use, besides the keys of
   * `senders`; "@example.com" allows a whole domain. When any is configured, other addresses are
   * refused at MAIL FROM. Only an allowed address gets bounce notices (DSN) or a relay-wide sender name.
   */
  allowedFrom?: string[];
  /** This user's quota; each limit set here replaces the relay-wide `quota`'s. */
  quota?: UserQuota;
}

/** Per-user sending limits over rolling windows; unset means unlimited. */
export interface UserQuota {
  /** SMS (one per recipient phone) per 60 s. */
  messagesPerMinute?: number;
  /** SMS per 60 min. */
  messagesPerHour?: number;
  /** SMS parts (what SMSC bills) per 24 h. */
  partsPerDay?: number;
}

export interface RelayTlsConfig {
  key: string | Buffer;
  cert: string | Buffer;
  /** true: TLS from the first byte (port 465 style); false (default): STARTTLS, required before AUTH. */
  implicit?: boolean;
}

export interface RelayLimits {
  /** Concurrent connections; more are refused with 421. */
  maxClients: number;
  /** Commands an unauthenticated client may send before it is disconnected. */
  maxUnauthenticatedCommands: number;
  /** Idle time before a session is closed. */
  idleTimeoutMs: number;
  /** Message size enforced while DATA arrives (and advertised as SIZE). */
  maxMessageBytes: number;
  /** Recipients per mail transaction. */
  maxRecipients: number;
  /** SMS parts the text may need (segment budget, counted by core's `segments`). */
  maxParts: number;
  /** How long the outbox may take to commit before the client is told 451. */
  commitTimeoutMs: number;
  /** On close(), how long open sessions may finish before they are cut. */
  closeTimeoutMs: number;
  /** Most SMS rows committed in one outbox transaction when concurrent mails are grouped. */
  maxBatchMessages: number;
  /** Connections from one client address; more are refused with 421 4.7.0. */
  maxClientsPerAddress: number;
  /**
   * Connections not (yet) authenticated; a newcomer beyond this closes the oldest of them, so the rest of
   * `maxClients` stays free for authenticated sessions. Default three quarters of `maxClients`.
   */
  maxUnauthenticatedClients: number;
  /** Time from connecting to a successful AUTH; then the session is closed (421 4.7.0). */
  authTimeoutMs: number;
  /** Failed AUTH attempts in one connection before it is closed. */
  maxAuthFailuresPerConnection: number;
  /** Failed AUTH attempts from one address within `authFailureWindowMs` before it is locked out. */
  maxAuthFailuresPerAddress: number;
  /** Failed AUTH attempts against one username within `authFailureWindowMs` before it is locked out. */
  maxAuthFailuresPerUser: number;
  authFailureWindowMs: number;
  /** First lockout (454 4.7.0); each further one doubles, up to 16 times this. */
  authLockoutMs: number;
  /** Delay before a 535 answer; doubles with each recent failure, up to 5 s. */
  authFailureDelayMs: number;
  /**
   * Client addresses, and usernames, whose AUTH failures are remembered (each); a full table forgets keys
   * still within their free failures first, so junk failures cannot push a locked username out.
   */
  authTrackedKeys: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  maxClients: 256,
  maxUnauthenticatedCommands: 10,
  idleTimeoutMs: 60_000,
  maxMessageBytes: 256 * 1024,
  maxRecipients: 50,
  maxParts: 6,
  commitTimeoutMs: 15_000,
  closeTimeoutMs: 10_000,
  maxBatchMessages: 500,
  maxClientsPerAddress: 16,
  maxUnauthenticatedClients: 192,
  authTimeoutMs: 15_000,
  maxAuthFailuresPerConnection: 3,
  maxAuthFailuresPerAddress: 10,
  maxAuthFailuresPerUser: 5,
  authFailureWindowMs: 15 * 60_000,
  authLockoutMs: 15 * 60_000,
  authFailureDelayMs: 250,
  authTrackedKeys: 10_000,
};

/** The defaults overlaid with the caller's limits; each must be a positive integer. */
export function resolveLimits(overrides: Partial<RelayLimits> = {}): RelayLimits {
  const limits: RelayLimits = { ...DEFAULT_LIMITS, ...overrides };
  if (overrides.maxUnauthenticatedClients === undefined) {
    limits.maxUnauthenticatedClients = Math.max(1, Math.floor((limits.maxClients * 3) / 4));
  }
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RelayConfigError(
        `limits.${key}`,
        "positive_integer",
        `must be a positive integer, got ${value}`,
      );
    }
  }
  return limits;
}

/** What to do with text over `limits.maxParts`. */
export type OverflowPolicy = "reject" | "truncate";

export interface RelayDsnConfig {
  /** nodemailer SMTP transport options for the smarthost (host, port, auth, tls, …). */
  transport: SMTPTransportOptions;
  /** Envelope and From address of the notifications, e.g. "mailer-daemon@sms.example.com". */
  from: string;
  /** Name this relay reports as Reporting-MTA. Defaults to the relay's `name`. */
  reportingMta?: string;
}

export interface RelayLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface RelayOptions {
  host?: string;
  /** 0 picks a free port; the chosen one is returned by `startRelay`. */
  port?: number;
  /** Server name in the greeting and in DSNs. */
  name?: string;
  users: Record<string, RelayUserConfig>;
  /** Accept mail without AUTH (only for trusted networks). Default false. */
  authOptional?: boolean;
  /**
   * Allow AUTH without TLS. Without a certificate, AUTH is in clear text anyway: that is accepted on a
   * loopback address, and beyond loopback only when this says so (else start-up fails, rule
   * `tls_beyond_loopback`), since passwords would cross the network readable by anyone on the path.
   */
  allowInsecureAuth?: boolean;
  tls?: RelayTlsConfig;
  /** Domains whose recipients are phone numbers, e.g. ["sms.example.com"]. */
  domains: string[];
  /** Local part (case-insensitive) → phone number, e.g. { "duty": "79991234567" }. */
  addressBook?: Record<string, string>;
  /**
   * Region of numbers written in national form (`89991234567@…`), ISO 3166 code. Default core's
   * DEFAULT_PHONE_REGION ("RU", SMSC's home). Recipients naming one subscriber become one SMS.
   */
  phoneRegion?: PhoneOptions["defaultRegion"] | (string & {});
  /**
   * Relay-wide envelope sender address (case-insensitive) → SMS sender name, for users
   * without a sender of their own and for unauthenticated mail (`authOptional`).
   */
  senders?: Record<string, string>;
  /** Sender name when neither the From mapping nor the user names one. */
  defaultSender?: string;
  outbox: RelayOutbox;
  limits?: Partial<RelayLimits>;
  body?: Partial<BodyPolicy>;
  overflow?: OverflowPolicy;
  /** Transliterate Cyrillic (SMSC `translit=1`); changes the segment count. */
  translit?: boolean;
  dsn?: RelayDsnConfig;
  logger?: RelayLogger;
  /** Quota of every user (and of unauthenticated mail); a user's own `quota` replaces limits one by one. */
  quota?: UserQuota;
  /** prom-client registry the relay's metrics (AUTH failures, lockouts, refused connections, quotas) go to. */
  metrics?: Registry;
  /** Clock for AUTH lockouts and quota windows (ms since the epoch); tests move it. Default Date.now. */
  now?: () => number;
}

/** A configuration mistake found at start-up; names the option and the rule it breaks. */
export class RelayConfigError extends Error {
  readonly field: string;
  readonly rule: string;
  constructor(field: string, rule: string, detail: string) {
    super(`Invalid relay option ${field}: ${detail}`);
    this.name = "RelayConfigError";
    this.field = field;
    this.rule = rule;
  }
}
