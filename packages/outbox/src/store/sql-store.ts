import type { FloodCandidate } from "../flood/admission.js";
import * as floodOperations from "./flood-operations.js";
import * as holdOperations from "./hold-operations.js";
import * as insights from "./insight-operations.js";
import type { Operation } from "./operations.js";
import * as operations from "./operations.js";
import type { FloodRule } from "./planner.js";
import * as readings from "./reading-operations.js";
import * as slotOperations from "./slot-operations.js";
import type * as contract from "./store.js";
import * as windowOperations from "./window-operations.js";

/**
 * The store contract over ./operations.ts, once for both databases. A subclass only says how to run an
 * operation (step by step, or atomically in a transaction of its own) and how to migrate, insert in the
 * caller's transaction and close; every other method is here.
 */
export abstract class SqlStore implements contract.OutboxStore {
  abstract readonly kind: "sqlite" | "pg";
  protected abstract perform<T>(operation: Operation<T>): Promise<T>;
  protected abstract performAtomically<T>(operation: Operation<T>): Promise<T>;
  abstract migrate(): Promise<void>;
  abstract insert(rows: contract.NewRow[], tx?: unknown): Promise<contract.EnqueuedRow[]>;
  abstract insertChunks(chunks: Iterable<contract.NewRow[]>, tx?: unknown): Promise<contract.EnqueuedRow[]>;
  abstract close(): Promise<void>;

  claim(owner: string, limit: number, leaseUntil: number, now: number): Promise<contract.ClaimedRow[]> {
    return this.perform(operations.claim(owner, limit, leaseUntil, now));
  }

  heartbeat(owner: string, rowIds: number[], leaseUntil: number): Promise<number> {
    return this.perform(operations.heartbeat(owner, rowIds, leaseUntil));
  }

  release(owner: string, rowIds: number[], now: number): Promise<number> {
    return this.perform(operations.release(owner, rowIds, now));
  }

  finish(
    owner: string,
    rowId: number,
    outcome: contract.Outcome,
    now: number,
  ): Promise<contract.StoredRow | null> {
    return this.performAtomically(operations.finish(owner, rowId, outcome, now));
  }

  assignBatch(owner: string, rowIds: readonly number[], batchId: string, now: number): Promise<number[]> {
    return this.perform(operations.assignBatch(owner, rowIds, batchId, now));
  }

  markSending(owner: string, rowIds: readonly number[]): Promise<number[]> {
    return this.perform(operations.markSending(owner, rowIds));
  }

  finishSent(
    owner: string,
    items: contract.SentItem[],
    now: number,
  ): Promise<Map<number, contract.StoredRow>> {
    return this.performAtomically(operations.finishSent(owner, items, now));
  }

  get(rowId: number): Promise<contract.StoredRow | null> {
    return this.perform(operations.get(rowId));
  }

  getBySmscId(smscId: string): Promise<contract.StoredRow | null> {
    return this.perform(operations.getBySmscId(smscId));
  }

  applyStatus(
    update: contract.RecipientStatus,
    rule: contract.TransitionRule,
    isFinal: (status: number) => boolean,
  ): Promise<contract.ApplyStatusResult> {
    return this.performAtomically(operations.applyStatus(update, rule, isFinal));
  }

  recipientStatuses(smscId: string): Promise<contract.RecipientStatus[]> {
    return this.perform(operations.recipientStatuses(smscId));
  }

  recipientStatusesOf(smscIds: readonly string[]): Promise<contract.RecipientStatus[]> {
    return this.perform(operations.recipientStatusesOf(smscIds));
  }

  pendingStatuses(sentBefore: number, limit: number): Promise<contract.PendingStatus[]> {
    return this.perform(operations.pendingStatuses(sentBefore, limit));
  }

  listDead(limit: number, offset: number): Promise<contract.StoredRow[]> {
    return this.perform(operations.listDead(limit, offset));
  }

  recent(limit: number, before?: contract.RecentCursor): Promise<contract.RecentRow[]> {
    return this.perform(operations.recent(limit, before));
  }

