import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient } from "@smsc-kit/core";
import { createOutbox, openSqliteStore } from "@smsc-kit/outbox";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/cli/exit-codes.js";
import { spawnSmsc } from "./child.js";

const PSW = "list-Password-4242";
const BAD_PHONE = "79995550000";
let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "bulk", psw: PSW }],
    // One recipient SMSC refuses for good (inside a request of several it is listed under `errors`): it must
    // end in the summary as failed, by reason.
    rules: { rateLimits: false, phones: [{ prefix: BAD_PHONE, sendError: 7 }] },
    faults: [
      // Slow sends give the test time to interrupt in the middle of the list.
      { match: { operation: ["send_sms", "send_sms2"] }, latencyMs: 300 },
    ],
  });
});

afterAll(async () => {
  await simulator?.close();
});

describe("smsc send --list", () => {
  it("is resumable after Ctrl-C and never sends a row twice", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smsc-list-"));
    const csv = join(dir, "recipients.csv");
    const phones = ["79990001001", "79990001002", "79990001003", BAD_PHONE, "79990001004", "79990001005"];
    await writeFile(csv, `phone,name\n${phones.map((p, i) => `${p},Person ${i + 1}`).join("\n")}\n`);
    const args = [
      "--base-url",
      new URL(simulator.url).origin,
      "send",
      "--list",
      csv,
      "--mes",
      "Hi {name}",
      "--concurrency",
      "1",
      // Two messages per request: several requests, so the run can be interrupted between them.
      "--per-request",
      "2",
    ];
    const env = { SMSC_LOGIN: "bulk", SMSC_PSW: PSW };

    const first = spawnSmsc(args, env);
    await first.waitFor(/sent [23] /);
    first.child.kill("SIGINT");
    expect(await first.exit).toBe(EXIT.interrupted);
    expect(first.stdout()).toMatch(/interrupted: run the same command again/);
    // Accepted messages (a recipient refused inside a request is kept by the simulator with no parts).
    const accepted = () => simulator.inspector.messages().filter((m) => m.parts > 0);
    const afterFirst = accepted().length;
    expect(afterFirst).toBeGreaterThanOrEqual(2);
    expect(afterFirst).toBeLessThan(phones.length - 1);

    const second = spawnSmsc(["--json", ...args], env);
    const code = await second.exit;
    const summary = JSON.parse(second.stdout()) as {
      total: number;
      newlyEnqueued: number;
      sent: number;
      failed: number;
      failedByReason: Record<string, number>;
    };
    expect(code).toBe(EXIT.partial);
    expect(summary).toMatchObject({ total: 6, newlyEnqueued: 0, sent: 5, failed: 1 });
    expect(Object.keys(summary.failedByReason).join()).toMatch(/invalid_recipient/);

    // Exactly one message per good phone reached SMSC across both runs, with the template filled in.
    const delivered = accepted();
    expect(delivered.map((m) => m.phone).sort()).toEqual(phones.filter((p) => p !== BAD_PHONE).sort());
    expect(delivered.find((m) => m.phone === "79990001003")?.mes).toBe("Hi Person 3");

    for (const run of [first, second]) expect(run.stdout() + run.stderr()).not.toContain(PSW);
  }, 60_000);
});

