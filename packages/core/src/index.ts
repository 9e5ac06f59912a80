// @smsc-kit/core public API (docs/contracts.md §2).

export {
  type CallbackFields,
  type CallbackSignatureOptions,
  type CallbackSignatureVerdict,
  callbackSignature,
  callbackSignatureField,
  type VerifyCallbackSignatureOptions,
  verifyCallbackSignature,
} from "./callback-signature.js";
export {
  type Credentials,
  createSmscClient,
  DEFAULT_CONNECTIONS,
  type SmscClient,
  type SmscClientOptions,
} from "./client.js";
export {
  SmscApiError,
  SmscError,
  SmscSoapFaultError,
  SmscTransportError,
  SmscValidationError,
  type ValidationIssue,
} from "./errors.js";
export * from "./generated/index.js";
export {
  formatList,
  type ListEntry,
  type ListLine,
  type ListOptionContext,
  parseListOption,
} from "./list-option.js";
export type { LogFn, Logger } from "./logger.js";
export { activeKinds, type MessageKindInfo, messageKindOf } from "./message-kinds.js";
export { formatSmscDate, MOSCOW_UTC_OFFSET_HOURS, parseSmscDate } from "./moscow-time.js";
export {
  DEFAULT_PHONE_REGION,
  isPhoneRegion,
  isPossiblePhone,
  type PhoneOptions,
  parsePhones,
  phoneIdentity,
  type Recipient,
  type RecipientKind,
  recipientKey,
} from "./phones.js";
export {
  canTransition,
  chooseOperation,
  classifyError,
  type ErrorCatalogEntry,
  errorCodeFor,
  isFinalStatus,
  parameterErrorCode,
  type StatusCatalogEntry,
  statusInfo,
} from "./protocol.js";
export { decodeQuery, encodeQuery, type QueryValue } from "./query.js";
export type { SmscRequest } from "./requests.js";
export {
  decodeResult,
  MalformedResultError,
  type RawResult,
  type ResultExtra,
  type ResultExtras,
} from "./results.js";
export { type BackoffPolicy, backoffDelay, type RetryPolicy } from "./retry.js";
export { type SegmentCount, type SegmentOptions, segments } from "./segments.js";
export {
  parseSendTime,
  resolveSendTime,
  resolveSendWindow,
  type SendTimeContext,
  type SendWindow,
} from "./send-time.js";
export {
  buildEnvelope,
  buildFaultEnvelope,
  buildResponseEnvelope,
  EnvelopeParseError,
  type ParsedEnvelope,
  parseEnvelope,
  type WireRecord,
  type WireValue,
} from "./soap/envelope.js";
export type { StatusApplyResult, StatusSink, StatusUpdate } from "./status-sink.js";
export { type ValidateOptions, type ValidationResult, validateRequest } from "./validate.js";
export { parseValidity } from "./validity.js";
