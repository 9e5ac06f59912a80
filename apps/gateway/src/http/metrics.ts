import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { GatewayView } from "../view.js";

/**
 * The gateway's Prometheus metrics. Queue gauges are read from the outbox on every scrape (so several
 * gateways on one PostgreSQL report the same shared queue); counters count what this process did.
 */
export interface GatewayMetrics {
  registry: Registry;
  outboxSent: Counter<"result">;
  outboxDead: Counter;
  statusUpdates: Counter<"status" | "source">;
  relayMessages: Counter<"outcome">;
  webhookCallbacks: Counter<"outcome">;
  webhookRequests: Counter<"code">;
}

export function createMetrics(view: GatewayView): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "smsc_gateway_" });

  new Gauge({
    name: "smsc_outbox_messages",
    help: "Outbox messages by state",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const queue = await view.queue();
      this.reset();
      for (const [state, count] of Object.entries(queue.byState)) this.set({ state }, count);
    },
  });
  new Gauge({
    name: "smsc_outbox_dead_letter_messages",
    help: "Messages in the outbox dead letter",
    registers: [registry],
    async collect() {
      this.set((await view.queue()).deadLetter);
    },
  });
  new Gauge({
    name: "smsc_outbox_oldest_pending_age_seconds",
    help: "Age of the oldest message waiting to be sent",
    registers: [registry],
    async collect() {
      this.set((await view.queue()).oldestPendingAgeSeconds ?? 0);
    },
  });
  new Gauge({
    name: "smsc_outbox_in_flight",
    help: "Sends this process has under way",
    registers: [registry],
    async collect() {
      this.set((await view.queue()).inFlight ?? 0);
    },
  });
  new Gauge({
    name: "smsc_outbox_paused",
    help: "1 when the outbox paused itself (funds, auth, IP block)",
    registers: [registry],
    collect() {
      this.set(view.pause().paused ? 1 : 0);
    },
  });

  return {
    registry,
    outboxSent: new Counter({
      name: "smsc_outbox_sent_total",
      help: "Messages the outbox handed to SMSC from this process",
      labelNames: ["result"],
      registers: [registry],
    }),
    outboxDead: new Counter({
      name: "smsc_outbox_dead_total",
      help: "Messages this process moved to the dead letter",
      registers: [registry],
    }),
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
