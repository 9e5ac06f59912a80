#!/usr/bin/env node
// Makes a fresh clone runnable with nothing but Node 20 and npm, then runs one root script.
//   node tools/setup/setup.mjs <script> [args...]
// Why this exists: pnpm is not on a fresh machine, and pnpm 12 does not pass npm's `nodedir`
// to node-gyp, so better-sqlite3 (no reachable prebuild here) fails to compile unless we point
// node-gyp at the headers that ship with this very Node installation. Before any of that, system.mjs
// installs the Debian packages (and PostgreSQL) the script needs, or stops with one message saying how.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureSystem } from "./system.mjs";

const PNPM_VERSION = "12.4.2";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const [script, ...rest] = process.argv.slice(2);
if (!script) {
  console.error("usage: node tools/setup/setup.mjs <root script> [args...]");
  process.exit(2);
}

// `npm test` runs this with npm_lifecycle_event=test: name the command the user typed in messages.
const event = process.env.npm_lifecycle_event;
const command =
  event === "test" ? "npm test" : event ? `npm run ${event}` : `node tools/setup/setup.mjs ${script}`;
if (!(await ensureSystem(script, command))) process.exit(1);

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0" };
// Without a TTY, pnpm refuses to replace a node_modules made by another major unless CI is set.
if (!process.stdin.isTTY && env.CI === undefined) env.CI = "true";
if (!env.npm_config_nodedir) {
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  if (existsSync(path.join(prefix, "include/node/node.h"))) env.npm_config_nodedir = prefix;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  if (r.error) throw r.error;
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { env, encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return ["pnpm", []];
  return ["npx", ["--yes", `pnpm@${PNPM_VERSION}`]];
}

const [pnpm, pre] = pnpmCommand();
run(pnpm, [...pre, "install", "--frozen-lockfile"]);
run(pnpm, [...pre, "run", script, ...rest]);
