import type { OutboxStore } from "./store/store.js";

/**
 * The store's migration, run once per outbox when first needed (an admin call, an enqueue, start). Concurrent
 * callers share one run; a failed run (database down) is forgotten, so the next caller tries again.
 */
export function migrateOnce(store: OutboxStore): () => Promise<void> {
  let migrated: Promise<void> | null = null;
  return () => {
    migrated ??= store.migrate().catch((err: unknown) => {
      migrated = null;
      throw err;
    });
    return migrated;
  };
}
