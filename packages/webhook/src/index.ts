export type { HlrInfo, IncomingSms, SmscCallback, StatusCallback } from "./callback.js";
export { parseCallback } from "./callback.js";
export {
  WebhookConfigError,
  WebhookInputError,
  WebhookSignatureError,
  WebhookStoreError,
} from "./errors.js";
export type { FetchHandler } from "./fetch-handler.js";
export { decodeForm } from "./form.js";
export { createWebhookHandler, type WebhookHandler, type WebhookHandlerOptions } from "./handler.js";
export { isLoopbackHost } from "./loopback.js";
export type { NodeHandler } from "./node-handler.js";
export type { IncomingEvent, StatusEvent } from "./receiver.js";
export { startWebhookServer, type WebhookServer, type WebhookServerOptions } from "./server.js";
export { createSignatureVerifier, type SignatureAlgorithm, type SignatureOptions } from "./signature.js";
export { applyCallback, type MessageState } from "./state-machine.js";
export { openPgWebhookStore, type PgWebhookStoreOptions } from "./store/pg.js";
export { openSqliteWebhookStore, type SqliteWebhookStoreOptions } from "./store/sqlite.js";
export type {
  IncomingRecordResult,
  StatusRecordResult,
  StoredIncomingSms,
  StoredStatusEvent,
  WebhookStore,
  WebhookStoreStats,
} from "./store/types.js";
