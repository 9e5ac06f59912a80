import type { StatusEvent } from "./view.js";

/**
 * The outbox steps this gateway process saw (handed to SMSC, retry with its reason, waiting, redriven, dead
 * letter), per row: the part of a message's history that no store keeps. Statuses and the row itself come from
 * the stores (webhook callbacks, the outbox's rows and recipient statuses), so the status page is the same on
 * every process and after a restart; these steps only add detail where this process still remembers it.
 * Bounded, in memory, least recently touched rows dropped first.
 */
export class StepJournal {
  private readonly rows = new Map<number, StatusEvent[]>();

  constructor(private readonly capacity = 200) {}

  record(rowId: number, event: StatusEvent): void {
    const events = this.rows.get(rowId) ?? [];
    events.push(event);
    // Re-insert so that Map order is "most recently touched last".
    this.rows.delete(rowId);
    this.rows.set(rowId, events);
    while (this.rows.size > this.capacity) {
      const oldest = this.rows.keys().next().value;
      if (oldest === undefined) break;
      this.rows.delete(oldest);
    }
  }

  events(rowId: number): StatusEvent[] {
    return [...(this.rows.get(rowId) ?? [])];
  }
}
