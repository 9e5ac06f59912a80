import { SentCompleter } from "./completer.js";
import type { DeliveryContext } from "./delivery.js";
import type { OutboxEmitter } from "./events.js";
import { Gate } from "./gate.js";
import { FloodGuard, Semaphore, WindowLimiter } from "./limits.js";
import type { OutboxSettings } from "./options.js";
import { MAX_CONCURRENT_STATUS, STATUS_PER_MESSAGE, SUBSCRIBER_FLOOD } from "./protocol.js";
import type { MarkStatus } from "./status-sink.js";

/**
 * What delivery, the worker, the pause probe and reconcile share: the store and client, the pause gate, and the
 * catalog's rate limits as this process enforces them.
 */
export function createDeliveryContext(
  settings: OutboxSettings,
  events: OutboxEmitter,
  markStatus: MarkStatus,
  isStopping: () => boolean,
): DeliveryContext {
  const { store, client, owner, now } = settings;
  return {
    store,
    client,
    events,
    gate: new Gate(events, settings.probeIntervalMs),
    owner,
    sent: new SentCompleter(store, owner, now),
    now,
    maxAttempts: settings.maxAttempts,
    backoff: settings.backoff,
    reconcileDelayMs: settings.reconcileDelayMs,
    duplicateWindowMs: settings.duplicateWindowMs,
    ipBlockMs: settings.ipBlockMs,
    requests: new Semaphore(settings.maxRequests),
    sendSlots: new Semaphore(settings.maxRequests),
    statusRequests: new Semaphore(MAX_CONCURRENT_STATUS),
    statusPerMessage: new WindowLimiter(STATUS_PER_MESSAGE.limit, STATUS_PER_MESSAGE.windowMs),
    flood: new FloodGuard(SUBSCRIBER_FLOOD.limit, SUBSCRIBER_FLOOD.spacingMs),
    isStopping,
    async recordPolledStatus(row, phone, status, err, at) {
      await markStatus({
        id: row.smscId,
        phone,
        status,
        ...(err === undefined ? {} : { err }),
        at,
        source: "poll",
      });
    },
  };
}
