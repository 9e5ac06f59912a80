// Probes the machine for what a root script needs (needs.mjs), then installs it or refuses with one message
// (plan.mjs decides which). Run by setup.mjs before anything else; also runnable on its own:
//   node tools/setup/system.mjs test:suite
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { needsOf } from "./needs.mjs";
import { PG_HBA_TRUST, planSystem, refusalMessage } from "./plan.mjs";

/** Where Debian keeps cluster configs and server binaries (tests point these at a scratch folder). */
const DEBIAN_PG = { etc: "/etc/postgresql", lib: "/usr/lib/postgresql" };

/** Is `cmd` an executable file in one of PATH's folders? */
export function onPath(cmd, env = process.env) {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, cmd), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

function installed(pkg) {
  // dpkg-query substitutes ${Status} itself: a plain string on purpose.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format, not a template
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("install ok installed");
}

/** Resolves true when something accepts a TCP connection on host:port within the timeout. */
export function answers(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function clusters(dirs) {
  if (!onPath("pg_ctlcluster") || !existsSync(dirs.etc)) return [];
  return readdirSync(dirs.etc).filter((v) => existsSync(path.join(dirs.etc, v, "main")));
}

function psqlArgs(pg) {
  return ["-h", pg.host, "-p", String(pg.port), "-U", pg.user, "-w"];
}

function databaseExists(pg) {
  const sql = `select 1 from pg_database where datname = '${pg.database}'`;
  const r = spawnSync("psql", [...psqlArgs(pg), "-d", "postgres", "-tAc", sql], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() === "1";
}

/** What the plan needs to know about this machine, for `needs`. */
export async function probe(needs, dirs = DEBIAN_PG) {
  const dpkg = onPath("dpkg-query");
  const result = {
    // Without dpkg nothing can be confirmed installed, so everything counts as missing.
    missingPackages: needs.packages.filter((p) => !dpkg || !installed(p)),
    root: process.getuid?.() === 0,
    apt: onPath("apt-get"),
  };
  if (needs.postgres) {
    const pg = needs.postgres;
    const up = await answers(pg.host, pg.port);
    const psql = onPath("psql") && onPath("createdb");
    result.postgres = {
      answers: up,
      clusters: up ? [] : clusters(dirs),
      psql,
      database: up && psql ? databaseExists(pg) : undefined,
    };
  }
  return result;
}

function run(cmd, args, env = process.env) {
  console.log(`setup: ${[cmd, ...args].join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`setup: \`${[cmd, ...args].join(" ")}\` exited with ${r.status}`);
}

async function waitUntilAnswers(pg, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await answers(pg.host, pg.port, 250)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`setup: PostgreSQL still does not answer on ${pg.host}:${pg.port} after ${seconds} s`);
}

/** Performs one planned step (as root, except create-db). */
async function perform(step, pg, dirs) {
  switch (step.kind) {
    case "apt-install": {
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      run("apt-get", ["update", "-qq"], env);
      run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...step.packages], env);
      return;
    }
    case "pg-trust":
      // Debian's postgresql package creates the `main` cluster; make one if an earlier purge left none.
      if (clusters(dirs).length === 0) {
        const servers = existsSync(dirs.lib)
          ? readdirSync(dirs.lib).filter((v) => existsSync(path.join(dirs.lib, v, "bin")))
          : [];
        const version = servers.sort((a, b) => Number(b) - Number(a))[0];
        if (!version)
          throw new Error(`setup: no PostgreSQL server under ${dirs.lib} after installing postgresql`);
        run("pg_createcluster", [version, "main"]);
      }
      for (const version of clusters(dirs)) {
        const hba = path.join(dirs.etc, version, "main", "pg_hba.conf");
        const text = readFileSync(hba, "utf8");
        if (!text.includes(PG_HBA_TRUST)) writeFileSync(hba, `${PG_HBA_TRUST}\n${text}`);
      }
      return;
    case "pg-start": {
      const version = step.version ?? clusters(dirs).sort((a, b) => Number(b) - Number(a))[0];
      if (!version)
        throw new Error(`setup: no PostgreSQL cluster under ${dirs.etc} after installing postgresql`);
      // Debian's postinst may already have started the fresh cluster: then reload picks up the trust rule.
      const action = (await answers(pg.host, pg.port)) ? "reload" : "start";
      run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", action]);
      await waitUntilAnswers(pg, 30);
      return;
    }
    case "create-db":
      if (!databaseExists(pg)) run("createdb", [...psqlArgs(pg), pg.database]);
      return;
  }
}

/**
 * Makes the machine ready for `script`, or says in one message what is missing and how to install it.
 * @param {string} script  the root script setup.mjs is about to run
 * @param {string} command  how the user ran it, for the message (e.g. "npm test")
 * @param {{ needs?: ReturnType<typeof needsOf>, dirs?: typeof DEBIAN_PG }} [machine]  tests only: other
 *   PostgreSQL address and Debian folders
 * @returns {Promise<boolean>} false when it refused (the message is already printed)
 */
export async function ensureSystem(script, command, { needs = needsOf(script), dirs = DEBIAN_PG } = {}) {
  if (needs.packages.length === 0 && !needs.postgres) return true;
  const found = await probe(needs, dirs);
  const plan = planSystem(needs, found);
  if (plan.action === "none") return true;
  if (plan.action === "refuse") {
    const how = { sudo: !found.root && onPath("sudo"), postgres: needs.postgres };
    console.error(`\n${refusalMessage(command, plan, how)}\n`);
    return false;
  }
  const started = Date.now();
  for (const step of plan.steps) await perform(step, needs.postgres, dirs);
  console.log(`setup: system set-up for ${command} took ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const script = process.argv[2] ?? "test:suite";
  const ok = await ensureSystem(script, `node tools/setup/system.mjs ${script}`);
  process.exit(ok ? 0 : 1);
}
