/** Errors the outbox itself raises; SMSC's own errors stay core's typed errors. */

export class OutboxError extends Error {
  override readonly name: string = "OutboxError";
}

/** A message or option was refused at enqueue: nothing was written. `index` is the position in a batch. */
export class OutboxValidationError extends OutboxError {
  override readonly name = "OutboxValidationError";
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
    readonly index?: number,
    readonly smscError?: number,
    options?: { cause?: unknown },
  ) {
    super(index === undefined ? message : `message[${index}]: ${message}`, options);
  }
}

/** Bad configuration passed to a store or to createOutbox. */
export class OutboxConfigError extends OutboxError {
  override readonly name = "OutboxConfigError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
