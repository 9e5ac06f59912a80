import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { freePort } from "../src/cli/free-port.js";
import { type SmscChild, spawnSmsc } from "./child.js";
import { launchChromium } from "./chromium.js";

/**
 * The whole thing as a user runs it: `smsc sim` and `smsc gateway` as child processes, mail in through
 * nodemailer, delivery seen on the status page and in /metrics, and the page checked in a real chromium.
 */

const PSW = "Gateway-Psw-90210";
const CALLBACK_SECRET = "callback-secret-31337";
const SMTP_PASSWORD = "smtp-Password-8080";
const GOOD_PHONE = "79990001111";
const REFUSED_PHONE = "79990006666";

let sim: SmscChild | undefined;
let gateway: SmscChild | undefined;
let browser: Browser | undefined;
let httpUrl = "";
let smtpPort = 0;

async function text(path: string): Promise<string> {
  const response = await fetch(`${httpUrl}${path}`);
  return response.text();
}

function mail(to: string, body: string) {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
    auth: { user: "shop", pass: SMTP_PASSWORD },
  });
  return transport
    .sendMail({ from: "shop@example.com", to, subject: "order", text: body })
    .finally(() => transport.close());
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "smsc-e2e-"));
  const httpPort = await freePort("127.0.0.1", 0);
  await writeFile(
    join(dir, "sim.yaml"),
    stringify({
      accounts: [
        {
          login: "gw",
          psw: PSW,
          callback: { url: `http://127.0.0.1:${httpPort}/smsc/callback`, secret: CALLBACK_SECRET },
        },
      ],
      rules: { rateLimits: false, lifecycle: { handoffMs: 200, deliveryMs: 300 } },
      // SMSC refuses this recipient once (error 8, a permanent class): dead letter, then a redrive succeeds.
      faults: [
        { match: { operation: ["send_sms", "send_sms2"], phonePrefix: REFUSED_PHONE }, error: 8, times: 1 },
      ],
    }),
  );
  sim = spawnSmsc(["sim", "--config", join(dir, "sim.yaml"), "--port", "0", "--quiet"]);
  const simUrl = new URL((await sim.waitFor(/SMSC simulator ready: (\S+)/))[1] ?? "").origin;

  await writeFile(
    join(dir, "gateway.yaml"),
    stringify({
      smsc: { baseUrl: simUrl, login: "gw" },
      store: { sqlite: join(dir, "gateway.sqlite") },
      smtp: { port: 0, domains: ["sms.local"], users: [{ username: "shop", password: SMTP_PASSWORD }] },
      webhook: { secret: CALLBACK_SECRET },
      http: { port: httpPort },
      log: { level: "info" },
    }),
  );
  // The password comes from the environment, as in production.
  gateway = spawnSmsc(["gateway", "--config", join(dir, "gateway.yaml")], { SMSC_PSW: PSW });
  const started = await gateway.waitFor(/\{[^\n]*"msg":"gateway started"[^\n]*\}/);
  const line = JSON.parse(started[0]) as { http: string; smtp: string };
  httpUrl = line.http;
  smtpPort = Number(line.smtp.split(":").pop());
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const child of [gateway, sim]) {
    if (child && child.child.exitCode === null) {
      child.child.kill("SIGKILL");
      await child.exit;
    }
  }
});

