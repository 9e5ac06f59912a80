/**
 * The process under load, started by run.ts: either the floor (a bare node `http` handler that reads the
 * body and answers 200 without storing) or the webhook receiver on SQLite or PostgreSQL.
 * Talks to run.ts over IPC: sends { port } when listening, answers "stats", exits on "close".
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  openPgWebhookStore,
  openSqliteWebhookStore,
  startWebhookServer,
  type WebhookStore,
} from "@smsc-kit/webhook";
import pg from "pg";

const mode = process.argv[2];
const secret = process.argv[3] ?? "";
const send = (message: unknown) => process.send?.(message);

async function main() {
  if (mode === "floor") {
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": 2 });
        res.end("OK");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    send({ port: (server.address() as AddressInfo).port });
    process.on("message", (message) => {
      if (message === "stats") send({ stats: { messages: 0, events: 0, incoming: 0 } });
      if (message === "close") server.close(() => process.exit(0));
    });
    return;
  }

  let store: WebhookStore;
  let cleanup: () => Promise<void>;
  if (mode === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "bench-webhook-"));
    // synchronous=FULL (the default): every 200 is on disk.
    store = openSqliteWebhookStore({ filename: join(dir, "webhook.db") });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else if (mode === "postgres") {
    const pool = new pg.Pool({ host: "127.0.0.1", port: 5432, user: "postgres", database: "test", max: 4 });
    const schema = `bench_webhook_${process.pid}`;
    store = await openPgWebhookStore({ pool, schema });
    cleanup = async () => {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    };
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const server = await startWebhookServer({ store, secret, port: 0, host: "127.0.0.1", path: "/smsc" });
  send({ port: server.port });
  process.on("message", (message) => {
    if (message === "stats") void store.stats().then((stats) => send({ stats }));
    if (message === "close") {
      void server
        .close()
        .then(() => store.close())
        .then(cleanup)
        .then(() => process.exit(0));
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
