import { resolve } from "node:path";
import { type OutboxStore, openPgStore, openSqliteStore } from "@smsc-kit/outbox";
import { openPgWebhookStore, openSqliteWebhookStore, type WebhookStore } from "@smsc-kit/webhook";
import pg from "pg";
import type { GatewayConfig } from "./config/schema.js";

export const DEFAULT_SQLITE_FILE = "smsc-gateway.sqlite";

/** The outbox and webhook stores the gateway runs on, and how to close them (once, in order). */
export interface GatewayStores {
  kind: "sqlite" | "pg";
  /** Where the data lives, for the start-up log line (a file path, or the PostgreSQL host/database). */
  location: string;
  outbox: OutboxStore;
  webhook: WebhookStore;
  close(): Promise<void>;
}

/**
 * SQLite by default: one file holds both the outbox's and the webhook's tables (WAL lets both connections
 * work side by side). With `store.postgres` both live in one schema of that database, so several gateway
 * processes share the queue.
 */
export async function openStores(config: GatewayConfig["store"]): Promise<GatewayStores> {
  if (config.postgres !== undefined) {
    const pool = new pg.Pool({ connectionString: config.postgres, max: 10 });
    // An idle client that loses its connection must not crash the gateway; the next query reports it.
    pool.on("error", () => {});
    try {
      const outbox = openPgStore({ pool, schema: config.schema });
      await outbox.migrate();
      const webhook = await openPgWebhookStore({ pool, schema: config.schema });
      const url = new URL(config.postgres);
      return {
        kind: "pg",
        location: `postgres://${url.host}${url.pathname} schema ${config.schema}`,
        outbox,
        webhook,
        async close() {
          await webhook.close();
          await outbox.close();
          await pool.end();
        },
      };
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
  }
  const filename = resolve(config.sqlite ?? DEFAULT_SQLITE_FILE);
  const outbox = openSqliteStore({ filename, busyTimeoutMs: 5000 });
  await outbox.migrate();
  const webhook = openSqliteWebhookStore({ filename });
  return {
    kind: "sqlite",
    location: filename,
    outbox,
    webhook,
    async close() {
      await webhook.close();
      await outbox.close();
    },
  };
}
