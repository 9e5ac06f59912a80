import { afterEach, describe, expect, it, vi } from "vitest";
import { OutboxValidationError } from "../src/index.js";
import { type SqliteRig, sqliteRig } from "./support/harness.js";

let rig: SqliteRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("recipients are subscribers (core's phone identity)", () => {
  it("refuses a phone that cannot be a subscriber's at enqueue, naming the field and SMSC's code", async () => {
    rig = await sqliteRig();
    const { outbox } = rig;
    const bad = outbox.enqueue([
      { phones: "79990003001", mes: "fine" },
      { phones: "+7 12", mes: "three digits" },
    ]);
    await expect(bad).rejects.toBeInstanceOf(OutboxValidationError);
    await expect(bad).rejects.toMatchObject({ field: "phones", smscError: 7, index: 1 });
    const { byState } = await outbox.stats();
    expect(Object.values(byState).reduce((sum, n) => sum + n, 0)).toBe(0);
  });

  it("matches a callback for 7999… to a row sent to 8 (999) … (one subscriber)", async () => {
    rig = await sqliteRig();
    const { outbox } = rig;
    const [row] = await outbox.enqueue({ phones: "8 (999) 000-30-02", mes: "national form" });
    outbox.start({ concurrency: 1 });
    await vi.waitFor(async () => expect((await outbox.get(row!.rowId))?.state, "row sent").toBe("sent"), {
      timeout: 15_000,
    });
    const at = new Date();
    expect(
      await outbox.markStatus({ id: row!.smscId, phone: "79990003002", status: 1, at, source: "callback" }),
    ).toMatchObject({ applied: true });
    expect(
      await outbox.markStatus({
        id: row!.smscId,
        phone: "+7 999 000 30 02",
        status: 1,
        at,
        source: "callback",
      }),
    ).toMatchObject({ applied: false, reason: "duplicate" });
  });
});
