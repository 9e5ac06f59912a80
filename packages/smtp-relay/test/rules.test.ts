import { validateRequest } from "@smsc-kit/core";
import { describe, expect, it } from "vitest";
import { RelayConfigError } from "../src/options.js";
import { createRecipientResolver } from "../src/recipients.js";
import { createSenderResolver } from "../src/sender.js";

describe("recipient addresses → phones (core's phone rules)", () => {
  const resolve = createRecipientResolver(["sms.example.com", "SMS.example.net"], { Duty: "+79990001122" });

  it("takes digits and +digits on every configured domain, case-insensitively", () => {
    expect(resolve("79991234567@sms.example.com")).toEqual({ ok: true, phone: "79991234567" });
    expect(resolve("+79991234567@Sms.Example.Com")).toEqual({ ok: true, phone: "79991234567" });
    expect(resolve("79991234567@sms.example.net")).toEqual({ ok: true, phone: "79991234567" });
  });

  it("looks names up in the address book", () => {
    expect(resolve("duty@sms.example.com")).toEqual({ ok: true, phone: "79990001122" });
  });

  it("names every spelling of one subscriber by the same phone (core's phone identity)", () => {
    for (const local of ["+79990000030", "79990000030", "89990000030"]) {
      expect(resolve(`${local}@sms.example.com`)).toEqual({ ok: true, phone: "79990000030" });
    }
  });

  it("refuses a number that cannot be a subscriber's with core's rule", () => {
    const result = resolve("+71234@sms.example.com");
    expect(!result.ok && result.error.message).toMatch(/^5\.1\.1 .*rule subscriber_number, SMSC error 7/);
  });

  it("refuses a number SMSC would refuse with 550 5.1.1 naming core's rule", () => {
    // The rule's name is core's to choose; the relay must pass on whatever core says.
    const core = validateRequest("send", { mes: "x", phones: "123" });
    const coreIssue = core.ok ? undefined : core.error.issues.find((issue) => issue.field === "phones");
    expect(coreIssue).toBeDefined();
    const result = resolve("123@sms.example.com");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.responseCode).toBe(550);
      expect(result.error.message).toBe(
        `5.1.1 Recipient <123@sms.example.com> is not a valid phone number (rule ${coreIssue?.rule}, SMSC error ${coreIssue?.smscError})`,
      );
    }
  });

  it("refuses a local part that is neither digits nor a known name", () => {
    for (const local of ["7999.123.45.67", "7999--1234567", "-79991234567", "79991234567-", "ivan.petrov"]) {
      const result = resolve(`${local}@sms.example.com`);
      expect(!result.ok && result.error.message).toMatch(/^5\.1\.1 .*rule local_part_format/);
    }
  });

  it("takes a number grouped by dashes as the same subscriber", () => {
    for (const local of ["7999-123-45-67", "8-999-123-45-67", "+7-999-123-45-67"]) {
      expect(resolve(`${local}@sms.example.com`)).toEqual({ ok: true, phone: "79991234567" });
    }
  });

  it("denies relaying to any other domain", () => {
    const result = resolve("79991234567@gmail.com");
    expect(!result.ok && result.error.responseCode).toBe(550);
    expect(!result.ok && result.error.message).toBe(
      "5.7.1 Relay denied: this relay does not accept mail for domain gmail.com",
    );
  });

  it("rejects an address book entry that is not a phone at start-up", () => {
    expect(() => createRecipientResolver(["sms.example.com"], { boss: "12" })).toThrow(RelayConfigError);
    expect(() => createRecipientResolver(["sms.example.com"], { boss: "G12" })).toThrowError(/single_phone/);
    expect(() => createRecipientResolver([])).toThrowError(/domains/);
  });
});

describe("sender names (core's sender rules)", () => {
  it("goes from the user's From mapping to the user's sender, the relay-wide mapping, the default", () => {
    const { resolveSender: resolve } = createSenderResolver({
      users: {
        alerts: { sender: "Alerts", senders: { "Oncall@Example.org": "OnCall" } },
        plain: {},
        billing: { allowedFrom: ["billing@example.org"] },
      },
      senders: { "Billing@Example.org": "Billing" },
      defaultSender: "Company",
    });
    const alerts = { username: "alerts" };
    const plain = { username: "plain" };
    expect(resolve("oncall@example.org", alerts)).toBe("OnCall");
    expect(resolve("monitor@example.org", alerts)).toBe("Alerts");
    // A user with a fixed sender cannot borrow a relay-wide name by claiming its address.
    expect(resolve("billing@example.org", alerts)).toBe("Alerts");
    // Nor can a user without one: the relay-wide name is only for an address that is the user's.
    expect(resolve("billing@example.org", plain)).toBe("Company");
    expect(resolve("billing@example.org", { username: "billing" })).toBe("Billing");
    expect(resolve("monitor@example.org", plain)).toBe("Company");
    expect(resolve("billing@example.org", undefined)).toBe("Billing");
  });

  it("ties MAIL FROM and bounce addresses to what the user is allowed", () => {
    const senders = createSenderResolver({
      users: {
        shop: {
          senders: { "night@shop.example": "Night" },
          allowedFrom: ["orders@shop.example", "@ops.example"],
        },
        open: {},
      },
    });
    const shop = { username: "shop" };
    const open = { username: "open" };
    expect(senders.refuseEnvelopeSender("orders@shop.example", shop)).toBeUndefined();
    expect(senders.refuseEnvelopeSender("Night@Shop.example", shop)).toBeUndefined();
    expect(senders.refuseEnvelopeSender("anyone@ops.example", shop)).toBeUndefined();
    expect(senders.refuseEnvelopeSender("", shop)).toBeUndefined();
    expect(senders.refuseEnvelopeSender("ceo@bank.example", shop)).toMatch(/not allowed for user shop/);
    expect(senders.refuseEnvelopeSender("ceo@bank.example", open)).toBeUndefined();
    expect(senders.bounceAddress("orders@shop.example", shop)).toBe("orders@shop.example");
    expect(senders.bounceAddress("victim@elsewhere.example", open)).toBeUndefined();
    expect(senders.bounceAddress("", shop)).toBeUndefined();
    expect(senders.bounceAddress("monitor@lan.example", undefined)).toBe("monitor@lan.example");
  });

  it("refuses a configured sender SMSC would refuse, naming the option and the rule", () => {
    let error: unknown;
    try {
      createSenderResolver({ users: { alerts: { sender: "WayTooLongSenderName" } } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RelayConfigError);
    expect(error).toMatchObject({ field: "users.alerts.sender", rule: expect.any(String) });
    expect(() => createSenderResolver({ users: {}, senders: { "a@b.c": "Привет" } })).toThrowError(
      /senders\.a@b\.c/,
    );
    expect(() =>
      createSenderResolver({ users: { u: { senders: { "a@b.c": "WayTooLongSenderName" } } } }),
    ).toThrowError(/users\.u\.senders\.a@b\.c/);
  });
});
