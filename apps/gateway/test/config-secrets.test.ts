import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, validateConfig } from "../src/config/load.js";

describe("config: secrets and strings from the environment are literal", () => {
  it("keeps a password with ' #' whole (YAML would read the rest as a comment)", () => {
    const config = validateConfig(
      { smtp: { users: [] } },
      {
        SMSC_GATEWAY__SMSC__LOGIN: "shop",
        SMSC_GATEWAY__SMSC__PSW: "correct horse #battery",
        SMSC_GATEWAY__WEBHOOK__SECRET: "s3cret: {not a map}",
        SMSC_GATEWAY__HTTP__AUTH__USERNAME: "admin",
        SMSC_GATEWAY__HTTP__AUTH__PASSWORD: "'quoted' & *anchor",
      },
    );
    expect(config.smsc.psw).toBe("correct horse #battery");
    expect(config.webhook.secret).toBe("s3cret: {not a map}");
    expect(config.http.auth?.password).toBe("'quoted' & *anchor");
  });

  it("keeps string keys that look like other YAML types as strings", () => {
    const config = validateConfig(
      {},
      {
        SMSC_LOGIN: "007",
        SMSC_PSW: "null",
        SMSC_GATEWAY__SMTP__DEFAULTSENDER: "true",
        SMSC_GATEWAY__HTTP__HOST: "127.0.0.1 # loopback",
        // Not a loopback address as a literal string, so the status page must be opened to it in words.
        SMSC_GATEWAY__HTTP__ALLOWUNAUTHENTICATED: "true",
        SMSC_GATEWAY__LOG__LEVEL: "warn",
      },
    );
    expect(config.smsc.login).toBe("007");
    expect(config.smsc.psw).toBe("null");
    expect(config.smtp.defaultSender).toBe("true");
    expect(config.http.host).toBe("127.0.0.1 # loopback");
    expect(config.log.level).toBe("warn");
  });

  it("still types numbers and booleans from the environment", () => {
    const config = validateConfig(
      {},
      { SMSC_GATEWAY__HTTP__PORT: "9100", SMSC_GATEWAY__SMTP__ENABLED: "false" },
    );
    expect(config.http.port).toBe(9100);
    expect(config.smtp.enabled).toBe(false);
  });
});

describe("config: a file holding a password readable by group or others", () => {
  const write = async (text: string, mode: number) => {
    const dir = await mkdtemp(join(tmpdir(), "gw-mode-"));
    const file = join(dir, "gateway.yaml");
    await writeFile(file, text);
    await chmod(file, mode);
    return file;
  };
  const load = async (file: string) => {
    const warnings: string[] = [];
    await loadConfig({ file, env: {}, onWarning: (message) => warnings.push(message) });
    return warnings;
  };

  it("warns, naming the file and its mode, and never the password", async () => {
    const file = await write("smsc:\n  login: shop\n  psw: hunter22\n", 0o644);
    const warnings = await load(file);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toContain("0644");
    expect(warnings[0]).not.toContain("hunter22");
  });

  it("warns for a nested secret (an SMTP user's password) readable by the group", async () => {
    const file = await write("smtp:\n  users:\n    - { username: app, password: pw-1234 }\n", 0o640);
    expect((await load(file))[0]).toContain("0640");
  });

  it("warns for a password inside a connection URL (store.postgres), never echoing it", async () => {
    const file = await write("store:\n  postgres: postgres://app:hunter22@db.example:5432/app\n", 0o644);
    const warnings = await load(file);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("0644");
    expect(warnings[0]).not.toContain("hunter22");
    const query = await write("store:\n  postgres: postgres://db.example/app?password=hunter22\n", 0o604);
    expect((await load(query))[0]).toContain("0604");
  });

  it("stays quiet for a connection URL without a password", async () => {
    expect(await load(await write("store:\n  postgres: postgres://app@db.example/app\n", 0o644))).toEqual([]);
  });

  it("stays quiet for mode 0600, and for a readable file without secrets", async () => {
    expect(await load(await write("smsc:\n  login: shop\n  psw: hunter22\n", 0o600))).toEqual([]);
    expect(await load(await write("http:\n  port: 0\n", 0o644))).toEqual([]);
  });
});
