/**
 * The PostgreSQL half of system.mjs, run for real in a child process against a scratch port and scratch
 * Debian folders, with fake apt-get, pg_ctlcluster, pg_createcluster, psql and createdb on PATH. The fake
 * pg_ctlcluster starts a TCP listener on the scratch port, so "answers on host:port" is checked for real.
 * The shared PostgreSQL on 5432 is never touched.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SYSTEM = new URL("../system.mjs", import.meta.url).href;
const MKDIR = ["/usr/bin/mkdir", "/bin/mkdir"].find((p) => existsSync(p));

const FAKES = {
  "apt-get": `echo "apt-get $*" >> "$FAKE_STATE/ran"
for arg; do
  if [ "$arg" = postgresql ]; then
    mkdir -p "$FAKE_LIB/15/bin"
    [ -n "$FAKE_NO_CLUSTER" ] && continue
    mkdir -p "$FAKE_ETC/15/main"
    echo "host all all 127.0.0.1/32 scram-sha-256" > "$FAKE_ETC/15/main/pg_hba.conf"
  fi
done`,
  pg_createcluster: `echo "pg_createcluster $*" >> "$FAKE_STATE/ran"
mkdir -p "$FAKE_ETC/$1/$2"
echo "host all all 127.0.0.1/32 scram-sha-256" > "$FAKE_ETC/$1/$2/pg_hba.conf"`,
  pg_ctlcluster: `echo "pg_ctlcluster $*" >> "$FAKE_STATE/ran"
if [ "$4" = start ]; then
  node "$FAKE_STATE/listen.mjs" "$FAKE_PG_PORT" "$FAKE_STATE/listener.pid" </dev/null >/dev/null 2>&1 &
fi`,
  // The database does not exist yet: the query prints no row.
  psql: "exit 0",
  createdb: `echo "createdb $*" >> "$FAKE_STATE/ran"`,
};

// Stands in for the server the fake pg_ctlcluster starts; exits by itself after a minute at the latest.
const LISTENER = `import net from "node:net";
import { writeFileSync } from "node:fs";
net.createServer((socket) => socket.destroy()).listen(Number(process.argv[2]), "127.0.0.1", () => {
  writeFileSync(process.argv[3], String(process.pid));
});
setTimeout(() => process.exit(0), 60_000);
`;

let dir;
let etc;
let lib;
let port;

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function ensure(env = {}) {
  const needs = { packages: [], postgres: { host: "127.0.0.1", port, user: "postgres", database: "test" } };
  const driver =
    `const m = await import(${JSON.stringify(SYSTEM)});` +
    `const ok = await m.ensureSystem("test:suite", "npm test", JSON.parse(process.env.MACHINE));` +
    "process.exit(ok ? 0 : 1);";
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", driver], {
    cwd: dir,
    encoding: "utf8",
    env: {
      PATH: path.join(dir, "bin"),
      FAKE_STATE: dir,
      FAKE_ETC: etc,
      FAKE_LIB: lib,
      FAKE_PG_PORT: String(port),
      MACHINE: JSON.stringify({ needs, dirs: { etc, lib } }),
      ...env,
    },
  });
  const ran = readFileSync(path.join(dir, "ran"), "utf8").split("\n").filter(Boolean);
  return { status: result.status, stderr: result.stderr, ran };
}

beforeEach(async () => {
  expect(process.getuid?.(), "system.mjs performs steps only as root").toBe(0);
  dir = mkdtempSync(path.join(os.tmpdir(), "smsc-setup-pg-"));
  etc = path.join(dir, "etc-postgresql");
  lib = path.join(dir, "lib-postgresql");
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  for (const [name, body] of Object.entries(FAKES)) {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  symlinkSync(process.execPath, path.join(bin, "node"));
  symlinkSync(MKDIR, path.join(bin, "mkdir"));
  writeFileSync(path.join(dir, "listen.mjs"), LISTENER);
  writeFileSync(path.join(dir, "ran"), "");
  chmodSync(dir, 0o755);
  port = await freePort();
});

afterEach(() => {
  const pidFile = path.join(dir, "listener.pid");
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, "utf8")));
    } catch {}
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("PostgreSQL when nothing answers", () => {
  it("installs Debian's postgresql, trusts postgres on loopback, starts the cluster and creates test", () => {
    const run = ensure();
    expect(run.status, run.stderr).toBe(0);
    expect(run.ran).toEqual([
      "apt-get update -qq",
      "apt-get install -y -qq --no-install-recommends postgresql",
      "pg_ctlcluster --skip-systemctl-redirect 15 main start",
      `createdb -h 127.0.0.1 -p ${port} -U postgres -w test`,
    ]);
    expect(readFileSync(path.join(etc, "15/main/pg_hba.conf"), "utf8")).toBe(
      "host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
    );
  });

  it("makes the main cluster when the package is there but no cluster is", () => {
    const run = ensure({ FAKE_NO_CLUSTER: "1" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.ran).toContain("pg_createcluster 15 main");
    expect(run.ran.indexOf("pg_createcluster 15 main")).toBeLessThan(
      run.ran.indexOf("pg_ctlcluster --skip-systemctl-redirect 15 main start"),
    );
    expect(readFileSync(path.join(etc, "15/main/pg_hba.conf"), "utf8")).toMatch(
      /^host all postgres 127\.0\.0\.1\/32 trust\n/,
    );
  });

  it("starts the newest installed cluster, leaving its configuration alone", () => {
    for (const version of ["9.6", "15"]) {
      mkdirSync(path.join(etc, version, "main"), { recursive: true });
      writeFileSync(path.join(etc, version, "main", "pg_hba.conf"), "local all all peer\n");
    }
    const run = ensure();
    expect(run.status, run.stderr).toBe(0);
    expect(run.ran).toEqual([
      "pg_ctlcluster --skip-systemctl-redirect 15 main start",
      `createdb -h 127.0.0.1 -p ${port} -U postgres -w test`,
    ]);
    expect(readFileSync(path.join(etc, "15/main/pg_hba.conf"), "utf8")).toBe("local all all peer\n");
  });
});