describe("smsc send --list with an edited file", () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      accounts: [{ login: "bulk", psw: PSW }],
      rules: { rateLimits: false },
    });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const env = { SMSC_LOGIN: "bulk", SMSC_PSW: PSW };
  const argsFor = (csv: string, ...extra: string[]) => [
    "--json",
    "--base-url",
    new URL(sim.url).origin,
    "send",
    "--list",
    csv,
    ...extra,
  ];
  const sentTo = () =>
    sim.inspector
      .messages()
      .map((m) => `${m.phone}:${m.mes}`)
      .sort();

  it("sends only the new row after a row is inserted at the top, and reports repeated rows", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smsc-list-edit-"));
    const csv = join(dir, "campaign.csv");
    await writeFile(
      csv,
      "phone,text\n79990002001,Hello A\n79990002002,Hello B\n+7 999 000-20-01,Hello A\n79990002003,Hello C\n",
    );
    const first = spawnSmsc(argsFor(csv), env);
    expect(await first.exit).toBe(EXIT.ok);
    const firstSummary = JSON.parse(first.stdout()) as Record<string, unknown>;
    expect(firstSummary).toMatchObject({
      campaign: "campaign.csv",
      rows: 4,
      total: 3,
      newlyEnqueued: 3,
      sent: 3,
      duplicates: [{ line: 4, sameAs: 2 }],
    });
    expect(first.stderr()).toContain("line 4 repeats line 2");
    expect(sentTo()).toEqual(["79990002001:Hello A", "79990002002:Hello B", "79990002003:Hello C"]);

    // The user inserts one row at the top (every other row moves down a line) and runs the same command.
    await writeFile(
      csv,
      "phone,text\n79990002009,Hello new\n79990002001,Hello A\n79990002002,Hello B\n+7 999 000-20-01,Hello A\n79990002003,Hello C\n",
    );
    const second = spawnSmsc(argsFor(csv), env);
    expect(await second.exit).toBe(EXIT.ok);
    expect(JSON.parse(second.stdout())).toMatchObject({ rows: 5, total: 4, newlyEnqueued: 1, sent: 4 });
    expect(sentTo()).toEqual([
      "79990002001:Hello A",
      "79990002002:Hello B",
      "79990002003:Hello C",
      "79990002009:Hello new",
    ]);

    // Another campaign over the same file is a new set of messages, on purpose.
    const again = spawnSmsc(argsFor(csv, "--campaign", "reminder"), env);
    expect(await again.exit).toBe(EXIT.ok);
    expect(JSON.parse(again.stdout())).toMatchObject({ campaign: "reminder", newlyEnqueued: 4 });
    expect(sim.inspector.messages()).toHaveLength(8);
  }, 60_000);

  it("reports unsent messages of an earlier version of the file that the outbox still holds", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smsc-list-stale-"));
    const csv = join(dir, "stale.csv");
    // An earlier run queued row B with a typo and was stopped before sending it (Ctrl-C, a crash, no money).
    const store = openSqliteStore({ filename: `${csv}.outbox.sqlite` });
    const client = createSmscClient({ login: "bulk", psw: PSW }, { baseUrl: new URL(sim.url).origin });
    const earlier = createOutbox({ store, client });
    await earlier.enqueue({ phones: "79990003002", mes: "Helo B", idempotencyKey: "earlier-run-line-3" });
    await earlier.stop();
    await store.close();
    await client.close();

    // The user fixes the typo in the file and runs it: the old row is still in the outbox, and is reported.
    await writeFile(csv, "phone,text\n79990003001,Hello A\n79990003002,Hello B\n");
    const run = spawnSmsc(argsFor(csv), env);
    expect(await run.exit).toBe(EXIT.ok);
    expect(JSON.parse(run.stdout())).toMatchObject({ total: 2, newlyEnqueued: 2, sent: 2, earlierUnsent: 1 });
    expect(run.stderr()).toMatch(/warning: 1 unsent message\(s\) in the outbox are not in the file/);
  }, 60_000);

  it("sends a row that names one subscriber twice (two spellings) to that subscriber once, and says so", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smsc-list-same-phone-"));
    const csv = join(dir, "same-phone.csv");
    await writeFile(csv, 'phone,text\n"79990005001,+7 999 000-50-01;79990005002",Once each\n');
    const run = spawnSmsc(argsFor(csv), env);
    expect(await run.exit).toBe(EXIT.ok);
    expect(JSON.parse(run.stdout())).toMatchObject({
      total: 1,
      sent: 1,
      repeatedRecipients: [{ line: 2, phone: "+7 999 000-50-01", sameAs: "79990005001" }],
    });
    expect(run.stderr()).toContain("line 2 names 79990005001 again as +7 999 000-50-01: sent once");
    const sent = sim.inspector.messages().filter((m) => m.mes === "Once each");
    expect(sent.map((m) => m.phone).sort()).toEqual(["79990005001", "79990005002"]);
  }, 60_000);

  it("lists the first repeated lines on the terminal and every one of them in --json", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smsc-list-dups-"));
    const csv = join(dir, "dups.csv");
    await writeFile(csv, `phone,text\n${"79990004001,Same\n".repeat(26)}`);
    const run = spawnSmsc(argsFor(csv), env);
    expect(await run.exit).toBe(EXIT.ok);
    const summary = JSON.parse(run.stdout()) as {
      sent: number;
      duplicates: { line: number; sameAs: number }[];
    };
    expect(summary.sent).toBe(1);
    expect(summary.duplicates).toHaveLength(25);
    expect(summary.duplicates.at(-1)).toEqual({ line: 27, sameAs: 2 });
    expect(run.stderr().match(/repeats line 2/g)).toHaveLength(20);
    expect(run.stderr()).toContain("… and 5 more repeated lines");
    expect(sim.inspector.messages().filter((m) => m.phone === "79990004001")).toHaveLength(1);
  }, 60_000);
});

describe("smsc send --list with texts SMSC would cut", () => {
  it("says which lines need more parts than --maxsms allows, and still sends them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smsc-list-maxsms-"));
    const csv = join(dir, "recipients.csv");
    await writeFile(csv, `phone,text\n79990002001,short\n79990002002,${"Ж".repeat(100)}\n`);
    const run = spawnSmsc(
      ["--base-url", new URL(simulator.url).origin, "send", "--list", csv, "--maxsms", "1"],
      { SMSC_LOGIN: "bulk", SMSC_PSW: PSW },
    );
    expect(await run.exit).toBe(EXIT.ok);
    expect(run.stderr()).toMatch(
      /line 3: mes needs 2 SMS parts \(ucs2\) but maxsms allows 1: SMSC would cut the text/,
    );
    expect(run.stderr()).not.toMatch(/line 2:/);
  }, 60_000);
});
