import type { IncomingHttpHeaders } from "node:http";
import { isIP } from "node:net";

/**
 * Cross-site requests to the inspector's state-changing routes are refused. A web page the tester happens
 * to visit can POST to 127.0.0.1 from the browser (a `text/plain` form or `fetch` needs no CORS preflight),
 * and the inspector would reset the simulator or install faults. Browsers say where a request comes from
 * (`Origin`, `Sec-Fetch-Site`); test clients in other processes send neither, and are let through. A
 * browser must also name the simulator by an IP address or localhost, which DNS rebinding cannot fake.
 */
export interface InspectorRefusal {
  readonly status: 403 | 415;
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

const CHANGES_STATE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function refuseCrossSite(
  method: string | undefined,
  headers: IncomingHttpHeaders,
  expectsJson: boolean,
): InspectorRefusal | undefined {
  if (!CHANGES_STATE.has((method ?? "GET").toUpperCase())) return undefined;
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return {
      status: 403,
      field: "sec-fetch-site",
      rule: "same-origin",
      message: `cross-site request (${site})`,
    };
  }
  const origin = headers.origin;
  if (origin !== undefined && !sameOrigin(origin, headers.host)) {
    return { status: 403, field: "origin", rule: "same-origin", message: "cross-origin request refused" };
  }
  // DNS rebinding makes a page's request same-origin under the page's own name re-pointed at us; an IP
  // literal or a localhost name cannot be re-pointed, so a browser must use one of those.
  if (origin !== undefined && !unreboundable(headers.host)) {
    return {
      status: 403,
      field: "host",
      rule: "ip-or-localhost",
      message: "a browser must name the inspector by an IP address or localhost (DNS rebinding)",
    };
  }
  // JSON is not a content type a page can send cross-site without a CORS preflight, which we never answer.
  if (expectsJson && mediaType(headers["content-type"]) !== "application/json") {
    return {
      status: 415,
      field: "content-type",
      rule: "json",
      message: "content-type must be application/json",
    };
  }
  return undefined;
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  // "null" (sandboxed frames, file: pages, some redirects) names no origin we could trust.
  if (origin === "null" || host === undefined) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === "http:" || url.protocol === "https:") && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

function unreboundable(host: string | undefined): boolean {
  try {
    const name = new URL(`http://${host ?? ""}`).hostname.toLowerCase();
    return (
      name === "localhost" ||
      name.endsWith(".localhost") ||
      isIP(name) !== 0 ||
      (name.startsWith("[") && isIP(name.slice(1, -1)) !== 0)
    );
  } catch {
    return false;
  }
}