describe("gateway end to end", () => {
  it("delivers an e-mail as an SMS, visible on the status page and in /metrics", async () => {
    const accepted = await mail(`${GOOD_PHONE}@sms.local`, "Your order has shipped.");
    expect(accepted.response).toMatch(/^250 /);

    await vi.waitFor(
      async () => {
        const page = await text("/");
        const row = page
          .match(/<tr data-row="[^"]+"[^>]*>(?:(?!<\/tr>)[\s\S])*<\/tr>/g)
          ?.find((r) => r.includes(GOOD_PHONE));
        expect(row, "the status page to show the delivery").toContain('<td class="state">sent</td>');
        expect(row).toContain('data-status="1"');
      },
      { timeout: 20_000, interval: 150 },
    );
    const metrics = await vi.waitFor(
      async () => {
        const body = await text("/metrics");
        expect(body, "/metrics to count the callback").toMatch(
          /smsc_status_updates_total\{status="1",source="callback"\} 1\b/,
        );
        return body;
      },
      { timeout: 20_000, interval: 150 },
    );
    expect(metrics).toMatch(/smsc_outbox_rows\{outbox="default",state="sent"\} 1\b/);
    expect(metrics).toMatch(/smsc_relay_messages_total\{outcome="enqueued"\} 1\b/);
    expect(metrics).toMatch(/smsc_webhook_requests_total\{code="200"\} [1-9]/);
    expect(metrics).toMatch(/smsc_webhook_callbacks_total\{outcome="applied"\} [1-9]/);
    expect(await text("/healthz")).toBe("ok\n");
    expect(JSON.parse(await text("/readyz"))).toEqual({ ready: true, reasons: [] });
  });

  it("shows the page in chromium and redrives a dead letter with the form", async () => {
    await mail(`${REFUSED_PHONE}@sms.local`, "This one is refused first.");
    await vi.waitFor(
      async () =>
        expect(await text("/"), "the refused message to reach the dead letter").toContain(
          '<table id="dead-letter">',
        ),
      { timeout: 20_000, interval: 150 },
    );
    if (!browser) throw new Error("no browser");
    const page = await browser.newPage();
    await page.goto(`${httpUrl}/`);
    expect(await page.title()).toBe("smsc gateway");
    expect(await page.locator("#pause-state").textContent()).toContain("Outbox running");
    expect(await page.locator('#queue tr[data-state="sent"] .count').textContent()).toBe("1");
    const delivered = page.locator("#recent tr", { hasText: GOOD_PHONE });
    expect(await delivered.locator(".state").textContent()).toBe("sent");
    expect(await delivered.locator('li[data-status="1"]').textContent()).toContain("Delivered");

    const dead = page.locator("#dead-letter tr", { hasText: REFUSED_PHONE });
    expect(await dead.textContent()).toMatch(/invalid_recipient/);
    await dead.getByRole("button", { name: "Redrive" }).click();
    await page.waitForURL(/notice=/);
    expect(await page.locator("#notice").textContent()).toMatch(/redriven/);

    // Back in the queue with its SMSC id. (The outbox then waits out SMSC's one-minute duplicate-send window
    // before sending the same request again, so the test does not wait for "sent".)
    await page.goto(`${httpUrl}/`);
    const again = page.locator("#recent tr", { hasText: REFUSED_PHONE });
    expect(["queued", "sending", "sent"]).toContain(await again.locator(".state").textContent());
    expect(await again.locator("li.step").allTextContents()).toContainEqual(
      expect.stringMatching(/dead letter \(invalid_recipient 8\) via outbox/),
    );
    expect(await again.locator("li.step").allTextContents()).toContainEqual(
      expect.stringMatching(/back in the queue \(redriven from the dead letter\)/),
    );
    // The history says why it has not gone out yet.
    await vi.waitFor(
      async () => {
        await page.goto(`${httpUrl}/`);
        const steps = await page
          .locator("#recent tr", { hasText: REFUSED_PHONE })
          .locator("li.step")
          .allTextContents();
        expect(steps, "the status page to explain the wait").toContainEqual(
          expect.stringMatching(/waiting \(duplicate window\)|handed to SMSC/),
        );
      },
      { timeout: 20_000, interval: 150 },
    );
    expect(await page.locator("#dead-letter-empty").isVisible()).toBe(true);
    await page.close();
  });

  it("refuses a cross-site redrive POST", async () => {
    const response = await fetch(`${httpUrl}/dead-letter/1/redrive`, {
      method: "POST",
      headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      redirect: "manual",
    });
    expect(response.status).toBe(403);
  });

  it("shuts down cleanly on SIGTERM and never logged a secret", async () => {
    if (!gateway) throw new Error("no gateway");
    gateway.child.kill("SIGTERM");
    expect(await gateway.exit).toBe(0);
    expect(gateway.stdout()).toMatch(/"msg":"gateway stopped"/);
    const everything = gateway.stdout() + gateway.stderr() + (sim?.stdout() ?? "") + (sim?.stderr() ?? "");
    for (const secret of [PSW, SMTP_PASSWORD, CALLBACK_SECRET]) expect(everything).not.toContain(secret);
  });
});
