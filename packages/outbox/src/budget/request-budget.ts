import { Semaphore } from "../limits.js";
import { SharedSlots, type SharedSlotsOptions } from "./shared-slots.js";

/** Leave to hold one request open to SMSC; give it back with release() once the answer (or failure) is in. */
export interface Permit {
  release(): void;
}

/**
 * Requests of one kind open to SMSC under one login: a cap for this process (`maxConcurrentRequests`) inside
 * the login's budget shared with every process on the store.
 */
export interface RequestBudget {
  acquire(): Promise<Permit>;
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** The process's own cap first (no store query while this process is at its cap), then a shared slot. */
export function createRequestBudget(processCap: number, shared: SharedSlotsOptions): RequestBudget {
  const local = new Semaphore(Math.min(processCap, shared.limit));
  const slots = new SharedSlots(shared);
  async function acquire(): Promise<Permit> {
    await local.acquire();
    let slot: number;
    try {
      slot = await slots.acquire();
    } catch (err) {
      local.release();
      throw err;
    }
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        slots.release(slot);
        local.release();
      },
    };
  }
  return {
    acquire,
    async run(fn) {
      const permit = await acquire();
      try {
        return await fn();
      } finally {
        permit.release();
      }
    },
  };
}
