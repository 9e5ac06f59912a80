import { describe, expect, it } from "vitest";
import { spawnSmsc } from "./child.js";

describe("smsc demo --once", () => {
  it("walks one e-mail to a delivered SMS and prints how to try it", async () => {
    const demo = spawnSmsc(["demo", "--once", "--http-port", "0", "--smtp-port", "0", "--sim-port", "0"]);
    const code = await demo.exit;
    const out = demo.stdout();
    expect(code, demo.stderr()).toBe(0);
    expect(out).toMatch(/1\. e-mail to 79991234567@sms\.local accepted by the SMTP relay: 250 /);
    expect(out).toMatch(/2\. SMS left the outbox: SMSC id \S+, 1 SMS/);
    expect(out).toMatch(/callback: status 1 \(Delivered\)/);
    expect(out).toMatch(
      /4\. final status: 1 \(Delivered\); outbox row \d+ is "sent"; get_status says 1 \(Delivered\)/,
    );
    expect(out).toMatch(/status page\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(out).toMatch(/SMTP relay\s+127\.0\.0\.1:\d+, user demo, password demo-smtp/);
    expect(out).toMatch(/pnpm smsc --base-url http:\/\/127\.0\.0\.1:\d+ send --phones 79991234567/);
  }, 60_000);
});
