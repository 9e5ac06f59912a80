import { LIFECYCLE } from "./lifecycle-statuses.js";
import type { SimMessage } from "./messages.js";
import type { Scheduler } from "./scheduler.js";

export interface LifecycleOptions {
  /** Time from the send moment (now, or the requested `time`) to status 0 "handed to operator" (default 1000 ms). */
  handoffMs?: number;
  /** Time from status 0 to the final status (default 4000 ms). */
  deliveryMs?: number;
}

export interface PlannedOutcome {
  status: number;
  err: number;
  /** Never delivered: the final status comes when the message's lifetime runs out (`expiresAt`). */
  unreachable: boolean;
  handoffMs: number | undefined;
  deliveryMs: number | undefined;
}

/**
 * Moves messages along −1 (waiting) → 0 (handed to operator) → final status on the simulator clock,
 * recording each change and reporting it (for callbacks).
 */
export class Lifecycle {
  constructor(
    private readonly scheduler: Scheduler,
    private options: LifecycleOptions,
    private readonly onChange: (message: SimMessage, at: number) => void,
  ) {}

  configure(options: LifecycleOptions): void {
    this.options = options;
  }

  /** Records a status change now (or at `at`) and reports it. */
  change(message: SimMessage, status: number, err: number, at: number): void {
    message.status = status;
    message.err = err;
    message.lastChangeAt = at;
    message.history.push({ status, err, at });
    this.onChange(message, at);
  }

  /** Plans the rest of a freshly accepted message's life. */
  plan(message: SimMessage, outcome: PlannedOutcome): void {
    const handoffAt = message.sendAt + (outcome.handoffMs ?? this.options.handoffMs ?? 1000);
    const finalAt = outcome.unreachable
      ? Math.max(handoffAt, message.expiresAt)
      : handoffAt + (outcome.deliveryMs ?? this.options.deliveryMs ?? 4000);
    this.scheduler.at(handoffAt, () => this.change(message, LIFECYCLE.handedToOperator, 0, handoffAt));
    this.scheduler.at(finalAt, () => this.change(message, outcome.status, outcome.err, finalAt));
  }
}
