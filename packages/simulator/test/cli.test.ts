import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type RunningSimulator, runSimulatorCli, signCallback } from "../src/index.js";
import { DEMO, envelope, rawPost, startCallbackReceiver } from "./helpers.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), handleSignals: false },
  };
}

/** Callbacks travel over real HTTP; a loaded machine can take a while. */
const WAIT = { timeout: 10_000, interval: 20 };

describe("smsc-sim command line", () => {
  const running: RunningSimulator[] = [];
  afterEach(async () => {
    for (const sim of running.splice(0)) await sim.close();
  });

  it("starts with the default demo account, prints its WSDL URL and logs one line per request", async () => {
    const { out, io } = capture();
    const sim = await runSimulatorCli(["node", "smsc-sim", "--port", "0"], io);
    running.push(sim);
    expect(out[0]).toBe(`SMSC simulator ready: ${sim.wsdlUrl}`);
    expect(sim.wsdlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sys\/soap\.php\?wsdl$/);
    const balance = await rawPost(sim, envelope("balance", { login: "", psw: "demo-key" }));
    expect(balance.text).toContain("<balance>1000.00</balance>");
    expect(out.filter((l) => l.includes("get_balance"))).toHaveLength(1);
    expect(out.join("\n")).not.toContain("demo-key");
  });

  it("reads accounts, rules and faults from a YAML config; flags override it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "smsc-sim-"));
    const config = join(dir, "sim.yaml");
    writeFileSync(
      config,
      [
        "port: 1",
        "accounts:",
        "  - { login: shop, psw: s3cret, balance: 12.5, prices: { sms: 2 } }",
        "rules:",
        "  phones: [{ prefix: '7911', sendError: 8 }]",
        "faults:",
        "  - { match: { operation: get_sms_cost }, httpStatus: 503 }",
      ].join("\n"),
    );
    const { io } = capture();
    const sim = await runSimulatorCli(
      ["node", "smsc-sim", "--config", config, "--port", "0", "--quiet", "--no-rate-limits"],
      io,
    );
    running.push(sim);
    const shop = { login: "shop", psw: "s3cret" };
    expect((await rawPost(sim, envelope("balance", shop))).text).toContain("<balance>12.50</balance>");
    expect((await rawPost(sim, envelope("balance", DEMO))).text).toContain("<error>2</error>");
    expect(
      (await rawPost(sim, envelope("send", { ...shop, phones: "79110000000", mes: "x" }))).text,
    ).toContain("<error>8</error>");
    expect((await rawPost(sim, envelope("cost", { ...shop, phones: "79990000000", mes: "x" }))).status).toBe(
      503,
    );
  });

  it("flags set the callback URL and secret, rule switches, lifecycle timing and duplicated callbacks", async () => {
    const receiver = await startCallbackReceiver();
    const { io } = capture();
    const sim = await runSimulatorCli(
      [
        "node",
        "smsc-sim",
        "--port=0",
        "--quiet",
        `--callback-url=${receiver.url}`,
        "--callback-secret=flag-secret",
        "--callback-duplicate",
        "--disable-rule=balance-polling",
        "--handoff-ms=5",
        "--delivery-ms=5",
      ],
      io,
    );
    running.push(sim);
    try {
      for (let i = 0; i < 12; i++) {
        expect((await rawPost(sim, envelope("balance", DEMO))).text).toContain("<error>0</error>");
      }
      await rawPost(sim, envelope("send", { ...DEMO, phones: "79991234567", mes: "via flags", id: "f1" }));
      await vi.waitFor(
        () => expect(receiver.received.filter((r) => r.fields["status"] === "1")).toHaveLength(2),
        WAIT,
      );
      const delivered = receiver.received.find((r) => r.fields["status"] === "1")!.fields;
      expect(delivered["sha1"]).toBe(
        signCallback({ id: "f1", phone: "79991234567", status: 1 }, "flag-secret").sha1,
      );
      // Other rules stay on: an identical send within the minute is still refused.
      const again = await rawPost(
        sim,
        envelope("send", { ...DEMO, phones: "79991234567", mes: "via flags", id: "f1" }),
      );
      expect(again.text).toContain("<error>9</error>");
    } finally {
      await receiver.close();
    }
  });

  it("--account adds accounts (and replaces the default demo one); a malformed one is refused", async () => {
    const { io } = capture();
    const sim = await runSimulatorCli(
      ["node", "smsc-sim", "--port=0", "--quiet", "--account=shop:s3cret:shop-key:25.5", "--account=ops:pw"],
      io,
    );
    running.push(sim);
    expect((await rawPost(sim, envelope("balance", { login: "", psw: "shop-key" }))).text).toContain(
      "<balance>25.50</balance>",
    );
    expect((await rawPost(sim, envelope("balance", { login: "ops", psw: "pw" }))).text).toContain(
      "<balance>1000.00</balance>",
    );
    expect((await rawPost(sim, envelope("balance", DEMO))).text).toContain("<error>2</error>");
    await expect(runSimulatorCli(["node", "smsc-sim", "--account=nopassword"], capture().io)).rejects.toThrow(
      /login:psw/,
    );
  });

  it("a bad config names the field and the rule", async () => {
    const dir = mkdtempSync(join(tmpdir(), "smsc-sim-"));
    const config = join(dir, "bad.yaml");
    writeFileSync(config, "accounts:\n  - { login: shop, psw: x, balance: -5 }\n");
    await expect(runSimulatorCli(["node", "smsc-sim", "--config", config], capture().io)).rejects.toThrow(
      /accounts\.0\.balance/,
    );
    writeFileSync(config, "acounts: []\n");
    await expect(runSimulatorCli(["node", "smsc-sim", "--config", config], capture().io)).rejects.toThrow(
      /acounts/,
    );
  });

  it("--version and --help answer through commander's exit path, without starting a server", async () => {
    const { out, io } = capture();
    await expect(runSimulatorCli(["node", "smsc-sim", "--version"], io)).rejects.toMatchObject({
      exitCode: 0,
    });
    expect(out.join("\n")).toMatch(/^\d+\.\d+\.\d+/);
    await expect(runSimulatorCli(["node", "smsc-sim", "--help"], io)).rejects.toMatchObject({ exitCode: 0 });
    expect(out.join("\n")).toContain("--callback-url");
  });

  it("rejects a bad --fault spec naming the key", async () => {
    await expect(
      runSimulatorCli(["node", "smsc-sim", "--port", "0", "--fault", "boom=1"], capture().io),
    ).rejects.toThrow(/boom/);
  });

  it("runs as a process until SIGTERM", async () => {
    const cli = fileURLToPath(new URL("../src/cli.ts", import.meta.url));
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", cli, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const ready = await new Promise<string>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /ready: (\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.on("exit", (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    const text = await (await fetch(ready)).text();
    expect(text).toContain("wsdl:definitions");
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("SIGTERM: closing");
  });
});
