import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/cli/free-port.js";
import { type SmscChild, spawnSmsc } from "./child.js";

/**
 * The status page's "recent messages" come from the stores, not from the memory of the process that sent
 * them: gateway A sends a mail as an SMS and receives its delivery callback, then stops; gateway B, a fresh
 * process on the same store that never saw the message, shows it with its callback history.
 */

const PSW = "Recent-Psw-4711";
const CALLBACK_SECRET = "recent-callback-secret";
const PHONE = "79990004242";
let simulator: RunningSimulator;
let dir = "";
const children: SmscChild[] = [];

/** The status page's table row for PHONE, once it matches `ready`. */
async function messageRow(httpUrl: string, ready: (row: string) => boolean): Promise<string | undefined> {
  const page = await (await fetch(`${httpUrl}/`)).text();
  const row = page
    .match(/<tr data-row="[^"]+"[^>]*>(?:(?!<\/tr>)[\s\S])*<\/tr>/g)
    ?.find((r) => r.includes(PHONE));
  return row !== undefined && ready(row) ? row : undefined;
}

async function startGateway(
  name: string,
  settings: Record<string, unknown>,
): Promise<SmscChild & { http: string; smtp: string | null }> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      smsc: { baseUrl: new URL(simulator.url).origin, login: "recent" },
      store: { sqlite: join(dir, "gateway.sqlite") },
      webhook: { secret: CALLBACK_SECRET },
      ...settings,
    }),
  );
  const child = spawnSmsc(["gateway", "--config", file], { SMSC_PSW: PSW });
  children.push(child);
  const line = JSON.parse((await child.waitFor(/\{[^\n]*"msg":"gateway started"[^\n]*\}/))[0]) as {
    http: string;
    smtp: string | null;
  };
  return Object.assign(child, { http: line.http, smtp: line.smtp });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "smsc-recent-"));
}, 60_000);

afterAll(async () => {
  for (const child of children) {
    if (child.child.exitCode === null) {
      child.child.kill("SIGKILL");
      await child.exit;
    }
  }
  await simulator?.close();
});

describe("recent messages on the status page", () => {
  it("shows a message another gateway process sent, with its callback history", async () => {
    const httpPort = await freePort("127.0.0.1", 0);
    simulator = await startSimulator({
      port: 0,
      accounts: [
        {
          login: "recent",
          psw: PSW,
          callback: { url: `http://127.0.0.1:${httpPort}/smsc/callback`, secret: CALLBACK_SECRET },
        },
      ],
      rules: { rateLimits: false, lifecycle: { handoffMs: 100, deliveryMs: 100 } },
    });
    const a = await startGateway("a", {
      smtp: { port: 0, domains: ["sms.local"], users: [{ username: "shop", password: "shop-pass" }] },
      http: { port: httpPort },
    });
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: Number(a.smtp?.split(":").pop()),
      secure: false,
      ignoreTLS: true,
      auth: { user: "shop", pass: "shop-pass" },
    });
    await transport
      .sendMail({ from: "shop@example.com", to: `${PHONE}@sms.local`, subject: "x", text: "Parcel is here" })
      .finally(() => transport.close());
    await vi.waitFor(
      async () =>
        expect(
          await messageRow(a.http, (row) => row.includes('data-status="1"')),
          "gateway A to record the delivery callback",
        ).toBeDefined(),
      { timeout: 20_000, interval: 150 },
    );
    a.child.kill("SIGTERM");
    expect(await a.exit).toBe(0);

    // B never touched the message: no relay, no workers, an empty journal.
    const b = await startGateway("b", {
      smtp: { enabled: false },
      outbox: { enabled: false },
      http: { port: 0 },
    });
    const row = await messageRow(b.http, () => true);
    expect(row).toBeDefined();
    expect(row).toContain('<td class="state">sent</td>');
    expect(row).toMatch(/<li data-status="1">[^<]*Delivered[^<]*<small>via callback<\/small><\/li>/);
    expect(row).toMatch(/<li class="step">[^<]*handed to SMSC \(1 SMS\) <small>via outbox<\/small><\/li>/);
    const sent = simulator.inspector.messages().find((m) => m.phone === PHONE);
    expect(sent).toBeDefined();
    expect(row).toContain(sent?.id ?? "no id");
  }, 60_000);
});
