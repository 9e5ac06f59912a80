import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MAX_RECENT_LIMIT, OutboxValidationError } from "../src/index.js";
import { type SqliteRig, sqliteRig } from "./support/harness.js";

/** outbox.recent(): the store's recent list through the public API, with its arguments checked first. */
let rig: SqliteRig;
beforeAll(async () => {
  rig = await sqliteRig();
});
afterAll(async () => {
  await rig.close();
});

describe("outbox.recent", () => {
  it("lists delivered and queued messages newest change first, with smsc id, phones and state", async () => {
    const [first] = await rig.outbox.enqueue({ phones: "79990000011", mes: "first" });
    rig.outbox.start({ concurrency: 1 });
    await vi.waitFor(
      async () => expect((await rig.outbox.get(first!.rowId))?.state, "the first send").toBe("sent"),
      { timeout: 15_000 },
    );
    await rig.outbox.stop();
    const [second] = await rig.outbox.enqueue({ phones: "79990000012,79990000013", mes: "second" });

    const recent = await rig.outbox.recent({ limit: 2 });
    expect(recent.map((r) => [r.rowId, r.smscId, r.state, r.recipients])).toEqual([
      [second!.rowId, second!.smscId, "queued", ["79990000012", "79990000013"]],
      [first!.rowId, first!.smscId, "sent", ["79990000011"]],
    ]);
    expect(recent[1]?.attempts).toBe(1);
    expect(recent[1]?.updatedAt).toBeGreaterThanOrEqual(recent[1]?.createdAt ?? Number.POSITIVE_INFINITY);
    const older = await rig.outbox.recent({
      before: { updatedAt: recent[0]!.updatedAt, rowId: second!.rowId },
    });
    expect(older.map((r) => r.rowId)).toEqual([first!.rowId]);
  });

  it("refuses a bad limit or cursor naming the field and the rule", async () => {
    const refusal = async (options: Parameters<typeof rig.outbox.recent>[0]) =>
      rig.outbox.recent(options).then(
        () => undefined,
        (error: unknown) => error,
      );
    for (const limit of [0, -1, 1.5, MAX_RECENT_LIMIT + 1, Number.NaN]) {
      const error = await refusal({ limit });
      expect(error).toBeInstanceOf(OutboxValidationError);
      expect(error).toMatchObject({ field: "limit", rule: "range" });
    }
    expect(await refusal({ before: { updatedAt: 1, rowId: Number.NaN } })).toMatchObject({
      field: "before.rowId",
      rule: "integer",
    });
    expect(await refusal({ limit: MAX_RECENT_LIMIT })).toBeUndefined();
  });
});
