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

/** Stored status callbacks per message and phone, at most. Distinct signed callbacks are one per status. */
export const DEFAULT_MAX_EVENTS_PER_MESSAGE = 32;

export function planStatusBatch(
  items: readonly PendingStatus[],
  currentStates: ReadonlyMap<string, MessageState>,
  storedReplayKeys: ReadonlySet<string>,
  maxEventsPerMessage = DEFAULT_MAX_EVENTS_PER_MESSAGE,
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
    // A full history still moves the state, but stores no more rows: the history (and the status page
    // that shows it) stays bounded whatever a message is sent.
    const full = previous !== undefined && previous.events >= maxEventsPerMessage;
    const current = full ? { ...next, events: previous.events } : next;
    states.set(mKey, current);
    if (!full) events.push({ key, callback, receivedAt, applied });
    results.push({ duplicate: false, applied, current, ...(previous ? { previous } : {}) });
  }
  return { results, events, states };
}
