import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort } from "../src/cli/free-port.js";
import { validateConfig } from "../src/config/load.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";
import { launchChromium } from "./chromium.js";

/**
 * The dashboard in chromium over a running gateway and the simulator: sends that are delivered, fail on delivery
 * and are refused by SMSC, then the charts, the search by a phone written another way, 500 messages paged
 * through, a redrive from the message page, live updates, and the screenshots the README shows.
 */

const PSW = "Dash-Psw-4242";
const SECRET = "dash-callback-secret";
const AUTH = { username: "ops", password: "ops-Password-77" };
const DELIVERED = ["79990000030", "79990000031", "79990000032", "79990000033", "79990000034", "79990000035"];
const UNDELIVERED = ["79990020001", "79990020002"];
const REFUSED = ["79990080001", "79990080002"];
const SHOTS = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));

let simulator: RunningSimulator;
let gateway: RunningGateway;
let browser: Browser;
let context: BrowserContext;
const authHeader = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString("base64")}`;

beforeAll(async () => {
  const httpPort = await freePort("127.0.0.1", 0);
  simulator = await startSimulator({
    port: 0,
    accounts: [
      {
        login: "dash",
        psw: PSW,
        balance: 500,
        prices: { sms: 1.5 },
        callback: { url: `http://127.0.0.1:${httpPort}/smsc/callback`, secret: SECRET },
      },
    ],
    rules: {
      rateLimits: false,
      lifecycle: { handoffMs: 50, deliveryMs: 100 },
      phones: [
        { prefix: "7999002", status: 20, err: 1 },
        { prefix: "7999008", sendError: 8 },
      ],
    },
  });
  const dir = await mkdtemp(join(tmpdir(), "smsc-dash-"));
  const config = validateConfig({
    smsc: { baseUrl: new URL(simulator.url).origin, login: "dash", psw: PSW },
    store: { sqlite: join(dir, "gw.sqlite") },
    smtp: { enabled: false },
    webhook: { secret: SECRET },
    http: { host: "127.0.0.1", port: httpPort, auth: AUTH },
  });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  gateway = await startGateway(config, createLogger({ destination: quiet }));
  browser = await launchChromium();
  context = await browser.newContext({ httpCredentials: AUTH });
  await mkdir(SHOTS, { recursive: true });

  for (const phone of [...DELIVERED, ...UNDELIVERED, ...REFUSED]) {
    // cost=3: SMSC answers with the cost and the new balance, which the outbox stores (the spend chart's figures).
    await gateway.outbox.enqueue({
      phones: phone,
      mes: `Order for ${phone} has shipped`,
      cost: 3,
      meta: { run: "scripted" },
    });
  }
  // Everything reached its end: delivered, failed on delivery, dead-lettered by SMSC's refusal.
  await vi.waitFor(
    async () => {
      const { totals } = await gateway.outbox.insights.activity({ windowMs: 3_600_000, bucketMs: 60_000 });
      expect(totals.delivered).toBe(DELIVERED.length);
      expect(totals.failed).toBe(UNDELIVERED.length + REFUSED.length);
    },
    { timeout: 30_000, interval: 100 },
  );
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await gateway?.close();
  await simulator?.close();
});

async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const response = await page.goto(`${gateway.httpUrl}${path}`);
  expect(response?.status()).toBe(200);
  // No CSP violation or failed asset: the page works within the gateway's security headers.
  expect(errors).toEqual([]);
  return page;
}

