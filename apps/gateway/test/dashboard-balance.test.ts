import { RATE_RULES } from "@smsc-kit/core";
import { describe, expect, it } from "vitest";
import { BALANCE_CACHE_MS, cachedBalance } from "../src/http/dashboard/balance.js";
import { inTrueOrder } from "../src/http/dashboard/message-page.js";

describe("dashboard balance", () => {
  it("asks get_balance at most once per window of the catalog's balance-polling rule", async () => {
    const rule = RATE_RULES.find((r) => r.id === "balance-polling");
    expect(BALANCE_CACHE_MS).toBe((rule?.windowSeconds ?? 0) * 1000);
    let clock = 0;
    let calls = 0;
    const balance = cachedBalance(
      async () => {
        calls += 1;
        return { balance: 100 - calls };
      },
      () => clock,
    );
    // Many dashboards at once share one request.
    const readings = await Promise.all([balance(), balance(), balance()]);
    expect(calls).toBe(1);
    expect(readings.map((r) => (r.kind === "ok" ? r.balance : null))).toEqual([99, 99, 99]);
    clock = BALANCE_CACHE_MS - 1;
    expect(await balance()).toMatchObject({ kind: "ok", balance: 99 });
    clock = BALANCE_CACHE_MS;
    expect(await balance()).toMatchObject({ kind: "ok", balance: 98 });
    expect(calls).toBe(2);
  });

  it("caches a failure like an answer, so a refusing SMSC is not asked again at once", async () => {
    let calls = 0;
    const balance = cachedBalance(
      async () => {
        calls += 1;
        throw new Error("SMSC error 9: too many balance requests");
      },
      () => 0,
    );
    expect(await balance()).toMatchObject({ kind: "unavailable", reason: /error 9/ });
    expect(await balance()).toMatchObject({ kind: "unavailable" });
    expect(calls).toBe(1);
  });
});

describe("message history order", () => {
  it("puts a whole-second status after the send it followed within that second", () => {
    const at = (ms: number) => new Date(ms);
    const ordered = inTrueOrder([
      { status: 1, name: "Delivered", at: at(5_000), source: "callback" },
      { status: 0, name: "Transferred to operator", at: at(5_000), source: "callback" },
      { name: "handed to SMSC (1 SMS)", at: at(5_400), source: "outbox" },
      { name: "accepted into the outbox", at: at(5_300), source: "outbox" },
      { name: "retry", at: at(4_000), source: "outbox" },
    ]);
    expect(ordered.map((e) => e.name)).toEqual([
      "retry",
      "accepted into the outbox",
      "handed to SMSC (1 SMS)",
      "Transferred to operator",
      "Delivered",
    ]);
  });
});
