import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/errors.js";
import { loadConfig, validateConfig } from "../src/config/load.js";

function problemsOf(fn: () => unknown): ConfigError["problems"] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("gateway config", () => {
  it("fills embedded defaults: SQLite store, SMTP on 2525, HTTP on 8080", () => {
    const config = validateConfig({});
    expect(config.store.postgres).toBeUndefined();
    expect(config.store.sqlite).toBeUndefined();
    expect(config.smtp.port).toBe(2525);
    expect(config.http.port).toBe(8080);
    expect(config.webhook.path).toBe("/smsc/callback");
    expect(config.outbox.concurrency).toBe(4);
  });

  it("reads a YAML file and selects PostgreSQL by connection string", async () => {
    const dir = await mkdtemp(join(tmpdir(), "gw-config-"));
    const file = join(dir, "gateway.yaml");
    await writeFile(
      file,
      "store:\n  postgres: postgres://postgres@127.0.0.1:5432/test\n  schema: gw_a\nhttp:\n  port: 0\nsmtp:\n  users:\n    - { username: app, password: s3cret }\n",
    );
    const config = await loadConfig({ file, env: {} });
    expect(config.store.postgres).toBe("postgres://postgres@127.0.0.1:5432/test");
    expect(config.store.schema).toBe("gw_a");
    expect(config.http.port).toBe(0);
    expect(config.smtp.users).toEqual([{ username: "app", password: "s3cret" }]);
  });

  it("rejects an unknown key with its full path", () => {
    const problems = problemsOf(() => validateConfig({ http: { prot: 80 } }));
    expect(problems).toContainEqual(
      expect.objectContaining({ path: "http.prot", rule: "unknown configuration key" }),
    );
  });

  it("rejects a bad value naming the path and the rule", () => {
    const problems = problemsOf(() => validateConfig({ http: { port: 70000 }, outbox: { concurrency: 40 } }));
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(["http.port", "outbox.concurrency"]));
    expect(problems.find((p) => p.path === "outbox.concurrency")?.rule).toMatch(
      /error 9 to 15 or more simultaneous requests/,
    );
  });

  it("takes the concurrency ceiling from the catalog's send-concurrency rule (15 or more → error 9)", () => {
    expect(validateConfig({ outbox: { concurrency: 14 } }).outbox.concurrency).toBe(14);
    const problems = problemsOf(() => validateConfig({ outbox: { concurrency: 15 } }));
    expect(problems.map((p) => p.path)).toEqual(["outbox.concurrency"]);
  });

  it("rejects two stores at once and a non-postgres connection string", () => {
    const both = problemsOf(() => validateConfig({ store: { sqlite: "a.db", postgres: "postgres://x/y" } }));
    expect(both[0]?.rule).toMatch(/choose one store/);
    const bad = problemsOf(() => validateConfig({ store: { postgres: "mysql://x/y" } }));
    expect(bad[0]).toMatchObject({ path: "store.postgres" });
  });

  it("applies environment overrides with YAML typing and says which variable was bad", () => {
    const config = validateConfig(
      { http: { port: 8080 } },
      {
        SMSC_GATEWAY__HTTP__PORT: "9100",
        SMSC_GATEWAY__SMSC__BASEURL: "http://127.0.0.1:1",
        SMSC_GATEWAY__SMTP__ENABLED: "false",
      },
    );
    expect(config.http.port).toBe(9100);
    expect(config.smsc.baseUrl).toBe("http://127.0.0.1:1");
    expect(config.smtp.enabled).toBe(false);

    const problems = problemsOf(() => validateConfig({}, { SMSC_GATEWAY__HTTP__PORT: "eighty" }));
    expect(problems[0]).toMatchObject({ path: "http.port", source: "SMSC_GATEWAY__HTTP__PORT" });
    const unknown = problemsOf(() => validateConfig({}, { SMSC_GATEWAY__HTTP__PROT: "1" }));
    expect(unknown[0]).toMatchObject({ path: "http.prot", rule: "unknown configuration key" });
  });

  it("takes credentials from SMSC_LOGIN/SMSC_PSW as strings and never prints them in errors", () => {
    const config = validateConfig({}, { SMSC_LOGIN: "demo", SMSC_PSW: "123456" });
    expect(config.smsc).toMatchObject({ login: "demo", psw: "123456" });
    let message = "";
    try {
      validateConfig({ smsc: { login: "demo", psw: 99887766 } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("smsc.psw");
    expect(message).not.toContain("99887766");
  });

  it("refuses half a credential pair", () => {
    const problems = problemsOf(() => validateConfig({ smsc: { login: "demo" } }));
    expect(problems[0]?.rule).toMatch(/login and psw/);
  });

  it("reports an unreadable file and invalid YAML as config errors", async () => {
    await expect(loadConfig({ file: "/nonexistent/gateway.yaml", env: {} })).rejects.toThrow(
      /cannot read config file/,
    );
    const dir = await mkdtemp(join(tmpdir(), "gw-config-"));
    const file = join(dir, "bad.yaml");
    await writeFile(file, "http: [unclosed\n");
    await expect(loadConfig({ file, env: {} })).rejects.toThrow(/not valid YAML/);
  });
});
