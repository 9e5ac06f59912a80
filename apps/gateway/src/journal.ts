import type { StatusEvent } from "./view.js";

/**
 * The messages this gateway process has touched lately (enqueued by the relay, sent, dead-lettered, status
 * changed), newest first, with the status changes it saw. Bounded, in memory: the status page's "recent"
 * list. The durable truth stays in the outbox and webhook stores.
 */
export class RecentJournal {
  private readonly rows = new Map<number, StatusEvent[]>();

  constructor(private readonly capacity = 200) {}

  touch(rowId: number): void {
    const events = this.rows.get(rowId) ?? [];
    // Re-insert so that Map order is "most recently touched last".
    this.rows.delete(rowId);
    this.rows.set(rowId, events);
    while (this.rows.size > this.capacity) {
      const oldest = this.rows.keys().next().value;
      if (oldest === undefined) break;
      this.rows.delete(oldest);
    }
  }

  record(rowId: number, event: StatusEvent): void {
    this.touch(rowId);
    this.rows.get(rowId)?.push(event);
  }

  /** Row ids, most recently touched first. */
  recent(limit: number): number[] {
    return [...this.rows.keys()].reverse().slice(0, limit);
  }

  events(rowId: number): StatusEvent[] {
    return [...(this.rows.get(rowId) ?? [])];
  }
}
