/**
 * The typed errors of the client. Every one is built from already-redacted parts: none ever holds
 * `psw`/`apikey`, a request body or an original network error object (see redact.ts).
 */
import type { ErrorClass, SmscMethod } from "./generated/index.js";

export abstract class SmscError extends Error {
  abstract readonly kind: "api" | "transport" | "validation";

  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (key === "cause") continue;
      json[key] = value;
    }
    if (this.cause instanceof Error) json["cause"] = { name: this.cause.name, message: this.cause.message };
    return json;
  }
}

/** SMSC answered, with an in-band `error` code in the `*result` element. */
export class SmscApiError extends SmscError {
  override readonly name = "SmscApiError";
  readonly kind = "api" as const;
  readonly method: SmscMethod;
  readonly code: number;
  /** The catalog's text for this code. */
  readonly text: string;
  readonly errorClass: ErrorClass;
  readonly messageId: string | undefined;

  constructor(init: {
    method: SmscMethod;
    code: number;
    text: string;
    errorClass: ErrorClass;
    messageId?: string | undefined;
  }) {
    super(`SMSC ${init.method} error ${init.code} (${init.errorClass}): ${init.text}`);
    this.method = init.method;
    this.code = init.code;
    this.text = init.text;
    this.errorClass = init.errorClass;
    this.messageId = init.messageId;
  }
}

/**
 * The request failed below SMSC's API. `outcome` says whether SMSC may have received it:
 * `unknown` (timeout or reset after the request was written, or any HTTP answer) or `not_sent`
 * (connection refused, DNS, TLS or connect timeout: nothing reached SMSC).
 */
export class SmscTransportError extends SmscError {
  override readonly name: string = "SmscTransportError";
  readonly kind = "transport" as const;
  readonly outcome: "unknown" | "not_sent";
  readonly status: number | undefined;
  readonly url: string;
  readonly code: string | undefined;

  constructor(init: {
    message: string;
    outcome: "unknown" | "not_sent";
    url: string;
    status?: number | undefined;
    code?: string | undefined;
    cause?: Error | undefined;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.outcome = init.outcome;
    this.url = init.url;
    this.status = init.status;
    this.code = init.code;
  }
}

/**
 * The server answered with a SOAP Fault instead of a `*result`. SMSC reports its own errors in-band,
 * so a fault means the SOAP layer itself failed; it is a transport-level failure with an HTTP answer,
 * hence `outcome: "unknown"` (the server got the request).
 */
export class SmscSoapFaultError extends SmscTransportError {
  override readonly name = "SmscSoapFaultError";
  readonly faultCode: string;
  readonly faultString: string;

  constructor(init: { faultCode: string; faultString: string; url: string; status?: number | undefined }) {
    super({
      message: `SOAP Fault ${init.faultCode}: ${init.faultString}`,
      outcome: "unknown",
      url: init.url,
      status: init.status,
      code: "SOAP_FAULT",
    });
    this.faultCode = init.faultCode;
    this.faultString = init.faultString;
  }
}

export interface ValidationIssue {
  field: string;
  rule: string;
  message: string;
  smscError: number;
}

/** A request was refused before anything was sent. */
export class SmscValidationError extends SmscError {
  override readonly name = "SmscValidationError";
  readonly kind = "validation" as const;
  readonly field: string;
  readonly rule: string;
  /** The error code SMSC itself would answer for this mistake. */
  readonly smscError: number;
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly [ValidationIssue, ...ValidationIssue[]]) {
    const first = issues[0];
    super(`invalid ${first.field}: ${first.message} (rule: ${first.rule}; SMSC error ${first.smscError})`);
    this.field = first.field;
    this.rule = first.rule;
    this.smscError = first.smscError;
    this.issues = issues;
  }
}
