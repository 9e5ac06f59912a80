/**
 * Runs every benchmark one after another (each in its own process, so one cannot warm or starve the next)
 * and prints their reports as they come. `pnpm bench` from the root, or `pnpm bench <name> ...` for some.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const ALL = ["codegen", "soap-client", "simulator", "outbox", "production", "webhook", "smtp-relay"];
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL;

const failed: string[] = [];
for (const name of chosen) {
  const script = path.join(here, name, "run.ts");
  if (!existsSync(script)) {
    console.error(`no benchmark named ${name} (have: ${ALL.join(", ")})`);
    process.exit(2);
  }
  console.log(`\n### bench/${name}\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", script], { cwd: here, stdio: "inherit" });
  if (r.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(", ")}`);
  process.exit(1);
}
