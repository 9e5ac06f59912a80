import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteStore } from "../src/store/sqlite/store.js";
import type { OutboxStore } from "../src/store/store.js";
import { observeDatabase } from "./support/observe-statements.js";
import { describeStoreConformance } from "./support/store-conformance.js";

describeStoreConformance("SQLite", async (ran) => {
  const dir = mkdtempSync(join(tmpdir(), "outbox-sqlite-"));
  const filename = join(dir, "app.db");
  // The service's own handle: the outbox shares it, as an embedding service would.
  const db = new Database(filename);
  const store = openSqliteStore({ database: observeDatabase(db, ran) });
  const peers: OutboxStore[] = [];
  return {
    store,
    async inCallerTx(fn, end) {
      db.exec("BEGIN");
      await fn(db);
      db.exec(end === "commit" ? "COMMIT" : "ROLLBACK");
    },
    async peer() {
      const p = openSqliteStore({ filename });
      peers.push(p);
      return p;
    },
    async onMessages(sql) {
      db.exec(sql.replaceAll("{messages}", "smsc_outbox_messages"));
    },
    async cleanup() {
      for (const p of peers) await p.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
