/**
 * createSmscClient: the typed SOAP client. One keep-alive connection pool per host; requests are
 * validated with the generated schemas before anything is sent; `send` is tried exactly once, the
 * read-only methods are retried with backoff and fail over to the backup host.
 */

import type { Dispatcher } from "undici";
import { interpretAnswer, type PreparedCall } from "./client-answer.js";
import {
  checkCredentials,
  DEFAULT_BASE_URL,
  DEFAULT_CONNECTIONS,
  DEFAULT_TIMEOUT_MS,
  defaultFallbacks,
  originOf,
} from "./client-options.js";
import { SmscApiError, SmscError, SmscSoapFaultError, SmscTransportError } from "./errors.js";
import {
  bindMethods,
  type MethodCaller,
  type MethodRequestMap,
  type MethodResultMap,
  SMSC_METHODS,
  type SmscMethod,
  type SmscMethods,
  SOAP_PATH,
} from "./generated/index.js";

export { DEFAULT_BASE_URL, DEFAULT_CONNECTIONS, defaultFallbacks } from "./client-options.js";

import type { Logger } from "./logger.js";
import { chooseOperation } from "./protocol.js";
import { encodeQuery } from "./query.js";
import { createRedactor, type Redactor, redactedCause } from "./redact.js";
import { toWireFields } from "./requests.js";
import { decodeResult, MalformedResultError, type RawResult } from "./results.js";
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy, sleep } from "./retry.js";
import { buildEnvelope } from "./soap/envelope.js";
import { errorCode, HttpClient, networkOutcome } from "./soap/http.js";
import { validateRequest } from "./validate.js";

export type Credentials = { login: string; psw: string } | { apikey: string };

export interface SmscClientOptions {
  /** Default `https://smsc.ru`. Any origin (scheme, host, port); the SOAP path is SMSC's own. */
  baseUrl?: string;
  /** Hosts tried after `baseUrl` by the retried methods. Default: the `www2.` host of `baseUrl`. */
  fallbackUrls?: string[];
  /** Per-request limit for connecting and for each wait on the answer. Default 15 000 ms. */
  timeoutMs?: number;
  /** Retry of `cost`, `status`, `balance` (never `send`). Default 3 attempts, 200 ms base, 2 s cap. */
  retry?: RetryPolicy;
  logger?: Logger;
  /**
   * Keep-alive connections per host. Default: the simultaneous requests SMSC allows one login (the catalog's
   * `send-concurrency` rule, 14), so a 15th request in flight waits in the pool rather than being refused.
   */
  connections?: number;
  /**
   * An undici dispatcher to send through instead of the client's own keep-alive pools (a ProxyAgent
   * behind a corporate proxy, for instance). The caller owns it: `close()` leaves it open.
   */
  dispatcher?: Dispatcher;
}

/**
 * One typed method per method of the spec (generated SmscMethods: `send`, `cost`, `status`, `balance`, …)
 * plus `call(method, request)` under them. Methods the catalog marks idempotent are retried with backoff
 * and fail over to the backup host; the others (`send`) are tried exactly once.
 */
export interface SmscClient extends SmscMethods {
  call: MethodCaller;
  close(): Promise<void>;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof SmscSoapFaultError) return !/client$/i.test(error.faultCode);
  if (error instanceof SmscTransportError) {
    if (error.status === undefined) return true;
    return error.status >= 500 || error.status === 408 || error.status === 429;
  }
  if (error instanceof SmscApiError) return error.errorClass === "retryable";
  return false;
}

class SoapSmscClient {
  readonly #auth: { login: string; psw: string; apikey?: string };
  readonly #redactor: Redactor;
  readonly #http: HttpClient;
  readonly #origins: string[];
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #logger: Logger | undefined;

  constructor(credentials: Credentials, options: SmscClientOptions) {
    this.#auth = checkCredentials(credentials);
    this.#redactor = createRedactor([this.#auth.psw, this.#auth.apikey ?? ""]);
    const primary = originOf(options.baseUrl ?? DEFAULT_BASE_URL, "baseUrl");
    const fallbacks = (options.fallbackUrls ?? defaultFallbacks(primary)).map((url, index) =>
      originOf(url, `fallbackUrls[${index}]`),
    );
    this.#origins = [primary, ...fallbacks];
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.#timeoutMs > 0)) throw new TypeError("createSmscClient: timeoutMs must be a positive number");
    this.#retry = options.retry ?? DEFAULT_RETRY;
    if (!(Number.isInteger(this.#retry.attempts) && this.#retry.attempts >= 1)) {
      throw new TypeError("createSmscClient: retry.attempts must be an integer ≥ 1");
    }
    this.#logger = options.logger;
    const connections = options.connections ?? DEFAULT_CONNECTIONS;
    if (!(Number.isInteger(connections) && connections >= 1)) {
      throw new TypeError("createSmscClient: connections must be an integer ≥ 1");
    }
    this.#http = new HttpClient({
      connections,
      connectTimeoutMs: this.#timeoutMs,
      dispatcher: options.dispatcher,
    });
  }

  call<M extends SmscMethod>(method: M, request?: MethodRequestMap[M]): Promise<MethodResultMap[M]> {
    let prepared: PreparedCall;
    try {
      prepared = this.#prepare(method, request ?? {});
    } catch (error) {
      return Promise.reject(error);
    }
    // A method tried once is one async frame in all (send is the hot path): its attempt decodes the answer.
    const decoded = SMSC_METHODS[method].idempotent
      ? this.#retriedDecoded(method, prepared)
      : this.#once(method, prepared, this.#origins[0] as string, 0, true);
    return decoded as Promise<MethodResultMap[M]>;
  }

