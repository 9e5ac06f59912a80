import { SmscApiError } from "@smsc-kit/core";
import type { RequestBudget } from "./budget/request-budget.js";
import type { OutboxClient } from "./delivery-context.js";
import type { OutboxEmitter } from "./events.js";
import type { Gate } from "./gate.js";
import { errorClassOf } from "./protocol.js";

export interface PauseProbeDeps {
  gate: Gate;
  client: OutboxClient;
  /** The outbox's request slots: a probe counts against SMSC's per-login limit like any request. */
  requests: RequestBudget;
  events: OutboxEmitter;
  now(): number;
  intervalMs: number;
  /** Probes only run while the worker does: a stopped outbox has nothing to resume. */
  isRunning(): boolean;
  /** Whether this process is the one that probes now (the login's probe lease, ./budget/shared-holds.ts). */
  mayProbe(): Promise<boolean>;
}

/**
 * While the outbox is paused on funds or credentials, asks get_balance every interval and resumes once SMSC
 * accepts the credentials and the balance is positive.
 */
export class PauseProbe {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: PauseProbeDeps) {
    deps.events.on("paused", () => {
      if (deps.isRunning()) this.schedule();
    });
  }

  /** At start: an outbox paused before it stopped keeps probing. */
  resumeIfPaused(): void {
    if (this.deps.gate.pauseReason !== null) this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer === null) this.timer = setTimeout(() => void this.probe(), this.deps.intervalMs);
  }

  private async probe(): Promise<void> {
    const { gate, client, requests, events, now } = this.deps;
    this.timer = null;
    const reason = gate.pauseReason;
    if (reason === null) return;
    // Another process sharing the login probes: its resume reaches this one through the store.
    const ours = await this.deps.mayProbe().catch(() => false);
    if (!ours) {
      if (gate.pauseReason !== null && this.deps.isRunning()) this.schedule();
      return;
    }
    try {
      const { balance } = await requests.run(() => client.balance());
      if (reason === "auth" || balance > 0) gate.resume(now());
    } catch (err) {
      const kind = err instanceof SmscApiError ? errorClassOf("balance", err.code) : "transport";
      events.emit("warning", {
        kind: "probe",
        message: `balance probe failed (${kind}); still paused`,
        at: now(),
      });
    }
    if (gate.pauseReason !== null && this.deps.isRunning()) this.schedule();
  }
}
