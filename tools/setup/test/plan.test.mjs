import { describe, expect, it } from "vitest";
import { TEST_PACKAGES, TEST_POSTGRES } from "../needs.mjs";
import { commandOf, planSystem, refusalMessage } from "../plan.mjs";

const needs = { packages: TEST_PACKAGES, postgres: TEST_POSTGRES };
const pgUp = { answers: true, clusters: [], psql: true, database: true };
const machine = (over) => ({ missingPackages: [], root: true, apt: true, postgres: pgUp, ...over });

describe("planSystem", () => {
  it("does nothing when every package is installed and PostgreSQL has the database", () => {
    expect(planSystem(needs, machine({}))).toEqual({ action: "none" });
  });

  it("installs exactly the missing packages, as root with apt-get", () => {
    const plan = planSystem(needs, machine({ missingPackages: ["chromium", "php-soap", "unrelated"] }));
    expect(plan).toEqual({
      action: "run",
      steps: [{ kind: "apt-install", packages: ["php-soap", "chromium"] }],
    });
  });

  it("starts the newest installed cluster when nothing answers, then makes the database", () => {
    const plan = planSystem(
      needs,
      machine({ postgres: { answers: false, clusters: ["9.6", "15"], psql: true } }),
    );
    expect(plan).toEqual({
      action: "run",
      steps: [{ kind: "pg-start", version: "15" }, { kind: "create-db" }],
    });
  });

  it("installs Debian's postgresql when no cluster exists, trusts postgres on loopback and starts it", () => {
    const plan = planSystem(
      needs,
      machine({ missingPackages: ["openssl"], postgres: { answers: false, clusters: [], psql: false } }),
    );
    expect(plan).toEqual({
      action: "run",
      steps: [
        { kind: "apt-install", packages: ["openssl", "postgresql"] },
        { kind: "pg-trust" },
        { kind: "pg-start" },
        { kind: "create-db" },
      ],
    });
  });

  it("creates the missing database, which needs no root", () => {
    const plan = planSystem(needs, machine({ root: false, postgres: { ...pgUp, database: false } }));
    expect(plan).toEqual({ action: "run", steps: [{ kind: "create-db" }] });
  });

  it("installs the client when a server answers but psql is missing", () => {
    const plan = planSystem(needs, machine({ postgres: { answers: true, clusters: [], psql: false } }));
    expect(plan).toEqual({
      action: "run",
      steps: [{ kind: "apt-install", packages: ["postgresql-client"] }, { kind: "create-db" }],
    });
  });

  it("refuses when not root, keeping every step for the message", () => {
    const plan = planSystem(needs, machine({ root: false, missingPackages: ["python3-zeep"] }));
    expect(plan).toEqual({
      action: "refuse",
      reason: "this run is not root",
      steps: [{ kind: "apt-install", packages: ["python3-zeep"] }],
    });
  });

  it("refuses when apt-get is missing, even as root", () => {
    const plan = planSystem(needs, machine({ apt: false, missingPackages: ["chromium"] }));
    expect(plan.action).toBe("refuse");
    expect(plan.reason).toBe("this machine has no apt-get");
  });

  it("refuses to start a stopped cluster when not root", () => {
    const plan = planSystem(
      needs,
      machine({ root: false, postgres: { answers: false, clusters: ["15"], psql: true } }),
    );
    expect(plan.action).toBe("refuse");
  });

  it("needs nothing for a script without system needs (the demo)", () => {
    expect(
      planSystem({ packages: [] }, machine({ missingPackages: TEST_PACKAGES, root: false, apt: false })),
    ).toEqual({
      action: "none",
    });
  });
});

describe("refusalMessage", () => {
  it("names what is missing and one pasteable command, with sudo when sudo exists", () => {
    const plan = planSystem(
      needs,
      machine({
        root: false,
        missingPackages: ["php-cli", "chromium"],
        postgres: { answers: false, clusters: ["15"], psql: true },
      }),
    );
    const text = refusalMessage("npm test", plan, { sudo: true, postgres: TEST_POSTGRES });
    expect(text).toContain(
      "npm test needs Debian packages php-cli, chromium and a running PostgreSQL on 127.0.0.1:5432",
    );
    expect(text).toContain("because this run is not root");
    expect(text).toContain(
      "  sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y " +
        "--no-install-recommends php-cli chromium && " +
        "sudo pg_ctlcluster --skip-systemctl-redirect 15 main start && createdb -h 127.0.0.1 -p 5432 -U postgres test\n",
    );
  });

  it("asks for root in words when there is no sudo", () => {
    const plan = planSystem(needs, machine({ root: false, missingPackages: ["openssl"] }));
    const text = refusalMessage("npm test", plan, { sudo: false, postgres: TEST_POSTGRES });
    expect(text).toContain("Install them as root with:");
    expect(text).not.toContain("sudo");
  });
});

describe("commandOf", () => {
  it("finds the newest cluster at run time when postgresql was just installed", () => {
    expect(commandOf({ kind: "pg-start" }, { sudo: false })).toBe(
      "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | sort -n | tail -n1) main start",
    );
  });
});
