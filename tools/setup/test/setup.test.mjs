/**
 * setup.mjs run for real as a child process, with fake dpkg-query, apt-get, psql and pnpm on PATH that record
 * what they were asked to do: the install path as root, the refusal without root or without apt-get (one
 * message, nothing run), and the demo, which never looks at system packages.
 * PostgreSQL must answer on 127.0.0.1:5432, as for every suite here (`npm test` starts it first).
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TEST_PACKAGES } from "../needs.mjs";
import { answers } from "../system.mjs";

const SOURCE = fileURLToPath(new URL("..", import.meta.url));
const MODULES = ["setup.mjs", "system.mjs", "plan.mjs", "needs.mjs"];
const NOBODY = 65534;

const FAKES = {
  "dpkg-query": `for last; do :; done
echo "$last" >> "$FAKE_STATE/probed"
while read -r name; do
  if [ "$name" = "$last" ]; then printf 'install ok installed'; exit 0; fi
done < "$FAKE_STATE/installed"
echo "dpkg-query: no packages found matching $last" >&2
exit 1`,
  "apt-get": `echo "apt-get $*" >> "$FAKE_STATE/ran"
if [ "$1" = install ]; then
  for arg; do case "$arg" in -*|install) ;; *) echo "$arg" >> "$FAKE_STATE/installed" ;; esac; done
fi`,
  psql: `echo 1`,
  createdb: `echo "createdb $*" >> "$FAKE_STATE/ran"`,
  pnpm: `if [ "$1" = --version ]; then echo 12.4.2; exit 0; fi
echo "pnpm $*" >> "$FAKE_STATE/ran"`,
  npx: `echo "npx $*" >> "$FAKE_STATE/ran"`,
};

let dir;
let bin;
/** setup.mjs, copied into the world-readable temp folder so `nobody` can run it wherever the clone lives. */
let setupCopy;

function machine({ installed, apt = true }) {
  for (const [name, body] of Object.entries(FAKES)) {
    if (name === "apt-get" && !apt) continue;
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  for (const file of ["installed", "ran", "probed"]) {
    writeFileSync(
      path.join(dir, file),
      installed && file === "installed" ? installed.map((p) => `${p}\n`).join("") : "",
    );
    chmodSync(path.join(dir, file), 0o666);
  }
}

function setup(script, { uid } = {}) {
  const result = spawnSync(process.execPath, [setupCopy, script], {
    cwd: dir,
    env: { PATH: bin, FAKE_STATE: dir, npm_lifecycle_event: script === "test:suite" ? "test" : "demo" },
    encoding: "utf8",
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  const lines = (file) => readFileSync(path.join(dir, file), "utf8").split("\n").filter(Boolean);
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    ran: lines("ran"),
    probed: lines("probed"),
  };
}

beforeAll(async () => {
  expect(
    await answers("127.0.0.1", 5432),
    "PostgreSQL must answer on 127.0.0.1:5432 (npm test starts it)",
  ).toBe(true);
  expect(process.getuid?.(), "these tests run setup as root and as nobody, so they run as root").toBe(0);
});

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "smsc-setup-"));
  chmodSync(dir, 0o755);
  bin = path.join(dir, "bin");
  mkdirSync(bin, { mode: 0o755 });
  symlinkSync(process.execPath, path.join(bin, "node"));
  const tools = path.join(dir, "repo", "tools", "setup");
  mkdirSync(tools, { recursive: true, mode: 0o755 });
  for (const file of MODULES) copyFileSync(path.join(SOURCE, file), path.join(tools, file));
  setupCopy = path.join(tools, "setup.mjs");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("npm test on a fresh machine", () => {
  it("as root with apt-get: installs exactly what is missing, then installs and runs the suite", () => {
    machine({ installed: ["openssl"] });
    const run = setup("test:suite");
    expect(run.status, run.stderr).toBe(0);
    expect(run.ran).toEqual([
      "apt-get update -qq",
      "apt-get install -y -qq --no-install-recommends php-cli php-soap python3-zeep chromium",
      "pnpm install --frozen-lockfile",
      "pnpm run test:suite",
    ]);
  });

  it("with everything installed: installs nothing from apt", () => {
    machine({ installed: TEST_PACKAGES });
    const run = setup("test:suite");
    expect(run.status, run.stderr).toBe(0);
    expect(run.ran).toEqual(["pnpm install --frozen-lockfile", "pnpm run test:suite"]);
  });

  it("not root: one message naming the packages and the command, and nothing run", () => {
    machine({ installed: ["openssl", "php-cli"] });
    const run = setup("test:suite", { uid: NOBODY });
    expect(run.status).toBe(1);
    expect(run.ran).toEqual([]);
    expect(run.stdout).toBe("");
    const message = run.stderr.trim();
    expect(message.match(/Nothing was run/g)).toHaveLength(1);
    expect(message).toContain("npm test needs Debian packages php-soap, python3-zeep, chromium,");
    expect(message).toContain("because this run is not root");
    expect(message).toContain(
      "apt-get update && env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends " +
        "php-soap python3-zeep chromium",
    );
  });

  it("without apt-get, even as root: one message and nothing run", () => {
    machine({ installed: [], apt: false });
    const run = setup("test:suite");
    expect(run.status).toBe(1);
    expect(run.ran).toEqual([]);
    expect(run.stderr).toContain("because this machine has no apt-get");
    expect(run.stderr).toContain(`--no-install-recommends ${TEST_PACKAGES.join(" ")}`);
  });
});

describe("npm run demo", () => {
  it("never looks at system packages, even without root or apt-get", () => {
    machine({ installed: [], apt: false });
    const run = setup("demo:run", { uid: NOBODY });
    expect(run.status, run.stderr).toBe(0);
    expect(run.probed).toEqual([]);
    expect(run.ran).toEqual(["pnpm install --frozen-lockfile", "pnpm run demo:run"]);
  });
});
