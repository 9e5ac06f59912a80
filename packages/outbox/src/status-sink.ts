/**
 * core's StatusSink on the outbox's store: a status update from the webhook, a poll or a send is checked, then
 * applied monotonically per recipient (a late or reordered report never moves a status back).
 */
import { type StatusApplyResult, type StatusUpdate, statusInfo } from "@smsc-kit/core";
import { OutboxValidationError } from "./errors.js";
import type { OutboxEmitter } from "./events.js";
import { canMove, isFinal } from "./protocol.js";
import { normalizeRecipient } from "./recipients.js";
import { type OutboxStore, STATUS_SOURCES } from "./store/store.js";

export type MarkStatus = (update: StatusUpdate) => Promise<StatusApplyResult>;

/** A status update from a caller (the webhook): refused with the field and the rule, before any write. */
function checkStatusUpdate(update: StatusUpdate): void {
  const bad = (field: string, rule: string, message: string) =>
    new OutboxValidationError(field, rule, message);
  if (typeof update !== "object" || update === null)
    throw bad("update", "object", "a status update is an object");
  if (typeof update.id !== "string" || update.id.length === 0)
    throw bad("id", "string", "id must be the SMSC message id");
  if (typeof update.phone !== "string" || update.phone.trim().length === 0)
    throw bad("phone", "string", "phone must be a string");
  if (!Number.isInteger(update.status) || statusInfo(update.status) === undefined) {
    throw bad("status", "catalog", `status ${String(update.status)} is not a status code in the catalog`);
  }
  if (update.err !== undefined && !Number.isInteger(update.err))
    throw bad("err", "integer", "err must be an integer");
  if (!(update.at instanceof Date) || Number.isNaN(update.at.getTime()))
    throw bad("at", "date", "at must be a valid Date");
  if (!STATUS_SOURCES.includes(update.source))
    throw bad("source", "enum", 'source must be "callback", "poll" or "send"');
}

export function createStatusSink(deps: {
  store: OutboxStore;
  events: OutboxEmitter;
  migrated: () => Promise<void>;
}): MarkStatus {
  const { store, events, migrated } = deps;
  return async (update) => {
    checkStatusUpdate(update);
    await migrated();
    const next = {
      smscId: String(update.id),
      phone: normalizeRecipient(String(update.phone)),
      status: update.status,
      err: update.err ?? null,
      at: update.at.getTime(),
      source: update.source,
    };
    const outcome = await store.applyStatus(
      next,
      (previous, incoming) => canMove(previous?.status ?? null, incoming.status),
      isFinal,
    );
    const previous = outcome.previous?.status ?? null;
    if (!outcome.applied) {
      if (outcome.reason !== "stale") return { applied: false, reason: "unknown_message", current: previous };
      return {
        applied: false,
        reason: previous === next.status ? "duplicate" : "regression",
        current: previous,
      };
    }
    events.emit("status", {
      rowId: outcome.row.rowId,
      smscId: next.smscId,
      phone: next.phone,
      status: next.status,
      err: next.err,
      previous,
      source: next.source,
      meta: outcome.row.meta,
      at: next.at,
    });
    return { applied: true, previous };
  };
}
