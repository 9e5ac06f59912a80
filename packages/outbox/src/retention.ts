import type { OutboxEmitter } from "./events.js";
import type { RetentionSettings } from "./options.js";
import type { OutboxStore } from "./store/store.js";

/** Sent rows deleted per retention run; the next run takes the rest. */
const PRUNE_BATCH = 5_000;

/** The retention job: on its interval while the outbox runs, deletes old sent rows and old dead letters. */
export class Retention {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: OutboxStore,
    private readonly events: OutboxEmitter,
    private readonly now: () => number,
    private readonly settings: RetentionSettings | null,
  ) {}

  start(): void {
    if (!this.settings) return;
    this.timer = setInterval(() => void this.run(), this.settings.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async run(): Promise<void> {
    const settings = this.settings;
    if (!settings) return;
    try {
      const sent =
        settings.sentMs === undefined ? 0 : await this.store.prune(this.now() - settings.sentMs, PRUNE_BATCH);
      const dead =
        settings.deadMs === undefined ? 0 : await this.store.purgeDead(this.now() - settings.deadMs);
      if (sent + dead > 0) this.events.emit("pruned", { sent, dead, at: this.now() });
    } catch (err) {
      this.events.emit("warning", {
        kind: "retention",
        message: err instanceof Error ? err.message : String(err),
        at: this.now(),
      });
    }
  }
}
