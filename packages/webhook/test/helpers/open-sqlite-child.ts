/** Child process for the concurrent-migration test: waits for the start line, then opens (migrates) the store. */
import { openSqliteWebhookStore } from "../../src/index.js";

const filename = process.argv[2];
if (filename === undefined) throw new Error("usage: open-sqlite-child <file>");
process.stdin.once("data", async () => {
  const store = openSqliteWebhookStore({ filename, busyTimeoutMs: 20_000 });
  await store.close();
  process.stdout.write("migrated\n");
  process.exit(0);
});
process.stdout.write("ready\n");
