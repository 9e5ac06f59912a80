// Pure decision: given what a probe of the machine found, which set-up steps are needed, and whether this run
// may perform them. No I/O here, so every branch is tested without touching the machine (test/plan.test.mjs).

/**
 * @typedef {object} Probe
 * @property {string[]} missingPackages  needed Debian packages that dpkg does not report installed
 * @property {boolean} root              this process runs as uid 0
 * @property {boolean} apt               apt-get is on PATH
 * @property {object} [postgres]         only when the script needs PostgreSQL
 * @property {boolean} postgres.answers  something accepts connections on host:port
 * @property {string[]} postgres.clusters  versions under /etc/postgresql (Debian's clusters), e.g. ["15"]
 * @property {boolean} postgres.psql     psql/createdb are on PATH
 * @property {boolean} [postgres.database]  the database exists (known only when it answers and psql exists)
 *
 * @typedef {{ kind: "apt-install", packages: string[] }
 *   | { kind: "pg-trust" }
 *   | { kind: "pg-start", version?: string }
 *   | { kind: "create-db" }} Step
 *
 * @typedef {{ action: "none" } | { action: "run", steps: Step[] }
 *   | { action: "refuse", steps: Step[], reason: string }} Plan
 */

/**
 * @param {{ packages: string[], postgres?: { host: string, port: number, user: string, database: string } }} needs
 * @param {Probe} probe
 * @returns {Plan}
 */
export function planSystem(needs, probe) {
  const packages = needs.packages.filter((p) => probe.missingPackages.includes(p));
  /** @type {Step[]} */
  const after = [];
  if (needs.postgres && probe.postgres) {
    const pg = probe.postgres;
    if (!pg.answers) {
      if (pg.clusters.length === 0) {
        // Debian's package creates and starts a `main` cluster; its default host rule asks for a password,
        // and the suites connect as `postgres` without one, so this fresh cluster gets a trust rule.
        packages.push("postgresql");
        after.push({ kind: "pg-trust" }, { kind: "pg-start" });
      } else {
        after.push({ kind: "pg-start", version: newest(pg.clusters) });
      }
      after.push({ kind: "create-db" });
    } else {
      if (!pg.psql) packages.push("postgresql-client");
      if (pg.database !== true) after.push({ kind: "create-db" });
    }
  }
  /** @type {Step[]} */
  const steps = packages.length > 0 ? [{ kind: "apt-install", packages }, ...after] : after;
  if (steps.length === 0) return { action: "none" };
  const needsRoot = steps.some((s) => s.kind !== "create-db");
  if (packages.length > 0 && !probe.apt)
    return { action: "refuse", steps, reason: "this machine has no apt-get" };
  if (needsRoot && !probe.root) return { action: "refuse", steps, reason: "this run is not root" };
  return { action: "run", steps };
}

/** Highest version first by number ("9.6" < "15"). */
function newest(versions) {
  return [...versions].sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))[0];
}

const PG_HBA_TRUST = "host all postgres 127.0.0.1/32 trust";

/**
 * The shell command a person would type for one step; `sudo` prefixes what needs root when not root.
 * @param {Step} step
 * @param {{ sudo: boolean, postgres?: { host: string, port: number, user: string, database: string } }} how
 */
export function commandOf(step, { sudo, postgres }) {
  const s = sudo ? "sudo " : "";
  switch (step.kind) {
    case "apt-install":
      return (
        `${s}apt-get update && ${s}env DEBIAN_FRONTEND=noninteractive ` +
        `apt-get install -y --no-install-recommends ${step.packages.join(" ")}`
      );
    case "pg-trust":
      return `${s}sed -i '1i ${PG_HBA_TRUST}' /etc/postgresql/*/main/pg_hba.conf`;
    case "pg-start": {
      const version = step.version ?? "$(ls /etc/postgresql | sort -n | tail -n1)";
      return `${s}pg_ctlcluster --skip-systemctl-redirect ${version} main start`;
    }
    case "create-db": {
      const pg = postgres ?? { host: "127.0.0.1", port: 5432, user: "postgres", database: "test" };
      return `createdb -h ${pg.host} -p ${pg.port} -U ${pg.user} ${pg.database}`;
    }
  }
}

/** The trust line pg-trust puts first in pg_hba.conf. */
export { PG_HBA_TRUST };

/**
 * The one message printed when this run cannot do the set-up itself: what is missing and the command that
 * installs it, joined into one line a person can paste.
 * @param {string} command  the README command being run, e.g. "npm test"
 * @param {Extract<Plan, { action: "refuse" }>} plan
 * @param {{ sudo: boolean, postgres?: { host: string, port: number, user: string, database: string } }} how
 */
export function refusalMessage(command, plan, how) {
  const missing = [];
  for (const step of plan.steps) {
    if (step.kind === "apt-install") missing.push(`Debian packages ${step.packages.join(", ")}`);
    if (step.kind === "pg-start" && step.version) {
      missing.push(`a running PostgreSQL on ${how.postgres?.host}:${how.postgres?.port}`);
    }
    if (step.kind === "create-db") missing.push(`the database \`${how.postgres?.database}\``);
  }
  const line = plan.steps.map((s) => commandOf(s, how)).join(" && ");
  const asRoot = !how.sudo && plan.steps.some((s) => s.kind !== "create-db") ? " as root" : "";
  return (
    `${command} needs ${missing.join(" and ")}, and cannot set them up because ${plan.reason}. ` +
    `Nothing was run. Install them${asRoot} with:\n\n  ${line}\n\nthen run ${command} again.`
  );
}
