import type { FloodAdmission, FloodCandidate } from "../../src/flood/admission.js";

/**
 * SMSC's subscriber-flood rule held in one process's memory, written as plainly as the catalog states it (more
 * than `limit` messages to one subscriber, each less than `spacingMs` after the previous, are forbidden): the
 * reference the store-backed admission is checked against. This was the outbox's own rule before it was shared.
 */
export class FloodModel implements FloodAdmission {
  private readonly runs = new Map<string, { last: number; length: number }>();

  constructor(
    private readonly limit: number,
    private readonly spacingMs: number,
  ) {}

  /** The earliest time a message to all of these phones may go out (≤ now means "now"). */
  earliest(phones: readonly string[], now: number): number {
    let t = now;
    for (const p of phones) {
      const run = this.runs.get(p);
      if (run && now - run.last < this.spacingMs && run.length >= this.limit)
        t = Math.max(t, run.last + this.spacingMs);
    }
    return t;
  }

  record(phones: readonly string[], at: number): void {
    for (const p of phones) {
      const run = this.runs.get(p);
      if (run && at - run.last < this.spacingMs) {
        run.last = at;
        run.length += 1;
      } else {
        this.runs.set(p, { last: at, length: 1 });
      }
    }
  }

  async admit(candidates: readonly FloodCandidate[], now: number): Promise<Map<number, number>> {
    const verdicts = new Map<number, number>();
    for (const candidate of candidates) {
      const earliest = this.earliest(candidate.recipients, now);
      if (earliest <= now) this.record(candidate.recipients, now);
      verdicts.set(candidate.rowId, earliest);
    }
    return verdicts;
  }
}
