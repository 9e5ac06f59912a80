import type { SmscClient } from "@smsc-kit/core";
import type { Outbox } from "@smsc-kit/outbox";
import type { RelayHandle } from "@smsc-kit/smtp-relay";
import type { GatewayHttpServer } from "./http/server.js";
import type { Logger } from "./logging.js";
import type { GatewayStores } from "./stores.js";

/** The parts of a gateway that need stopping; those not started yet are absent. */
export interface GatewayParts {
  client: SmscClient;
  stores?: GatewayStores;
  http?: GatewayHttpServer;
  relay?: RelayHandle;
  outbox?: Outbox;
  reconcile?: NodeJS.Timeout;
}

/**
 * The one shutdown sequence, for a graceful close and for a start-up that failed half-way: stop taking new
 * mail first (the relay answers 421 while closing), then let in-flight sends finish or go back to the queue,
 * then the HTTP side (callbacks keep landing until here, /readyz already says "shutting down"), then the
 * stores, then the SMSC client. Every step runs even when an earlier one fails; the first failure is
 * returned (and each is logged), so a caller can report it.
 */
export async function shutDown(parts: GatewayParts, logger: Logger): Promise<unknown> {
  if (parts.reconcile) clearInterval(parts.reconcile);
  parts.http?.markDraining();
  const steps: [string, (() => Promise<void>) | undefined][] = [
    ["smtp relay", parts.relay && (() => parts.relay!.close())],
    ["outbox", parts.outbox && (() => parts.outbox!.stop())],
    ["http server", parts.http && (() => parts.http!.close())],
    ["stores", parts.stores && (() => parts.stores!.close())],
    ["smsc client", () => parts.client.close()],
  ];
  let firstFailure: unknown;
  for (const [name, stop] of steps) {
    if (!stop) continue;
    try {
      await stop();
    } catch (error) {
      logger.warn({ err: error, part: name }, "shutdown step failed");
      firstFailure ??= error;
    }
  }
  return firstFailure;
}
