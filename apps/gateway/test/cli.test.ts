import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, SMSC_CLASS_EXIT } from "../src/cli/exit-codes.js";
import { smsc } from "./helpers.js";

const PSW = "s3cret-Password-771";
let simulator: RunningSimulator;
let base: string[];
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "alice", psw: PSW, apikey: "alice-api-key-9911", balance: 50 }],
    rules: { rateLimits: false },
  });
  base = ["--base-url", new URL(simulator.url).origin];
  env = { SMSC_LOGIN: "alice", SMSC_PSW: PSW };
});

afterAll(async () => {
  await simulator?.close();
});

describe("smsc send|cost|status|balance against the simulator", () => {
  it("sends, then reads the status back, in human output", async () => {
    const sent = await smsc(
      [...base, "send", "--phones", "79990000001", "--mes", "hello", "--id", "cli-1"],
      env,
    );
    expect(sent).toMatchObject({ code: EXIT.ok, stderr: "" });
    expect(sent.stdout).toMatch(/^sent: id cli-1, 1 SMS/);
    expect(simulator.inspector.message("cli-1", "79990000001")).toBeDefined();

    const status = await smsc([...base, "status", "--id", "cli-1", "--phone", "79990000001"], env);
    expect(status.code).toBe(EXIT.ok);
    expect(status.stdout).toMatch(/^status -?\d+ \(/);
  });

  it("prints JSON with --json, wherever the flag is placed", async () => {
    const balance = await smsc([...base, "balance", "--json"], env);
    expect(balance.code).toBe(EXIT.ok);
    const parsed = JSON.parse(balance.stdout) as { balance: number };
    expect(typeof parsed.balance).toBe("number");

    const cost = await smsc(["--json", ...base, "cost", "--phones", "79990000001", "--mes", "hi"], env);
    expect(JSON.parse(cost.stdout)).toMatchObject({ cnt: 1 });
  });

  it("passes catalog options through as flags (a bare switch means 1)", async () => {
    const sent = await smsc(
      [
        ...base,
        "--json",
        "send",
        "--phones",
        "79990000002",
        "--mes",
        "hi",
        "--flash",
        "--sender",
        "Shop",
        "--id",
        "cli-flash",
      ],
      env,
    );
    expect(sent.code).toBe(EXIT.ok);
    expect(simulator.inspector.message("cli-flash", "79990000002")).toMatchObject({
      kind: "flash",
      sender: "Shop",
    });
    await smsc([...base, "send", "--phones", "79990000002", "--mes", "plain", "--id", "cli-plain"], env);
    expect(simulator.inspector.message("cli-plain", "79990000002")).toMatchObject({ kind: "sms" });
  });

  it("exits 2 naming the field and rule for invalid input, and sends nothing", async () => {
    const before = simulator.inspector.messages().length;
    const bad = await smsc(
      [...base, "--json", "send", "--phones", "79990000003", "--mes", "x", "--maxsms", "abc"],
      env,
    );
    expect(bad.code).toBe(EXIT.invalidInput);
    const error = (JSON.parse(bad.stdout) as { error: { field: string; rule: string } }).error;
    expect(error.field).toBe("maxsms");
    expect(error.rule).toBeTruthy();
    expect(simulator.inspector.messages().length).toBe(before);

    const usage = await smsc([...base, "send", "--no-such-flag"], env);
    expect(usage.code).toBe(EXIT.invalidInput);
  });

  it("exits with the class code of an SMSC error (auth), never printing the password", async () => {
    const wrong = "Wrong-Password-12345";
    const human = await smsc([...base, "balance"], { SMSC_LOGIN: "alice", SMSC_PSW: wrong });
    expect(human.code).toBe(SMSC_CLASS_EXIT.auth);
    expect(human.stderr).toMatch(/error: .*auth/);
    const json = await smsc([...base, "--json", "balance"], { SMSC_LOGIN: "alice", SMSC_PSW: wrong });
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { errorClass: "auth", code: 2 } });
    for (const run of [human, json]) expect(run.stdout + run.stderr).not.toContain(wrong);
  });

  it("exits 3 when SMSC cannot be reached, without echoing credentials", async () => {
    const run = await smsc(["--base-url", "http://127.0.0.1:9", "--timeout", "2000", "balance"], {
      SMSC_APIKEY: "api-key-never-printed",
    });
    expect(run.code).toBe(EXIT.transportNotSent);
    expect(run.stdout + run.stderr).not.toContain("api-key-never-printed");
  });

  it("exits 2 with a clear message when there are no credentials", async () => {
    const run = await smsc([...base, "balance"], {});
    expect(run.code).toBe(EXIT.invalidInput);
    expect(run.stderr).toMatch(/SMSC_LOGIN/);
  });

  it("hands smsc sim its own flags: --help exits 0, an unknown flag exits 2, each reported once", async () => {
    const help = await smsc(["sim", "--help"]);
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toMatch(/--callback-url/);
    const bad = await smsc(["sim", "--bogus"]);
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.stderr.match(/unknown option '--bogus'/g)).toHaveLength(1);
  });

  it("prints the package version", async () => {
    const run = await smsc(["--version"]);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("documents the exit-code table in --help", async () => {
    const run = await smsc(["--help"]);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain("Exit codes:");
    expect(run.stdout).toMatch(new RegExp(`${SMSC_CLASS_EXIT.funds}\\s+funds`));
  });

  it("stops start-up of the gateway on a bad config, naming the path and the rule", async () => {
    const missing = await smsc(["gateway", "--config", "/nonexistent/gateway.yaml"], {});
    expect(missing.code).toBe(EXIT.invalidInput);
    expect(missing.stderr).toMatch(/cannot read config file/);

    const dir = await mkdtemp(join(tmpdir(), "smsc-cli-"));
    const file = join(dir, "gateway.yaml");
    await writeFile(file, "http:\n  port: 99999\nsmtp:\n  domian: [sms.local]\n");
    const bad = await smsc(["--json", "gateway", "--config", file], { SMSC_LOGIN: "x", SMSC_PSW: "y" });
    expect(bad.code).toBe(EXIT.invalidInput);
    const problems = (JSON.parse(bad.stdout) as { error: { problems: { path: string; rule: string }[] } })
      .error.problems;
    expect(problems).toContainEqual(
      expect.objectContaining({ path: "smtp.domian", rule: "unknown configuration key" }),
    );
    expect(problems.find((p) => p.path === "http.port")?.rule).toMatch(/65535/);

    await writeFile(file, "http:\n  port: 9000\n");
    const good = await smsc(["gateway", "--check", "--config", file], { SMSC_APIKEY: "key-from-env" });
    expect(good).toMatchObject({ code: EXIT.ok, stdout: "config is valid\n" });
    const noCredentials = await smsc(["gateway", "--check", "--config", file], {});
    expect(noCredentials.code).toBe(EXIT.invalidInput);
    expect(noCredentials.stderr).toMatch(/smsc: credentials are required/);
    const badEnv = await smsc(["gateway", "--check", "--config", file], { SMSC_GATEWAY__HTTP__PORT: "x" });
    expect(badEnv.code).toBe(EXIT.invalidInput);
    expect(badEnv.stderr).toMatch(/http\.port: .*\(from SMSC_GATEWAY__HTTP__PORT\)/);
  });
});
