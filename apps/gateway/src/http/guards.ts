import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * What every answer of the gateway's own pages carries: no framing (clickjacking the redrive button), no
 * content sniffing, no Referer (with its query) to other sites, and a CSP that allows only the page's own
 * inline style. The referrer policy is `same-origin`, not `no-referrer`: under `no-referrer` browsers send
 * `Origin: null` on the page's own form posts, which the same-origin check must refuse.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-frame-options": "DENY",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

const UNSPECIFIED = new Set(["0.0.0.0", "::", "[::]", ""]);

/** Whether a listen address means "every address" (so it names no host a browser would use). */
export function isUnspecified(host: string): boolean {
  return UNSPECIFIED.has(host.trim().toLowerCase());
}
const LOCAL_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/**
 * The host names the gateway answers to (DNS rebinding: a page on evil.example whose name is re-pointed
 * at the gateway sends `Host: evil.example`). Default: the listen address and the localhost names;
 * `extra` adds the names users reach it by (http.allowedHosts, the webhook's public URL).
 */
export function allowedHostNames(listenHost: string, extra: readonly string[] = []): Set<string> {
  const names = new Set(LOCAL_NAMES);
  for (const host of [listenHost, ...extra]) {
    const name = hostNameOf(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);
    if (name !== undefined && !UNSPECIFIED.has(name)) names.add(name);
  }
  return names;
}

/** The lower-case host name of a Host header (port dropped, IPv6 in brackets); undefined when malformed. */
export function hostNameOf(hostHeader: string | undefined): string | undefined {
  if (hostHeader === undefined || hostHeader === "") return undefined;
  try {
    const url = new URL(`http://${hostHeader}`);
    // A Host header is host[:port], nothing more.
    if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) return undefined;
    return url.hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Why a state-changing request must be refused as cross-site, or undefined when it comes from the page
 * itself. A same-origin `Origin` is required: browsers send it on every POST, so its absence (a
 * Referer-only request, or `Origin: null` from sandboxed frames and redirects) proves nothing.
 */
export function crossSiteProblem(req: IncomingMessage): string | undefined {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") return `sec-fetch-site: ${site} requests are refused`;
  const origin = req.headers.origin;
  if (origin === undefined) return "origin: a same-origin Origin header is required";
  if (origin === "null") return "origin: null is refused";
  const host = req.headers.host;
  try {
    const url = new URL(origin);
    const sameHost = host !== undefined && url.host === host.toLowerCase();
    if ((url.protocol === "http:" || url.protocol === "https:") && sameHost) return undefined;
  } catch {
    // fall through
  }
  return "origin: must be this gateway's own origin";
}
