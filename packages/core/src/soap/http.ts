/**
 * HTTP for SOAP calls: undici `request` over one keep-alive Pool per origin (the toolchain probe
 * measured undici.request at about twice the speed of fetch on Node 20).
 */
import { type Dispatcher, Pool } from "undici";

export interface HttpPostInit {
  origin: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  body: string;
  timeoutMs: number;
}

export interface HttpClientOptions {
  connections: number;
  connectTimeoutMs: number;
  /** A caller-owned undici dispatcher (e.g. a ProxyAgent) used instead of our own pools. */
  dispatcher?: Dispatcher | undefined;
}

export class HttpClient {
  readonly #pools = new Map<string, Pool>();
  readonly #options: HttpClientOptions;
  #closed = false;

  constructor(options: HttpClientOptions) {
    this.#options = options;
  }

  #pool(origin: string): Dispatcher {
    if (this.#options.dispatcher !== undefined) return this.#options.dispatcher;
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.#options.connections,
        pipelining: 1,
        connect: { timeout: this.#options.connectTimeoutMs },
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Sends one request; the caller reads the body (one async frame fewer per call on the client's hot path). */
  send(init: HttpPostInit): Promise<Dispatcher.ResponseData> {
    if (this.#closed) {
      return Promise.reject(
        Object.assign(new Error("the SMSC client is closed"), { code: "ERR_CLIENT_CLOSED" }),
      );
    }
    return this.#pool(init.origin).request({
      origin: init.origin,
      method: "POST",
      path: init.path,
      headers: init.headers,
      body: init.body,
      headersTimeout: init.timeoutMs,
      bodyTimeout: init.timeoutMs,
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

/**
 * Could the request have reached the server? Only failures that happen before a byte of the request
 * is written are `not_sent`: refused or unreachable connections, DNS, connect timeouts and TLS
 * handshake failures. Everything else (timeouts waiting for the answer, resets after writing, …) is
 * `unknown`: for `send` the message may exist at SMSC.
 */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_INVALID_ARG",
  "ERR_INVALID_URL",
  "ERR_CLIENT_CLOSED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return undefined;
}

export function networkOutcome(error: unknown): "unknown" | "not_sent" {
  const code = errorCode(error);
  if (code === undefined) return "unknown";
  if (NOT_SENT_CODES.has(code)) return "not_sent";
  if (code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_")) return "not_sent";
  return "unknown";
}