  async #retriedDecoded(method: SmscMethod, call: PreparedCall): Promise<unknown> {
    // Decoded after the retries: an answer that does not decode is not retried.
    return this.#decode(method, await this.#retried(method, call), call);
  }

  #decode(method: SmscMethod, raw: RawResult, call: PreparedCall): unknown {
    try {
      return decodeResult(method, raw, call.element);
    } catch (error) {
      throw this.#malformed(error);
    }
  }

  async close(): Promise<void> {
    await this.#http.close();
  }

  /** Validate (throws SmscValidationError, nothing sent) and split into elements and `query`. */
  #prepare(method: SmscMethod, request: object): PreparedCall {
    const wire = toWireFields(request);
    const checked = validateRequest(method, wire);
    if (!checked.ok) throw checked.error;
    const { operation, element, query } = chooseOperation(method, wire);
    if (operation.hasQuery && this.#auth.apikey !== undefined) query["apikey"] = this.#auth.apikey;
    element["login"] = this.#auth.login;
    element["psw"] = this.#auth.psw;
    return {
      operation: operation.name,
      element,
      query: operation.hasQuery ? encodeQuery(query) : undefined,
    };
  }

  /** A decoding failure as the caller sees it: a malformed answer is a transport error (outcome unknown). */
  #malformed(error: unknown): unknown {
    if (!(error instanceof MalformedResultError)) return error;
    return new SmscTransportError({
      message: `unexpected response: ${error.message}`,
      outcome: "unknown",
      url: this.#origins[0] ?? "",
      code: "BAD_RESPONSE",
    });
  }

  /** Attempts with backoff, each on the next host in turn (the primary, then the fallbacks). */
  async #retried(method: SmscMethod, call: PreparedCall): Promise<RawResult> {
    const attempts = this.#retry.attempts;
    for (let attempt = 0; ; attempt++) {
      const origin = this.#origins[attempt % this.#origins.length] as string;
      try {
        return await this.#once(method, call, origin, attempt);
      } catch (error) {
        if (attempt + 1 >= attempts || !isRetryable(error)) throw error;
        const delay = backoffDelay(attempt, this.#retry);
        this.#logger?.warn?.(
          {
            method,
            operation: call.operation,
            host: new URL(origin).host,
            attempt,
            retryInMs: delay,
            ...describe(error),
          },
          "smsc call failed, retrying",
        );
        await sleep(delay);
      }
    }
  }

  /** Per origin: the namespace (= the endpoint URL) and the request headers, made once. */
  readonly #endpoints = new Map<string, { url: string; headers: Readonly<Record<string, string>> }>();

  #endpoint(origin: string): { url: string; headers: Readonly<Record<string, string>> } {
    let endpoint = this.#endpoints.get(origin);
    if (endpoint === undefined) {
      const url = `${origin}${SOAP_PATH}`;
      endpoint = { url, headers: { "content-type": "text/xml; charset=utf-8", soapaction: `"${url}"` } };
      this.#endpoints.set(origin, endpoint);
    }
    return endpoint;
  }

  #once(method: SmscMethod, call: PreparedCall, origin: string, attempt: number): Promise<RawResult>;
  #once(
    method: SmscMethod,
    call: PreparedCall,
    origin: string,
    attempt: number,
    decode: true,
  ): Promise<unknown>;
  async #once(
    method: SmscMethod,
    call: PreparedCall,
    origin: string,
    attempt: number,
    decode = false,
  ): Promise<unknown> {
    // SMSC's namespace and soapAction are the endpoint's own URL (namespace policy follows-host).
    const { url, headers } = this.#endpoint(origin);
    const fields = call.query === undefined ? call.element : { ...call.element, query: call.query };
    const envelope = buildEnvelope(call.operation, fields, url);
    const started = this.#logger === undefined ? 0 : performance.now();
    let response: { status: number; body: string };
    try {
      const answer = await this.#http.send({
        origin,
        path: SOAP_PATH,
        headers,
        body: envelope,
        timeoutMs: this.#timeoutMs,
      });
      response = { status: answer.statusCode, body: await answer.body.text() };
    } catch (error) {
      const outcome = networkOutcome(error);
      const cause = redactedCause(error, this.#redactor);
      throw new SmscTransportError({
        message: `${method}: request to ${url} failed (${errorCode(error) ?? "network error"}); outcome ${outcome}`,
        outcome,
        url,
        code: errorCode(error),
        cause,
      });
    }
    const raw = interpretAnswer(method, call, response, url, this.#redactor);
    this.#logger?.debug?.(
      {
        method,
        operation: call.operation,
        host: new URL(origin).host,
        attempt,
        ms: Math.round(performance.now() - started),
      },
      "smsc call",
    );
    return decode ? this.#decode(method, raw, call) : raw;
  }
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof SmscApiError)
    return { error: error.name, code: error.code, errorClass: error.errorClass };
  if (error instanceof SmscTransportError) {
    return { error: error.name, code: error.code, status: error.status, outcome: error.outcome };
  }
  if (error instanceof SmscError) return { error: error.name };
  return { error: "unexpected" };
}

export function createSmscClient(credentials: Credentials, options: SmscClientOptions = {}): SmscClient {
  const client = new SoapSmscClient(credentials, options);
  const call: MethodCaller = (method, request) => client.call(method, request);
  return { ...bindMethods(call), call, close: () => client.close() };
}
