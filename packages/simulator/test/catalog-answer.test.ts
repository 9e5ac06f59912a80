import { describe, expect, it } from "vitest";
import { catalogAnswer } from "../src/catalog-answer.js";
import { T0 } from "./helpers.js";

// What the simulator answers for a method it has no behaviour of its own for: the catalog's result fields,
// each its `example` or a default of its value type, up to the requested `all` level. Shown here on the
// real spec's status fields (the new-method case runs end to end in tools/codegen/test/new-method.test.ts).

describe("catalogAnswer", () => {
  const now = T0.getTime();

  it("gives every field of the requested level a value of its catalog type, records left out", () => {
    const answer = catalogAnswer("status", { all: "2" }, now);
    expect(answer).toMatchObject({
      status: "0", // integer, required in status answers
      last_date: "10.03.2026 10:00:00", // date, Moscow time
      last_timestamp: String(now / 1000), // timestamp
      err: "0",
      cost: "0.00", // decimal
      sms_cnt: "0",
    });
    // Optional strings without an example are not invented.
    expect(answer["phone"]).toBeUndefined();
    expect(answer["operator"]).toBeUndefined();
  });

  it("leaves out fields above the requested all level", () => {
    const answer = catalogAnswer("status", { all: "0" }, now);
    expect(Object.keys(answer).sort()).toEqual(["err", "last_date", "last_timestamp", "status"]);
    expect(Object.keys(catalogAnswer("status", { all: "junk" }, now)).sort()).toEqual([
      "err",
      "last_date",
      "last_timestamp",
      "status",
    ]);
  });

  it("leaves record fields (send's errors list) out", () => {
    const answer = catalogAnswer("send", {}, now);
    expect(answer).toEqual({ id: "0", cnt: "0", balance: "0.00", cost: "0.00" });
  });
});
