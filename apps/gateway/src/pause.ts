import type { Outbox } from "@smsc-kit/outbox";
import type { Logger } from "./logging.js";
import type { PauseState } from "./view.js";

/**
 * The outbox's pause as the gateway shows it: the one place it is kept. Only the outbox's "paused" and
 * "resumed" events write it; the status page and /readyz read it. (An IP block is not a pause: the outbox
 * backs off on its own and /readyz reports the block from the outbox's stats.)
 */
export interface PauseWatch {
  /** A copy of the current state, with the reason and since when. */
  current(): PauseState;
  /** Why the outbox is paused ("funds", "auth"), or null while it runs. */
  readonly kind: "funds" | "auth" | null;
}

export function watchPause(outbox: Outbox, logger: Logger): PauseWatch {
  let state: PauseState = { paused: false };
  let kind: PauseWatch["kind"] = null;
  outbox.on("paused", (event) => {
    kind = event.reason;
    state = { paused: true, reason: `${event.reason}: ${event.error.message}`, since: new Date(event.at) };
    logger.warn({ reason: event.reason, error: event.error }, "outbox paused");
  });
  outbox.on("resumed", (event) => {
    kind = null;
    state = { paused: false };
    logger.info({ reason: event.reason, pausedForMs: event.pausedForMs }, "outbox resumed");
  });
  return {
    current: () => ({ ...state }),
    get kind() {
      return kind;
    },
  };
}
