import { describe, expect, it } from "vitest";
import { foldStats, pendingMigrations, planFinish, planStatus, statusTarget } from "../src/store/planner.js";
import { pgDialect, sqliteDialect } from "../src/store/sql/dialect.js";
import type { Execute } from "../src/store/sql/statement.js";
import type { RecipientStatus } from "../src/store/store.js";

/** What a bound statement would send: its name and parameters, without a database. */
const describeStep: Execute<{ name: string; parameters: unknown[] }> = (statement, input) => ({
  name: statement.name,
  parameters: statement.parameters(input),
});

const messageRow = {
  row_id: 7,
  smsc_id: "abc",
  idempotency_key: null,
  request: '{"send":{"phones":"79990000001","mes":"x"}}',
  recipients: '["79990000001"]',
  meta: null,
  state: "sent",
  attempts: 1,
  run_at: 1,
  created_at: 1,
  sent_at: 2,
  dead_at: null,
  last_error_code: null,
  last_error_class: null,
  last_error: null,
  last_attempt_at: 1,
  cnt: 1,
  cost: null,
};

const update = (status: number): RecipientStatus => ({
  smscId: "abc",
  phone: "79990000001",
  status,
  err: null,
  at: 10,
  source: "callback",
});

describe("store planner", () => {
  it("turns each outcome into its one statement with the values both stores bind", () => {
    const error = { code: 6, errorClass: "denied", message: "denied" } as const;
    expect(
      planFinish(
        "w",
        7,
        { kind: "retry", runAt: 50, error, unknown: true, countAttempt: true, attemptedAt: 5 },
        9,
      )(describeStep),
    ).toEqual({
      name: "finish-failed",
      parameters: [7, "w", "unknown", 1, 50, null, 6, "denied", "denied", 9, 5],
    });
    expect(
      planFinish(
        "w",
        7,
        { kind: "dead", at: 60, error, countAttempt: false, attemptedAt: null },
        9,
      )(describeStep),
    ).toEqual({
      name: "finish-failed",
      parameters: [7, "w", "dead", 0, null, 60, 6, "denied", "denied", 9, null],
    });
    expect(planFinish("w", 7, { kind: "defer", runAt: 70, attemptedAt: null }, 9)(describeStep)).toEqual({
      name: "finish-deferred",
      parameters: [7, "w", 70, 9, null],
    });
    const sent = planFinish(
      "w",
      7,
      { kind: "sent", at: 80, cnt: 2, cost: 1.5, countAttempt: true, attemptedAt: 75 },
      9,
    )(describeStep);
    expect(sent.name).toBe("finish-sent");
    expect(JSON.parse(String(sent.parameters[0]))).toEqual([
      { id: 7, added: 1, sent: 80, parts: 2, price: 1.5, attempted: 75 },
    ]);
  });

  it("refuses status updates for unknown messages and recipients, and closes a recipient only once", () => {
    expect(statusTarget([], update(1)).refused).toMatchObject({ reason: "unknown_message" });
    expect(statusTarget([messageRow], { ...update(1), phone: "79990000002" }).refused).toMatchObject({
      reason: "unknown_recipient",
    });
    const target = statusTarget([messageRow], update(1));
    if (target.refused) throw new Error("the recipient belongs to the message");
    const forward = (previous: RecipientStatus | null, next: RecipientStatus) =>
      previous === null || next.status > previous.status;
    const isFinal = (status: number) => status >= 1;
    expect(planStatus(target.message, null, update(1), forward, isFinal).write).toMatchObject({
      final: true,
      closesRecipient: true,
    });
    const storedFinal = {
      smsc_id: "abc",
      phone: "79990000001",
      status: 1,
      err: null,
      at: 5,
      source: "poll",
      final: 1,
    };
    expect(planStatus(target.message, storedFinal, update(3), forward, isFinal).write).toMatchObject({
      final: true,
      closesRecipient: false,
    });
    expect(planStatus(target.message, storedFinal, update(0), forward, isFinal)).toMatchObject({
      result: { applied: false, reason: "stale", previous: { status: 1 } },
      write: null,
    });
  });

  it("folds per-state counts from either driver and picks the pending migrations in order", () => {
    expect(
      foldStats([
        { state: "queued", n: "3", oldest: "1200" },
        { state: "unknown", n: 1, oldest: 900 },
        { state: "dead", n: 2, oldest: null },
      ]),
    ).toEqual({
      byState: { queued: 3, unknown: 1, sending: 0, sent: 0, dead: 2 },
      oldestDueAt: 900,
      deadLetterDepth: 2,
    });
    const migrations = [
      { version: 2, sql: "b" },
      { version: 1, sql: "a" },
      { version: 3, sql: "c" },
    ];
    expect(pendingMigrations(migrations, []).map((m) => m.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations(migrations, [{ version: 1 }, { version: "2" }]).map((m) => m.version)).toEqual([
      3,
    ]);
    // A version written on a parallel branch (2) still runs on a schema that already has the later one (3).
    expect(pendingMigrations(migrations, [{ version: 1 }, { version: 3 }]).map((m) => m.version)).toEqual([
      2,
    ]);
  });

  it("spells parameters and JSON documents per dialect", () => {
    expect([pgDialect.param(3), sqliteDialect.param(3)]).toEqual(["$3", "@p3"]);
    expect(pgDialect.jsonRecords(1, "r", { id: "bigint" })).toBe(
      "json_to_recordset($1::json) AS r(id bigint)",
    );
    expect(sqliteDialect.jsonRecords(1, "r", { id: "bigint" })).toBe(
      "(SELECT json_extract(value, '$.id') AS id FROM json_each(@p1)) AS r",
    );
  });
});
