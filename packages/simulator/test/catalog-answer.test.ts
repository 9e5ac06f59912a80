import { describe, expect, it } from "vitest";
import { catalogAnswer } from "../src/catalog-answer.js";
import { OPERATIONS } from "../src/protocol.js";
import { T0 } from "./helpers.js";

// What the simulator answers for a method it has no behaviour of its own for: the operation's catalog example
// (records included) or, without one, each result field's example or a default of its value type; the
// fields it keeps state for from that state; up to the requested `all` level. Shown here on the real spec's
// operations (the new-method cases run end to end in tools/codegen/test/new-method.test.ts).

describe("catalogAnswer", () => {
  const now = T0.getTime();
  const state = { balance: "12.30" };

  it("without an operation example: every field of the requested level a value of its catalog type, records left out", () => {
    const answer = catalogAnswer("get_status", { all: "2" }, now, state);
    expect(answer).toMatchObject({
      status: "0", // integer, required in status answers
      last_date: "10.03.2026 10:00:00", // date, Moscow time
      last_timestamp: String(now / 1000), // timestamp
      err: "0",
      cost: "0.00", // decimal
      sms_cnt: "0",
    });
    // Optional strings without an example are not invented.
    expect(answer["operator"]).toBeUndefined();
  });

  it("echoes an element field the request carried under a result field's name, never a query option", () => {
    const answer = catalogAnswer("get_status", { all: "1", phone: "79990000001", id: "7" }, now, state);
    expect(answer["phone"]).toBe("79990000001");
    // `cost` is also a send option (a mode, 0..3): a request's option is never taken for a result.
    expect(catalogAnswer("get_sms_cost2", { cost: "3" }, now, state)["cost"]).toBe("0.00");
  });

  it("leaves out fields above the requested all level", () => {
    const answer = catalogAnswer("get_status", { all: "0" }, now, state);
    expect(Object.keys(answer).sort()).toEqual(["err", "last_date", "last_timestamp", "status"]);
    expect(Object.keys(catalogAnswer("get_status", { all: "junk" }, now, state)).sort()).toEqual([
      "err",
      "last_date",
      "last_timestamp",
      "status",
    ]);
  });

  it("answers the operation's example, record lists included, with the balance from the account", () => {
    expect(OPERATIONS.send_sms2.example).not.toBeNull();
    const answer = catalogAnswer("send_sms2", {}, now, state);
    expect(answer).toEqual({
      id: "1042",
      cnt: "1",
      cost: "1.50",
      balance: "12.30", // the account's, not the example's 998.50
      errors: [{ phone: "79990000002", status: "22" }],
    });
    // Only the operation's own result fields: send_sms's type has no errors list.
    expect(catalogAnswer("send_sms", {}, now, state)).toEqual({
      id: "0",
      cnt: "0",
      cost: "0.00",
      balance: "12.30",
    });
    expect(catalogAnswer("get_balance", {}, now, { balance: "0.00" })).toEqual({
      balance: "0.00",
      error: "0",
    });
  });

  it("hands out copies: an answer changed by its caller leaves the next one as the catalog says", () => {
    const first = catalogAnswer("send_sms2", {}, now, state);
    (first["errors"] as Record<string, string>[])[0]!["status"] = "1";
    expect(catalogAnswer("send_sms2", {}, now, state)["errors"]).toEqual([
      { phone: "79990000002", status: "22" },
    ]);
  });
});
