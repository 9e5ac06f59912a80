/**
 * The outbox's side of a dispatch benchmark, shared by run.ts and coalesce.ts: enqueue the jobs (outside the
 * timing), start the worker with the 14-in-flight cap, and time until every job was sent.
 */
import type { SmscClient } from "@smsc-kit/core";
import { createOutbox, type OutboxMessage, type OutboxOptions } from "@smsc-kit/outbox";
import { IN_FLIGHT, waitUntil } from "./anchors.js";

/** ms for our outbox to dispatch every job. */
export async function dispatchOutbox(
  store: OutboxOptions["store"],
  client: SmscClient,
  jobs: OutboxMessage[],
  options: Pick<OutboxOptions, "coalesce"> = {},
): Promise<number> {
  const outbox = createOutbox({ store, client, ...options });
  await store.migrate();
  await outbox.enqueue(jobs);
  let sent = 0;
  outbox.on("sent", () => {
    sent += 1;
  });
  const t0 = performance.now();
  outbox.start({ concurrency: IN_FLIGHT });
  await waitUntil(() => sent >= jobs.length);
  const ms = performance.now() - t0;
  await outbox.stop();
  return ms;
}
