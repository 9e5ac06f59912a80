import { describe, expect, it } from "vitest";
import { ERROR_CODES, STATUS_CODES } from "../src/generated/index.js";
import { canTransition, chooseOperation, classifyError, isFinalStatus, statusInfo } from "../src/protocol.js";

describe("classifyError", () => {
  it("returns the catalog entry of the method", () => {
    expect(classifyError("status", 3)).toMatchObject({
      code: 3,
      class: "not_found",
      text: ERROR_CODES.status["3"].text,
    });
    expect(classifyError("send", 9).class).toBe("duplicate");
    expect(classifyError("balance", 9).class).toBe("rate_limited");
  });

  it("classes an unknown code as a permanent invalid request", () => {
    expect(classifyError("send", 99)).toMatchObject({ code: 99, class: "invalid_request" });
  });
});

describe("status helpers", () => {
  it("isFinalStatus follows the catalog", () => {
    for (const entry of Object.values(STATUS_CODES)) expect(isFinalStatus(entry.code)).toBe(entry.final);
    expect(isFinalStatus(12345)).toBe(false);
  });

  it("statusInfo names a status", () => {
    expect(statusInfo(1)?.name).toBe(STATUS_CODES["1"].name);
  });

  it("canTransition allows forward moves only", () => {
    expect(canTransition(-1, 0)).toBe(true);
    expect(canTransition(0, 1)).toBe(true);
    expect(canTransition(1, 2)).toBe(true);
    expect(canTransition(1, 0)).toBe(false);
    expect(canTransition(20, 1)).toBe(false);
    expect(canTransition(1, 1)).toBe(false);
  });
});

describe("chooseOperation", () => {
  it("keeps the plain operation when every field is one of its elements", () => {
    const { operation, element, query } = chooseOperation("send", { phones: "7", mes: "m", id: "1" });
    expect(operation.name).toBe("send_sms");
    expect(element).toEqual({ phones: "7", mes: "m", id: "1" });
    expect(query).toEqual({});
  });

  it("moves to the *2 operation and puts the rest in query", () => {
    const { operation, element, query } = chooseOperation("cost", { phones: "7", mes: "m", sender: "s" });
    expect(operation.name).toBe("get_sms_cost2");
    expect(element).toEqual({ phones: "7", mes: "m" });
    expect(query).toEqual({ sender: "s" });
  });

  it("balance has no *2 operation", () => {
    expect(chooseOperation("balance", {}).operation.name).toBe("get_balance");
  });
});
