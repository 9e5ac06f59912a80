import { Registry } from "prom-client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerOutboxMetrics } from "../src/index.js";
import { type SqliteRig, sqliteRig } from "./support/harness.js";

let rig: SqliteRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("prom-client metrics", () => {
  it("exports rows by state, dead-letter depth, sends by result and code, and end-to-end latency", async () => {
    // One row per request: a refused number then fails its own request with error 7 (in a batch it is a
    // recipient SMSC lists under `errors`, with a status instead of an error code; test/coalesce.test.ts).
    rig = await sqliteRig({
      sim: { rules: { phones: [{ prefix: "7999777", sendError: 7 }] } },
      outbox: { coalesce: false },
    });
    const { outbox } = rig;
    const registry = new Registry();
    registerOutboxMetrics(outbox, { registry, name: "main" });
    await outbox.enqueue([
      { phones: "79990101010", mes: "ok" },
      { phones: "79990101011", mes: "ok" },
      { phones: "79997770000", mes: "bad number" },
    ]);
    await outbox.enqueue({ phones: "79990101012", mes: "later", notBefore: Date.now() + 3_600_000 });
    outbox.start({ concurrency: 3 });
    await vi.waitFor(async () => expect((await outbox.stats()).byState.sent, "two sent").toBe(2), {
      timeout: 15_000,
    });
    await vi.waitFor(async () => expect((await outbox.stats()).deadLetterDepth, "one dead").toBe(1), {
      timeout: 15_000,
    });
    const text = await registry.metrics();
    expect(text).toContain('smsc_outbox_rows{outbox="main",state="sent"} 2');
    expect(text).toContain('smsc_outbox_rows{outbox="main",state="queued"} 1');
    expect(text).toContain('smsc_outbox_dead_letter_depth{outbox="main"} 1');
    expect(text).toContain('smsc_outbox_sends_total{outbox="main",result="sent",code=""} 2');
    expect(text).toContain('smsc_outbox_sends_total{outbox="main",result="dead",code="7"} 1');
    expect(text).toContain('smsc_outbox_end_to_end_seconds_count{outbox="main"} 2');
    expect(text).toContain('smsc_outbox_paused{outbox="main"} 0');
    expect(text).toMatch(/smsc_outbox_oldest_due_age_seconds\{outbox="main"\} 0\n/);
  });
});
