import type { FloodRule } from "../store/planner.js";
import type { OutboxStore } from "../store/store.js";
import type { FloodAdmission, FloodCandidate } from "./admission.js";

export interface SharedFloodAdmissionOptions {
  store: OutboxStore;
  /** The SMSC login whose subscribers are counted (the outbox's `login`): other logins count their own. */
  login: string;
  /** The catalog's `subscriber-flood` rule. */
  rule: FloodRule;
  /** How long a batch waits when the store failed to count it (it is never admitted uncounted). */
  storeRetryMs: number;
  onStoreError(err: unknown): void;
}

/**
 * The subscriber-flood rule counted in the store, so it holds across every process sharing it: each phone's
 * current run (its length and when it ends) is one row per (login, phone), and a whole batch is admitted in one
 * statement (../store/sql/statements/admit-flood.ts). Runs that have ended are deleted once per spacing.
 */
export class SharedFloodAdmission implements FloodAdmission {
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: SharedFloodAdmissionOptions) {}

  async admit(candidates: readonly FloodCandidate[], now: number): Promise<Map<number, number>> {
    const { store, login, rule, storeRetryMs, onStoreError } = this.options;
    if (now - this.lastPrune >= rule.spacingMs) {
      this.lastPrune = now;
      void store.pruneFloodRuns(now).catch(onStoreError);
    }
    try {
      return await store.admitFlood(login, candidates, rule, now);
    } catch (err) {
      // Not counted, so not admitted: every row of the batch tries again a little later.
      onStoreError(err);
      return new Map(candidates.map((candidate) => [candidate.rowId, now + storeRetryMs]));
    }
  }
}
