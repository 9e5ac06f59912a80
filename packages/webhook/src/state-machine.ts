/**
 * The per-(message, phone) status machine. The order itself is core's (`canTransition`): a final status
 * never returns to an intermediate one and delivered may still become read or link-clicked. This module
 * only folds callbacks into a state with that rule; callbacks the rule refuses stay in the history.
 */
import { canTransition } from "@smsc-kit/core";
import type { StatusCallback } from "./callback.js";

/** What the receiver currently knows about one message to one phone. */
export interface MessageState {
  readonly id: string;
  readonly phone: string;
  readonly status: number;
  readonly err?: number;
  readonly final: boolean;
  /** When the current status happened (SMSC's `ts` when given, otherwise when it was received). */
  readonly statusAt: Date;
  readonly firstHeardAt: Date;
  /** When the receiver last heard anything new about this message (for reconcile polling). */
  readonly lastHeardAt: Date;
  /** How many distinct callbacks were stored for it. */
  readonly events: number;
}

export interface Transition {
  /** Whether this callback moved the current state. */
  readonly applied: boolean;
  readonly next: MessageState;
}

export function applyCallback(
  current: MessageState | undefined,
  callback: StatusCallback,
  receivedAt: Date,
): Transition {
  if (current === undefined) {
    return {
      applied: true,
      next: {
        id: callback.id,
        phone: callback.phone,
        status: callback.status,
        final: callback.final,
        statusAt: callback.eventAt ?? receivedAt,
        firstHeardAt: receivedAt,
        lastHeardAt: receivedAt,
        events: 1,
        ...(callback.err !== undefined ? { err: callback.err } : {}),
      },
    };
  }
  const lastHeardAt = receivedAt > current.lastHeardAt ? receivedAt : current.lastHeardAt;
  if (!canTransition(current.status, callback.status)) {
    return { applied: false, next: { ...current, lastHeardAt, events: current.events + 1 } };
  }
  const { err: _previousErr, ...rest } = current;
  return {
    applied: true,
    next: {
      ...rest,
      status: callback.status,
      final: callback.final,
      statusAt: callback.eventAt ?? receivedAt,
      lastHeardAt,
      events: current.events + 1,
      ...(callback.err !== undefined ? { err: callback.err } : {}),
    },
  };
}

/**
 * The key a replay shares with its original: the fields the signature covers (core's CALLBACK_SIGNATURE:
 * id, phone, status) and nothing else. Unsigned fields (err, cost, time, …) can be changed by whoever
 * captured one signed callback, so a key that included them would let each change store another row.
 * Unambiguous without escaping: an SMSC id has no ':' and a status is an integer, so the phone is the rest.
 */
export function replayKey(callback: Pick<StatusCallback, "id" | "phone" | "status">): string {
  return `${callback.id}:${callback.status}:${callback.phone}`;
}

export function messageKey(id: string, phone: string): string {
  return JSON.stringify([id, phone]);
}
