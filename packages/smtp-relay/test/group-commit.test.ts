import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient } from "@smsc-kit/core";
import { createOutbox, openSqliteStore } from "@smsc-kit/outbox";
import { afterAll, describe, expect, it } from "vitest";
import { createGroupCommitter } from "../src/group-commit.js";
import type { RelayOutbox, RelayOutboxMessage } from "../src/outbox-port.js";

const message = (phone: string, extra: Partial<RelayOutboxMessage> = {}): RelayOutboxMessage => ({
  phones: phone,
  mes: `hello ${phone}`,
  ...extra,
});

describe("group commit over a real SQLite outbox", () => {
  const dir = mkdtempSync(join(tmpdir(), "relay-group-"));
  const store = openSqliteStore({ filename: join(dir, "outbox.db") });
  // The worker is never started: these tests look at what is committed, not at sending.
  const client = createSmscClient(
    { login: "demo", psw: "demo" },
    { baseUrl: "http://127.0.0.1:9", fallbackUrls: [] },
  );
  const outbox = createOutbox({ store, client });
  const calls: number[] = [];
  const counting: RelayOutbox = {
    enqueue(messages) {
      calls.push(messages.length);
      return outbox.enqueue(messages);
    },
  };

  afterAll(async () => {
    await store.close();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("commits mails that arrive together in one transaction and gives each mail its own rows", async () => {
    calls.length = 0;
    const commit = createGroupCommitter(counting, 100);
    const results = await Promise.all([
      commit([message("79990000001"), message("79990000002")]),
      commit([message("79990000003")]),
      commit([message("79990000004")]),
    ]);
    expect(calls).toEqual([4]);
    expect(results.map((rows) => rows.length)).toEqual([2, 1, 1]);
    const ids = results.flat().map((row) => row.rowId);
    expect(new Set(ids).size).toBe(4);
  });

  it("splits batches at the configured size without splitting a mail", async () => {
    calls.length = 0;
    const commit = createGroupCommitter(counting, 2);
    await Promise.all([
      commit([message("79990000011")]),
      commit([message("79990000012"), message("79990000013")]),
      commit([message("79990000014")]),
    ]);
    expect(calls).toEqual([1, 2, 1]);
  });

  it("when a batch fails, each mail is retried alone so only the bad one is refused", async () => {
    calls.length = 0;
    const commit = createGroupCommitter(counting, 100);
    const [good, bad, alsoGood] = await Promise.allSettled([
      commit([message("79990000021")]),
      // `id` is the outbox's to assign: the outbox refuses this message with a validation error.
      commit([{ ...message("79990000022"), id: "mine" } as RelayOutboxMessage]),
      commit([message("79990000023")]),
    ]);
    expect(good.status).toBe("fulfilled");
    expect(alsoGood.status).toBe("fulfilled");
    expect(bad).toMatchObject({ status: "rejected", reason: { name: "OutboxValidationError", field: "id" } });
    expect(calls).toEqual([3, 1, 1, 1]);
  });
});
