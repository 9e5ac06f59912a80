import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient } from "@smsc-kit/core";
import { createOutbox, openSqliteStore, wireId } from "@smsc-kit/outbox";
import { startSimulator } from "@smsc-kit/simulator";
import type { StoredStatusEvent } from "@smsc-kit/webhook";
import { describe, expect, it, vi } from "vitest";
import { loadMessage } from "../src/http/dashboard/message-page.js";

describe("dashboard message page of a message that travelled with others", () => {
  it("reads the callbacks under the batch's id and shows only its own phone's", async () => {
    const sim = await startSimulator({ rules: { rateLimits: false } });
    const dir = mkdtempSync(join(tmpdir(), "gw-batch-page-"));
    const client = createSmscClient(
      { login: "demo", psw: "demo" },
      { baseUrl: new URL(sim.url).origin, fallbackUrls: [] },
    );
    const outbox = createOutbox({
      store: openSqliteStore({ filename: join(dir, "o.db") }),
      client,
      pollIntervalMs: 20,
    });
    try {
      const [mine, other] = await outbox.enqueue([
        { phones: "79990010001", mes: "same text" },
        { phones: "79990010002", mes: "same text" },
      ]);
      outbox.start({ concurrency: 1 });
      await vi.waitFor(async () => expect((await outbox.stats()).byState.sent).toBe(2), { timeout: 15_000 });
      const row = (await outbox.get(mine!.rowId))!;
      expect(row.batchId).not.toBeNull();
      expect(wireId((await outbox.get(other!.rowId))!)).toBe(row.batchId);
      // What the webhook store holds for the batch's id: a callback per phone of the request.
      const event = (seq: number, phone: string, status: number): StoredStatusEvent => ({
        seq,
        id: row.batchId!,
        phone,
        status,
        applied: true,
        eventAt: new Date(row.sentAt! + 1_000),
        receivedAt: new Date(row.sentAt! + 1_100),
        raw: {},
      });
      const asked: string[] = [];
      const model = await loadMessage(
        {
          outbox,
          callbacks: async (id) => {
            asked.push(id);
            return [event(1, "79990010001", 1), event(2, "79990010002", 20)];
          },
          steps: () => [],
          pause: () => ({ kind: null }) as never,
          balance: async () => ({ kind: "unavailable", reason: "test", at: 0 }) as never,
        },
        mine!.rowId,
      );
      expect(asked).toEqual([row.batchId]);
      const callbackLines = model!.history.filter((e) => e.source === "callback").map((e) => e.name);
      expect(callbackLines).toEqual(["Delivered"]);
    } finally {
      await outbox.stop();
      await client.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
