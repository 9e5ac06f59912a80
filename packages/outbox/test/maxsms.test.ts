import { segments } from "@smsc-kit/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  createOutbox,
  OutboxConfigError,
  OutboxValidationError,
  type SentEvent,
  type TruncatedEvent,
} from "../src/index.js";
import { type SqliteRig, sqliteRig } from "./support/harness.js";

// 400 GSM-7 characters: 3 parts of 153; 140 Cyrillic letters: 3 parts of 67 (UCS-2), 1 part when transliterated.
const LATIN_3_PARTS = "x".repeat(400);
const CYRILLIC_3_PARTS = "ж".repeat(140);

let rig: SqliteRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("a text longer than maxsms allows", () => {
  it("is accepted by default with a warning in the result and a 'truncated' event, and SMSC sends maxsms parts", async () => {
    rig = await sqliteRig();
    const { outbox } = rig;
    const truncated: TruncatedEvent[] = [];
    outbox.on("truncated", (event) => truncated.push(event));

    const [row] = await outbox.enqueue({
      phones: "79990000101",
      mes: LATIN_3_PARTS,
      maxsms: 2,
      meta: { order: 7 },
    });
    expect(row?.created).toBe(true);
    expect(row?.warnings).toEqual([
      {
        field: "mes",
        rule: "maxsms",
        parts: 3,
        maxsms: 2,
        encoding: "gsm7",
        message: expect.stringMatching(/^mes needs 3 SMS parts \(gsm7\) but maxsms allows 2/),
      },
    ]);
    expect(truncated).toEqual([
      expect.objectContaining({
        rowId: row!.rowId,
        smscId: row!.smscId,
        field: "mes",
        parts: 3,
        maxsms: 2,
        meta: { order: 7 },
      }),
    ]);

    // The warning is the truth: SMSC (here the simulator) bills and sends only maxsms parts of it.
    const sent = new Promise<SentEvent>((resolve) => outbox.once("sent", resolve));
    outbox.start();
    expect((await sent).cnt).toBe(2);
    expect((await outbox.get(row!.rowId))?.state).toBe("sent");
  });

  it("is refused with the field and the rule when maxsmsOverflow is 'reject', writing nothing of the batch", async () => {
    rig = await sqliteRig({ outbox: { maxsmsOverflow: "reject" } });
    const { outbox } = rig;
    const attempt = outbox.enqueue([
      { phones: "79990000102", mes: "fits", maxsms: 1 },
      { phones: "79990000103", mes: CYRILLIC_3_PARTS, maxsms: "2" },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(OutboxValidationError);
    await expect(attempt).rejects.toMatchObject({
      field: "mes",
      rule: "maxsms",
      index: 1,
      message: expect.stringContaining("needs 3 SMS parts (ucs2) but maxsms allows 2"),
    });
    expect(() => outbox.enqueueSync({ phones: "79990000104", mes: LATIN_3_PARTS, maxsms: 1 })).toThrow(
      expect.objectContaining({ field: "mes", rule: "maxsms" }),
    );
    expect((await outbox.stats()).byState.queued).toBe(0);

    // A text that fits (exactly maxsms parts) goes in without a word.
    const [fits] = await outbox.enqueue({ phones: "79990000105", mes: "x".repeat(306), maxsms: 2 });
    expect(fits?.created).toBe(true);
    expect(fits?.warnings).toBeUndefined();
  });

  it("counts parts with core's segments, as the SMTP relay's budget does (translit makes Cyrillic fit)", async () => {
    rig = await sqliteRig({ outbox: { maxsmsOverflow: "reject" } });
    const { outbox } = rig;
    expect(segments(CYRILLIC_3_PARTS).parts).toBe(3);
    expect(segments(CYRILLIC_3_PARTS, { translit: 1 }).parts).toBe(1);
    await expect(
      outbox.enqueue({ phones: "79990000106", mes: CYRILLIC_3_PARTS, maxsms: 1 }),
    ).rejects.toMatchObject({ field: "mes", rule: "maxsms" });
    const [transliterated] = await outbox.enqueue({
      phones: "79990000106",
      mes: CYRILLIC_3_PARTS,
      translit: 1,
      maxsms: 1,
    });
    expect(transliterated?.warnings).toBeUndefined();
    // No maxsms in the request and none published by the catalog: nothing to judge against.
    const [uncapped] = await outbox.enqueue({ phones: "79990000107", mes: LATIN_3_PARTS });
    expect(uncapped?.warnings).toBeUndefined();
  });

  it("judges every message of a `list` send and names the one SMSC will cut", async () => {
    rig = await sqliteRig();
    const [row] = await rig.outbox.enqueue({
      phones: "",
      mes: "",
      list: `79990000108:short\n79990000109:${LATIN_3_PARTS}`,
      maxsms: 1,
    });
    expect(row?.warnings).toEqual([
      expect.objectContaining({ field: "list", line: 2, parts: 3, maxsms: 1, encoding: "gsm7" }),
    ]);
  });

  it("takes only 'warn' or 'reject' as maxsmsOverflow", async () => {
    rig = await sqliteRig();
    const { store } = rig.outbox;
    expect(() =>
      createOutbox({ store, client: rig!.client, maxsmsOverflow: "truncate" as unknown as "warn" }),
    ).toThrow(OutboxConfigError);
  });
});
