import { describe, expect, it } from "vitest";
import { budgetLoginOf } from "../src/budget-login.js";

describe("the key of the shared SMSC budget", () => {
  it("is the login itself for login and password credentials", () => {
    const credentials = { login: "shop", psw: "secret" };
    expect(budgetLoginOf(credentials)).toBe("shop");
  });

  it("never contains the API key, stays the same for one key and differs between keys", () => {
    const key = "k3y-that-must-not-leak";
    const first = budgetLoginOf({ apikey: key });
    expect(first).not.toContain(key);
    expect(first).toMatch(/^apikey:[0-9a-f]{16}$/);
    expect(budgetLoginOf({ apikey: key })).toBe(first);
    expect(budgetLoginOf({ apikey: `${key}2` })).not.toBe(first);
  });
});