describe("dashboard in chromium", () => {
  it("draws the throughput, funnel, failures and spend from the scripted run", async () => {
    const page = await open("/dashboard");
    const total = Number(await page.locator("#chart-hour svg.chart-wide").getAttribute("data-total"));
    // accepted 10 + sent 8 + delivered 6 + failed 4
    expect(total).toBe(28);
    const delivered = await page
      .locator('#chart-hour .chart-wide polyline[data-series="delivered"]')
      .getAttribute("points");
    const heights = (delivered ?? "").split(" ").map((p) => Number(p.split(",")[1]));
    expect(Math.min(...heights)).toBeLessThan(Math.max(...heights));
    const box = await page.locator("#chart-hour svg.chart-wide").boundingBox();
    expect(box?.height).toBeGreaterThan(100);
    expect(await page.locator("#chart-hour .chart-wide title").textContent()).toBe(
      "Messages per minute, last hour",
    );
    await expect.poll(() => page.locator("#chart-spend rect").count()).toBeGreaterThan(0);

    const funnel = await page.locator("#funnel").textContent();
    expect(funnel).toMatch(/accepted 10/);
    expect(funnel).toMatch(/delivered 6/);
    expect(funnel).toMatch(/75\.0%/); // 6 of the 8 sent
    const refused = page.locator('#failures tr[data-source="send"][data-code="8"]');
    expect(await refused.textContent()).toMatch(
      /^SMSC error 8\s*The message cannot be delivered.*invalid_recipient\s*2$/s,
    );
    const undelivered = page.locator('#failures tr[data-source="delivery"][data-code="1"]');
    expect(await undelivered.textContent()).toMatch(/Subscriber does not exist/);
    expect(await page.locator("#balance").textContent()).toMatch(/488\.00/); // 500 − 8 sent × 1.5 (the refused two cost nothing)
    expect(await page.locator("#pause-state").textContent()).toMatch(/running/);
    expect(await page.locator("#dead-letter").textContent()).toMatch(/2/);

    await page.screenshot({ path: join(SHOTS, "overview-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, "overview-phone.png"), fullPage: true });
    await page.close();
  });

  it("updates the overview in place when new messages arrive, without reloading the page", async () => {
    const page = await open("/dashboard");
    // Page-side code as text: this file is type-checked without the DOM library.
    await page.evaluate("window.stayed = true");
    const accepted = page.locator('#funnel li[data-step="accepted"] strong');
    expect(await accepted.textContent()).toBe("10");
    await gateway.outbox.enqueue({ phones: "79990000036", mes: "live" });
    // live.js polls every 5 s; the new figure arrives in place.
    await expect.poll(() => accepted.textContent(), { timeout: 20_000, interval: 200 }).toBe("11");
    // The same document: a reload would have dropped the marker.
    expect(await page.evaluate("window.stayed")).toBe(true);
    await page.close();
  });

  it("finds a message by its phone written in another format", async () => {
    const page = await open("/dashboard/messages");
    await page.fill("#q-phone", "8 (999) 000-00-30");
    await Promise.all([page.waitForURL(/phone=/), page.click("button[type=submit]")]);
    const rows = page.locator("#results tbody tr");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("79990000030");
    await page.close();
  });

  it("walks 500 messages page by page without a repeat or a gap", async () => {
    const batch = Array.from({ length: 500 }, (_, i) => ({
      phones: `7999100${String(i).padStart(4, "0")}`,
      mes: `page walk ${i}`,
      meta: { batch: "walk" },
      // Held back an hour: the rows stay queued, so the walk sees a list that does not move under it.
      notBefore: Date.now() + 3_600_000,
    }));
    const enqueued = await gateway.outbox.enqueue(batch);
    const page = await open("/dashboard/messages?metaKey=batch&metaValue=walk");
    const seen: string[] = [];
    for (let pages = 0; pages < 20; pages += 1) {
      seen.push(
        ...(await page
          .locator("#results tbody tr")
          .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-row") ?? ""))),
      );
      const next = page.locator("#next-page");
      if ((await next.count()) === 0) break;
      await Promise.all([page.waitForURL(/before=/), next.click()]);
    }
    expect(seen).toHaveLength(500);
    expect(new Set(seen).size).toBe(500);
    expect(new Set(seen)).toEqual(new Set(enqueued.map((e) => String(e.rowId))));
    await page.close();
  });

  it("redrives a dead-lettered message from its page", async () => {
    const [dead] = await gateway.outbox.insights.search({ state: "dead", limit: 1 });
    expect(dead).toBeDefined();
    const page = await open(`/dashboard/messages/${dead!.rowId}`);
    expect(await page.locator("#message-state").textContent()).toBe("dead");
    expect(await page.locator("#last-error").textContent()).toMatch(/SMSC 8/);
    const redriven = new Promise((resolve) => gateway.outbox.once("redriven", resolve));
    await Promise.all([page.waitForURL(/notice=/), page.click("#redrive")]);
    await redriven;
    expect(await page.locator("#notice").textContent()).toBe(`message ${dead!.rowId} redriven`);
    expect(await page.locator("#message-state").textContent()).not.toBe("dead");
    await page.close();
  });

  it("shows a message's recipients, parts, cost and history in order", async () => {
    const [row] = await gateway.outbox.insights.search({ phone: "+7 999 000-00-31", limit: 1 });
    const page = await open(`/dashboard/messages/${row!.rowId}`);
    expect(await page.locator("#message-text").textContent()).toBe("Order for 79990000031 has shipped");
    expect(await page.locator("#parts").textContent()).toBe("1");
    expect(await page.locator("#cost").textContent()).toBe("1.5");
    expect(await page.locator('#recipients tr[data-phone="79990000031"]').textContent()).toMatch(
      /1 Delivered/,
    );
    const times = await page.locator("#history time").allInnerTexts();
    expect(times.length).toBeGreaterThanOrEqual(3);
    expect([...times].sort()).toEqual(times);
    // Causal order, though SMSC's status times are whole seconds and the send took a fraction of one.
    const history = (await page.locator("#history").textContent()) ?? "";
    expect(history.indexOf("accepted"), history).toBeLessThan(history.indexOf("handed to SMSC"));
    expect(history.indexOf("handed to SMSC"), history).toBeLessThan(history.indexOf("Delivered"));
    await page.screenshot({ path: join(SHOTS, "message-desktop.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, "message-phone.png"), fullPage: true });
    await page.close();
  });
});

describe("dashboard over HTTP", () => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.httpUrl}${path}`, { headers: { authorization: authHeader, ...headers } });

  it("asks for the password, and serves its pages under a CSP of its own files only", async () => {
    expect((await fetch(`${gateway.httpUrl}/dashboard`)).status).toBe(401);
    const page = await get("/dashboard");
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    expect(page.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await page.text()).not.toMatch(/<script>|style="/);
    expect((await get("/dashboard/assets/live.js")).headers.get("content-type")).toMatch(/javascript/);
  });

  it("answers the live poll with 304 while nothing changed", async () => {
    const first = await get("/dashboard/live/overview");
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"/);
    await first.text();
    const again = await get("/dashboard/live/overview", { "if-none-match": etag });
    expect(again.status).toBe(304);
  });

  it("refuses a cross-site redrive and a bad search field by name", async () => {
    const crossSite = await fetch(`${gateway.httpUrl}/dashboard/messages/1/redrive`, {
      method: "POST",
      redirect: "manual",
      headers: { authorization: authHeader, origin: "http://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    const bad = await get("/dashboard/messages?metaKey=a%27b");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/metaKey/);
  });
});
