import type { Outbox, OutboxMessage } from "@smsc-kit/outbox";
import type { RelayOutbox } from "@smsc-kit/smtp-relay";
import type { GatewayMetrics } from "../http/metrics.js";

/**
 * The relay's view of the outbox: the real one, counting enqueued rows for /metrics, and passing the
 * dead-letter subscription through so the relay can mail delivery status notices (`smtp.dsn`).
 */
export function countingOutbox(outbox: Outbox, metrics: GatewayMetrics): RelayOutbox {
  return {
    async enqueue(messages) {
      const rows = await outbox.enqueue(messages as readonly OutboxMessage[]);
      metrics.relayMessages.inc({ outcome: "enqueued" }, rows.length);
      return rows;
    },
    on(event, listener) {
      outbox.on(event, listener);
    },
    off(event, listener) {
      outbox.off(event, listener);
    },
  };
}
