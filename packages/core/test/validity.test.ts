import { describe, expect, it } from "vitest";
import { SmscValidationError } from "../src/errors.js";
import { QUERY_OPTIONS } from "../src/generated/index.js";
import { parseValidity } from "../src/validity.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe("parseValidity", () => {
  it("reads whole hours 1..24", () => {
    expect(parseValidity("1")).toBe(HOUR);
    expect(parseValidity(6)).toBe(6 * HOUR);
    expect(parseValidity("24")).toBe(24 * HOUR);
  });

  it("reads hh:mm from 00:01 to 24:00", () => {
    expect(parseValidity("00:01")).toBe(MINUTE);
    expect(parseValidity("01:30")).toBe(90 * MINUTE);
    expect(parseValidity("24:00")).toBe(24 * HOUR);
  });

  it("uses the catalog's default when absent or empty", () => {
    expect(QUERY_OPTIONS.valid.default).toBe("24");
    expect(parseValidity(undefined)).toBe(24 * HOUR);
    expect(parseValidity("")).toBe(24 * HOUR);
  });

  it.each(["0", "25", "00:00", "24:01", "1:30", "abc", "-1", "2.5"])(
    "refuses %s with a typed error naming the field",
    (value) => {
      let caught: unknown;
      try {
        parseValidity(value);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SmscValidationError);
      const error = caught as SmscValidationError;
      expect(error.field).toBe("valid");
      expect(error.smscError).toBe(1);
      expect(error.message).toContain("valid");
    },
  );
});
