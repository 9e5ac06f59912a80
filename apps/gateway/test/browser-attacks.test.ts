/**
 * The gateway's HTTP defences as a real browser meets them: a page on another origin (another port on the
 * same machine) auto-submits the redrive form and frames the status page; chromium must carry the attack
 * and the gateway must refuse it. The gateway's own page and form keep working (e2e.test.ts).
 */
import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../src/config/load.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";
import { launchChromium } from "./chromium.js";

let browser: Browser;
let gateway: RunningGateway;
let attacker: Server;
let attackerUrl: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "smsc-gw-browser-"));
  gateway = await startGateway(
    validateConfig({
      smsc: { baseUrl: "http://127.0.0.1:9", login: "demo", psw: "demo-password" },
      store: { sqlite: join(dir, "gw.sqlite") },
      smtp: { enabled: false },
      outbox: { enabled: false },
      http: { port: 0 },
    }),
    createLogger({ level: "silent" }),
  );
  const target = gateway.httpUrl;
  const pages: Record<string, string> = {
    "/csrf": `<!doctype html><form id="f" method="post" action="${target}/dead-letter/1/redrive"></form>
      <script>document.getElementById("f").submit()</script>`,
    "/frame": `<!doctype html><iframe id="victim" src="${target}/"></iframe>`,
  };
  attacker = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end(pages[req.url ?? ""] ?? "");
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  // DNS rebinding without DNS: the attacker's name resolves to the gateway's address.
  browser = await launchChromium(["--host-resolver-rules=MAP rebind.test 127.0.0.1"]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  await gateway?.close();
});

describe("gateway HTTP in chromium", () => {
  it("refuses a redrive form auto-submitted by another origin", async () => {
    const page = await browser.newPage();
    try {
      const answer = page.waitForResponse((r) => r.url().endsWith("/dead-letter/1/redrive"));
      await page.goto(`${attackerUrl}/csrf`);
      const response = await answer;
      expect(response.status()).toBe(403);
      expect(await response.text()).toMatch(/cross-site request refused/);
      expect(response.request().headers()["origin"]).toBe(attackerUrl);
    } finally {
      await page.close();
    }
  });

  it("will not show the status page to a name re-pointed at it (DNS rebinding)", async () => {
    const page = await browser.newPage();
    try {
      const { port } = new URL(gateway.httpUrl);
      const response = await page.goto(`http://rebind.test:${port}/`);
      expect(response?.status()).toBe(421);
      expect(await page.content()).not.toContain("smsc gateway");
      const metrics = await page.goto(`http://rebind.test:${port}/metrics`);
      expect(metrics?.status()).toBe(421);
    } finally {
      await page.close();
    }
  });

  it("will not be framed by another origin", async () => {
    const page = await browser.newPage();
    try {
      const framed = page.waitForResponse((r) => r.url() === `${gateway.httpUrl}/`);
      await page.goto(`${attackerUrl}/frame`);
      const response = await framed;
      expect(response.headers()["x-frame-options"]).toBe("DENY");
      // The browser refuses to render it: the frame holds an error page, not the status page.
      const frame = page.frames().find((f) => f !== page.mainFrame());
      const title = await (frame?.title() ?? Promise.resolve("no frame")).catch(() => "blocked");
      expect(title).not.toBe("smsc gateway");
    } finally {
      await page.close();
    }
  });
});
