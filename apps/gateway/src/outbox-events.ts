import type { Outbox } from "@smsc-kit/outbox";
import { errorLabel, sentStepName } from "./history.js";
import type { GatewayMetrics } from "./http/metrics.js";
import type { StepJournal } from "./journal.js";
import type { Logger } from "./logging.js";

/**
 * What the gateway does with the outbox's events (the pause aside, see pause.ts): each step goes to the
 * journal the status page reads, status updates to the gateway's counter, and the notable ones to the log.
 * The outbox's own counters (sends by result, latency) are registerOutboxMetrics's, not repeated here.
 */
export function recordOutboxEvents(
  outbox: Outbox,
  journal: StepJournal,
  metrics: GatewayMetrics,
  logger: Logger,
): void {
  const step = (rowId: number, at: number, name: string) =>
    journal.record(rowId, { name, at: new Date(at), source: "outbox" });
  outbox.on("sent", (event) => {
    step(event.rowId, event.at, sentStepName(event.cnt, event.reconciled));
    logger.info({ rowId: event.rowId, smscId: event.smscId, cnt: event.cnt }, "SMS handed to SMSC");
  });
  outbox.on("retry", (event) => {
    const what = event.unknown ? "outcome unknown" : "retry";
    step(
      event.rowId,
      event.at,
      `${what} (${errorLabel(event.error)}), next try ${new Date(event.runAt).toISOString()}`,
    );
  });
  outbox.on("redriven", (event) => {
    step(event.rowId, event.at, "back in the queue (redriven from the dead letter)");
  });
  outbox.on("deferred", (event) => {
    step(
      event.rowId,
      event.at,
      `waiting (${event.reason.replaceAll("_", " ")}) until ${new Date(event.runAt).toISOString()}`,
    );
  });
  outbox.on("dead", (event) => {
    step(event.rowId, event.at, `dead letter (${errorLabel(event.error)})`);
    logger.warn(
      { rowId: event.rowId, smscId: event.smscId, error: event.error },
      "SMS moved to the dead letter",
    );
  });
  outbox.on("status", (event) => {
    // Statuses are read back from the stores (webhook callbacks, the outbox's recipient statuses).
    metrics.statusUpdates.inc({ status: String(event.status), source: event.source });
  });
  outbox.on("blocked", (event) => {
    logger.warn(
      { until: new Date(event.until).toISOString(), error: event.error },
      "SMSC blocked this IP; outbox backs off",
    );
  });
  outbox.on("warning", (event) => logger.warn({ kind: event.kind, rowId: event.rowId }, event.message));
}
