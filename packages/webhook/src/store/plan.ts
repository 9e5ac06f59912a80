/**
 * Folds a batch of status callbacks into message states, shared by both stores so they cannot disagree.
 * The store supplies the current states and the replay keys already stored; the plan says what to write.
 */
import type { StatusCallback } from "../callback.js";
import { applyCallback, type MessageState, messageKey, replayKey } from "../state-machine.js";
import type { StatusRecordResult } from "./types.js";

export interface PendingStatus {
  readonly callback: StatusCallback;
  readonly receivedAt: Date;
}

export interface PlannedEvent {
  readonly key: string;
  readonly callback: StatusCallback;
  readonly receivedAt: Date;
  readonly applied: boolean;
}

export interface StatusPlan {
  /** One result per input item, in input order. */
  readonly results: StatusRecordResult[];
  /** New events to insert, in arrival order. */
  readonly events: PlannedEvent[];
  /** Final state of every message the batch touched with a new event, keyed by messageKey. */
  readonly states: Map<string, MessageState>;
}

export function planStatusBatch(
  items: readonly PendingStatus[],
  currentStates: ReadonlyMap<string, MessageState>,
  storedReplayKeys: ReadonlySet<string>,
): StatusPlan {
  const states = new Map<string, MessageState>();
  const seen = new Set<string>(storedReplayKeys);
  const events: PlannedEvent[] = [];
  const results: StatusRecordResult[] = [];
  for (const { callback, receivedAt } of items) {
    const mKey = messageKey(callback.id, callback.phone);
    const previous = states.get(mKey) ?? currentStates.get(mKey);
    const key = replayKey(callback);
    if (seen.has(key) && previous !== undefined) {
      results.push({ duplicate: true, applied: false, previous, current: previous });
      continue;
    }
    seen.add(key);
    const { applied, next } = applyCallback(previous, callback, receivedAt);
    states.set(mKey, next);
    events.push({ key, callback, receivedAt, applied });
    results.push({ duplicate: false, applied, current: next, ...(previous ? { previous } : {}) });
  }
  return { results, events, states };
}