  redrive(rowId: number, now: number): Promise<boolean> {
    return this.perform(operations.redrive(rowId, now));
  }

  purgeDead(deadBefore: number): Promise<number> {
    return this.performAtomically(operations.purgeDead(deadBefore));
  }

  attempts(rowId: number): Promise<contract.StoredAttempt[]> {
    return this.perform(operations.attempts(rowId));
  }

  readReading(login: string, kind: string): Promise<contract.StoredReading | null> {
    return this.perform(readings.readReading(login, kind));
  }

  saveReading(login: string, kind: string, value: string, at: number): Promise<void> {
    return this.perform(readings.saveReading(login, kind, value, at));
  }

  prune(sentBefore: number, limit: number): Promise<number> {
    return this.performAtomically(operations.prune(sentBefore, limit));
  }

  stats(now: number): Promise<contract.StoreStats> {
    return this.perform(operations.stats(now));
  }

  seedSlots(budget: contract.SlotBudget, count: number): Promise<void> {
    return this.perform(slotOperations.seedSlots(budget, count));
  }

  takeSlot(
    budget: contract.SlotBudget,
    limit: number,
    owner: string,
    leaseUntil: number,
    now: number,
  ): Promise<number | null> {
    return this.perform(slotOperations.takeSlot(budget, limit, owner, leaseUntil, now));
  }

  giveSlot(budget: contract.SlotBudget, slot: number, owner: string): Promise<boolean> {
    return this.perform(slotOperations.giveSlot(budget, slot, owner));
  }

  renewSlots(
    budget: contract.SlotBudget,
    slots: readonly number[],
    owner: string,
    leaseUntil: number,
  ): Promise<number> {
    return this.perform(slotOperations.renewSlots(budget, slots, owner, leaseUntil));
  }

  readHold(login: string): Promise<contract.LoginHold> {
    return this.perform(holdOperations.readHold(login));
  }

  pauseLogin(
    login: string,
    reason: "funds" | "auth",
    since: number,
    error: contract.RowError,
  ): Promise<boolean> {
    return this.perform(holdOperations.pauseLogin(login, reason, since, error));
  }

  resumeLogin(login: string, since: number): Promise<boolean> {
    return this.perform(holdOperations.resumeLogin(login, since));
  }

  blockLogin(login: string, until: number, error: contract.RowError): Promise<void> {
    return this.perform(holdOperations.blockLogin(login, until, error));
  }

  takeProbe(login: string, owner: string, leaseUntil: number, now: number): Promise<boolean> {
    return this.perform(holdOperations.takeProbe(login, owner, leaseUntil, now));
  }

  hitWindow(
    budget: contract.SlotBudget,
    key: string,
    limit: number,
    windowMs: number,
    now: number,
  ): Promise<boolean> {
    return this.performAtomically(windowOperations.hitWindow(budget, key, limit, windowMs, now));
  }

  pruneWindows(now: number): Promise<number> {
    return this.perform(windowOperations.pruneWindows(now));
  }

  admitFlood(
    login: string,
    candidates: readonly FloodCandidate[],
    rule: FloodRule,
    now: number,
  ): Promise<Map<number, number>> {
    // One statement: atomic on its own, and one round trip on PostgreSQL (no BEGIN/COMMIT around it).
    return this.perform(floodOperations.admitFlood(login, candidates, rule, now));
  }

  pruneFloodRuns(now: number): Promise<number> {
    return this.perform(floodOperations.pruneFloodRuns(now));
  }

  activity(
    since: number,
    bucketMs: number,
    codes: { delivered: readonly number[]; failed: readonly number[] },
  ): Promise<contract.ActivityCount[]> {
    return this.perform(insights.activity(since, bucketMs, codes));
  }

  failureCodes(since: number, failedCodes: readonly number[]): Promise<contract.FailureCount[]> {
    return this.perform(insights.failureCodes(since, failedCodes));
  }

  queueDepth(now: number): Promise<contract.QueueDepth> {
    return this.perform(insights.queueDepth(now));
  }

  search(filter: contract.SearchFilter): Promise<contract.RecentRow[]> {
    return this.perform(insights.search(filter));
  }
}
