/**
 * The client's constructor arguments checked and normalised: origins (with SMSC's backup host) and
 * credentials. Nothing secret is ever put into an error message.
 */
import type { Credentials } from "./client.js";
import { RATE_RULES } from "./generated/index.js";

export const DEFAULT_BASE_URL = "https://smsc.ru";
export const DEFAULT_TIMEOUT_MS = 15_000;
/** The pool size when the catalog publishes no per-login concurrency limit. */
const CONNECTIONS_WITHOUT_A_LIMIT = 10;

/**
 * Keep-alive connections per host by default: as many simultaneous requests as SMSC allows one login (the
 * largest per-login `concurrent-requests` limit of the catalog's rate rules, 14 for send). A caller with that
 * many requests in flight then has each on its own connection; one more waits for a free connection in the
 * pool instead of reaching SMSC as the refused 15th.
 */
export function defaultConnections(rules: readonly RateRuleLike[] = RATE_RULES): number {
  const limits = rules
    .filter((rule) => rule.measure === "concurrent-requests" && rule.scope === "login")
    .map((rule) => rule.limit)
    .filter((limit): limit is number => typeof limit === "number" && limit >= 1);
  return limits.length === 0 ? CONNECTIONS_WITHOUT_A_LIMIT : Math.max(...limits);
}

interface RateRuleLike {
  readonly measure: string;
  readonly scope: string;
  readonly limit: number | null;
}

export const DEFAULT_CONNECTIONS = defaultConnections();

export function originOf(url: string, option: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`createSmscClient: ${option} is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new TypeError(`createSmscClient: ${option} must be an http(s) URL`);
  }
  if (parsed.username !== "" || parsed.password !== "") {
    throw new TypeError(
      `createSmscClient: ${option} must not carry credentials; pass them as the first argument`,
    );
  }
  return parsed.origin;
}

const IP_OR_LOCAL = /^(localhost|\[.*\]|\d{1,3}(\.\d{1,3}){3})$/;

/** SMSC's backup host is `www2.<domain>` (docs/protocol.md §2.1). None for IPs and localhost. */
export function defaultFallbacks(origin: string): string[] {
  const url = new URL(origin);
  if (IP_OR_LOCAL.test(url.hostname) || url.hostname.startsWith("www2.")) return [];
  url.hostname = `www2.${url.hostname.replace(/^www\./, "")}`;
  return [url.origin];
}

export function checkCredentials(credentials: Credentials): { login: string; psw: string; apikey?: string } {
  if (typeof credentials !== "object" || credentials === null) {
    throw new TypeError("createSmscClient: credentials must be { login, psw } or { apikey }");
  }
  if ("apikey" in credentials) {
    if (typeof credentials.apikey !== "string" || credentials.apikey === "") {
      throw new TypeError("createSmscClient: apikey must be a non-empty string");
    }
    // SMSC reads `psw` as the API key when `login` is empty (official libraries, SMTP docs); the
    // `*2` operations also get `apikey=` in `query`, the form SMSC's SOAP page documents.
    return { login: "", psw: credentials.apikey, apikey: credentials.apikey };
  }
  if (typeof credentials.login !== "string" || credentials.login === "") {
    throw new TypeError("createSmscClient: login must be a non-empty string");
  }
  if (typeof credentials.psw !== "string" || credentials.psw === "") {
    throw new TypeError("createSmscClient: psw must be a non-empty string");
  }
  return { login: credentials.login, psw: credentials.psw };
}
