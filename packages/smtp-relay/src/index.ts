export type { RelayMessageMeta } from "./accept-mail.js";
export type { AuthenticatedUser } from "./auth.js";
export { buildDsn, type DeadLetterReport, reportFromDeadEvent } from "./dsn.js";
export { type BodyPolicy, DEFAULT_BODY_POLICY, extractSmsText } from "./mail-text.js";
export {
  DEFAULT_LIMITS,
  type OverflowPolicy,
  RelayConfigError,
  type RelayDsnConfig,
  type RelayLimits,
  type RelayLogger,
  type RelayOptions,
  type RelayTlsConfig,
  type RelayUserConfig,
  type UserQuota,
} from "./options.js";
export type { RelayDeadEvent, RelayEnqueued, RelayOutbox, RelayOutboxMessage } from "./outbox-port.js";
export { type RelayHandle, startRelay } from "./relay.js";
export { SmtpReplyError } from "./smtp-error.js";
