import { isLoopbackHost, type SignatureOptions } from "@smsc-kit/webhook";
import { ConfigError } from "./config/errors.js";
import type { GatewayConfig } from "./config/schema.js";

/**
 * Secure by default: a webhook SMSC (or anyone else) can reach — the HTTP listener beyond loopback, or a
 * public URL in front of it — must verify signatures, or the config must accept unsigned callbacks in words
 * (`webhook.allowUnsigned: true`). Without a secret a forged callback's final status wins.
 */
export function checkWebhookSecurity(config: Pick<GatewayConfig, "webhook" | "http">): void {
  const { webhook, http } = config;
  if (!webhook.enabled || webhook.secret !== undefined || webhook.allowUnsigned) return;
  const publicHost = webhook.publicUrl === undefined ? undefined : new URL(webhook.publicUrl).hostname;
  const exposedAt = !isLoopbackHost(http.host)
    ? `http.host ${http.host}`
    : publicHost !== undefined && !isLoopbackHost(publicHost)
      ? `webhook.publicUrl ${webhook.publicUrl}`
      : undefined;
  if (exposedAt === undefined) return;
  throw new ConfigError([
    {
      path: "webhook.secret",
      rule: `is required when the webhook is reachable beyond loopback (${exposedAt}): set the secret from SMSC's settings, or webhook.allowUnsigned: true to accept forged callbacks knowingly`,
    },
  ]);
}

/** The receiver's signature settings from the config (secret and the digests trusted). */
export function webhookSignature(webhook: GatewayConfig["webhook"]): {
  secret?: string;
  signature?: SignatureOptions;
} {
  return {
    ...(webhook.secret !== undefined ? { secret: webhook.secret } : {}),
    ...(webhook.algorithms !== undefined ? { signature: { algorithms: webhook.algorithms } } : {}),
  };
}
