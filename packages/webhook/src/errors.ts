/** Errors the receiver turns into HTTP answers. None of them ever carries the callback secret. */

/** A callback that cannot be accepted as sent: answered 4xx, nothing is stored. */
export class WebhookInputError extends Error {
  override readonly name = "WebhookInputError";
  constructor(
    /** The offending field (or `body` / `method` / `content-type` for whole-request problems). */
    readonly field: string,
    /** The rule it broke, in words a human can act on. */
    readonly rule: string,
    /** The HTTP status the receiver answers with. */
    readonly httpStatus: 400 | 405 | 408 | 413 | 415 = 400,
  ) {
    super(`${field}: ${rule}`);
  }
}

/** The signature was missing or did not match: answered 403, nothing is stored. */
export class WebhookSignatureError extends Error {
  override readonly name = "WebhookSignatureError";
  readonly httpStatus = 403;
  constructor(readonly reason: "missing" | "mismatch") {
    super(reason === "missing" ? "signature missing" : "signature mismatch");
  }
}

/** The durable store (or the status sink) could not take the callback: answered 503 so SMSC retries. */
export class WebhookStoreError extends Error {
  override readonly name = "WebhookStoreError";
  readonly httpStatus = 503;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The receiver cannot start as configured (e.g. listening beyond loopback without a secret). */
export class WebhookConfigError extends Error {
  override readonly name = "WebhookConfigError";
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}
