/**
 * createSmscClient: the typed SOAP client. One keep-alive connection pool per host; requests are
 * validated with the generated schemas before anything is sent; `send` is tried exactly once, the
 * read-only methods are retried with backoff and fail over to the backup host.
 */

import type { Dispatcher } from "undici";
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
  OPERATIONS,
  type OperationName,
  SMSC_METHODS,
  type SmscMethod,
  type SmscMethods,
  SOAP_PATH,
} from "./generated/index.js";

export { DEFAULT_BASE_URL, DEFAULT_CONNECTIONS, defaultFallbacks } from "./client-options.js";

import type { Logger } from "./logger.js";
import { chooseOperation, classifyError } from "./protocol.js";
import { encodeQuery } from "./query.js";
import { createRedactor, type Redactor, redactedCause } from "./redact.js";
import { toWireFields } from "./requests.js";
import { decodeResult, inBandError, MalformedResultError, type RawResult } from "./results.js";
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy, sleep } from "./retry.js";
import { buildEnvelope, EnvelopeParseError } from "./soap/envelope.js";
import { errorCode, HttpClient, networkOutcome } from "./soap/http.js";
import { type Answer, readAnswer } from "./soap/read-answer.js";
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

  async call<M extends SmscMethod>(method: M, request?: MethodRequestMap[M]): Promise<MethodResultMap[M]> {
    const prepared = this.#prepare(method, request ?? {});
    // A method tried once skips the retry loop's own async frame (send is the hot path).
    const raw = SMSC_METHODS[method].idempotent
      ? await this.#retried(method, prepared)
      : await this.#once(method, prepared, this.#origins[0] as string, 0);
    try {
      return decodeResult(method, raw, prepared.element) as unknown as MethodResultMap[M];
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

  async #once(method: SmscMethod, call: PreparedCall, origin: string, attempt: number): Promise<RawResult> {
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
    const raw = this.#interpret(method, call, response, url);
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
    return raw;
  }

  #interpret(
    method: SmscMethod,
    call: PreparedCall,
    response: { status: number; body: string },
    url: string,
  ): RawResult {
    let parsed: Answer | undefined;
    try {
      parsed = readAnswer(response.body);
    } catch (error) {
      if (!(error instanceof EnvelopeParseError)) throw error;
      parsed = undefined;
    }
    if (parsed?.kind === "fault") {
      throw new SmscSoapFaultError({
        faultCode: this.#redactor.text(parsed.faultCode),
        faultString: this.#redactor.text(parsed.faultString),
        url,
        status: response.status,
      });
    }
    if (response.status < 200 || response.status >= 300) {
      // An HTTP error without a SOAP answer: 5xx/408 means the server had the request (unknown);
      // other 4xx come from before SMSC's script ran (a proxy, a wrong path): not sent.
      const reached = response.status >= 500 || response.status === 408;
      throw new SmscTransportError({
        message: `${method}: HTTP ${response.status} from ${url}`,
        outcome: reached ? "unknown" : "not_sent",
        url,
        status: response.status,
        code: "HTTP_STATUS",
      });
    }
    // Lenient within the method: a server answering SendResponse to send2 still answered our send.
    if (
      parsed === undefined ||
      parsed.kind !== "response" ||
      OPERATIONS[parsed.operation].method !== method
    ) {
      throw new SmscTransportError({
        message: `${method}: unexpected response from ${url} (not a ${call.operation} result)`,
        outcome: "unknown",
        url,
        status: response.status,
        code: "BAD_RESPONSE",
      });
    }
    let code: number | undefined;
    try {
      code = inBandError(parsed.result);
    } catch {
      throw new SmscTransportError({
        message: `${method}: unexpected response from ${url} (error is not a number)`,
        outcome: "unknown",
        url,
        status: response.status,
        code: "BAD_RESPONSE",
      });
    }
    if (code !== undefined) {
      const entry = classifyError(method, code);
      const id = parsed.result["id"];
      throw new SmscApiError({
        method,
        code,
        text: entry.text,
        errorClass: entry.class,
        messageId: typeof id === "string" && id !== "" ? id : call.element["id"],
      });
    }
    return parsed.result;
  }
}

interface PreparedCall {
  operation: OperationName;
  element: Record<string, string>;
  query: string | undefined;
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
