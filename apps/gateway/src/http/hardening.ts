import type { GatewayConfig } from "../config/schema.js";
import type { GatewayHttpOptions } from "./server.js";

/** The HTTP server's host allow-list and deadlines from the config. */
export function httpHardening(
  config: Pick<GatewayConfig, "http" | "webhook">,
): Pick<GatewayHttpOptions, "allowedHosts" | "timeouts"> {
  const publicHost = config.webhook.publicUrl === undefined ? [] : [new URL(config.webhook.publicUrl).host];
  return {
    allowedHosts: [...config.http.allowedHosts, ...publicHost],
    timeouts: { headersMs: config.http.headersTimeoutMs, requestMs: config.http.requestTimeoutMs },
  };
}
