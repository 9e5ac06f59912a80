import type { Outbox } from "@smsc-kit/outbox";
import { registerOutboxMetrics } from "@smsc-kit/outbox";
import { Counter, collectDefaultMetrics, Registry } from "prom-client";

/**
 * The gateway's Prometheus metrics. The outbox's own (rows by state, dead-letter depth, oldest due row, in
 * flight, paused, sends by result and code, end-to-end latency) are the outbox package's
 * registerOutboxMetrics, read from the shared store at most once per scrape, so several gateways on one
 * PostgreSQL report the same queue; the counters below count what this process's other parts did.
 */
export interface GatewayMetrics {
  registry: Registry;
  statusUpdates: Counter<"status" | "source">;
  relayMessages: Counter<"outcome">;
  webhookCallbacks: Counter<"outcome">;
  webhookRequests: Counter<"code">;
}

export function createMetrics(outbox: Outbox): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "smsc_gateway_" });
  registerOutboxMetrics(outbox, { registry });

  return {
    registry,
    statusUpdates: new Counter({
      name: "smsc_status_updates_total",
      help: "Delivery status updates applied, by SMSC status code and source (callback, poll, send)",
      labelNames: ["status", "source"],
      registers: [registry],
    }),
    relayMessages: new Counter({
      name: "smsc_relay_messages_total",
      help: "E-mails the SMTP relay answered, by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    webhookCallbacks: new Counter({
      name: "smsc_webhook_callbacks_total",
      help: "New delivery callbacks stored, by whether they moved the message's state (applied) or came late (stale)",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    webhookRequests: new Counter({
      name: "smsc_webhook_requests_total",
      help: "Requests to the webhook path by HTTP answer (200 stored or replay, 400 bad input, 403 bad signature, 5xx store trouble)",
      labelNames: ["code"],
      registers: [registry],
    }),
  };
}
