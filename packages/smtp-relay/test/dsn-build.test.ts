import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { buildDsn, reportFromDeadEvent } from "../src/dsn.js";

const meta = {
  source: "smtp-relay",
  envelopeFrom: "monitor@example.org",
  dsnTo: "monitor@example.org",
  recipients: ["79990000007@sms.example.com"],
  phone: "79990000007",
  messageId: "<abc@example.org>",
  subject: "Disk full",
  receivedAt: "2026-11-25T08:00:00.000Z",
};

describe("reportFromDeadEvent", () => {
  it("reads the relay's meta back from a dead-letter event", () => {
    expect(
      reportFromDeadEvent({
        meta,
        error: { code: 7, errorClass: "invalid_recipient", message: "invalid phone" },
      }),
    ).toEqual({
      envelopeFrom: "monitor@example.org",
      recipients: ["79990000007@sms.example.com"],
      phone: "79990000007",
      messageId: "<abc@example.org>",
      subject: "Disk full",
      receivedAt: "2026-11-25T08:00:00.000Z",
      diagnostic: "SMSC error 7: invalid phone",
    });
  });

  it("ignores rows other producers queued and never bounces to the null sender", () => {
    const error = { code: 7, errorClass: "invalid_recipient", message: "invalid phone" };
    expect(reportFromDeadEvent({ meta: { source: "billing" }, error })).toBeNull();
    expect(reportFromDeadEvent({ meta: null, error })).toBeNull();
    const { dsnTo: _, ...unverified } = meta;
    expect(reportFromDeadEvent({ meta: { ...unverified, envelopeFrom: "" }, error })).toBeNull();
    // MAIL FROM alone is a claim: without the address the relay judged the user's, no bounce.
    expect(reportFromDeadEvent({ meta: unverified, error })).toBeNull();
  });
});

describe("buildDsn", () => {
  it("produces an RFC 3464 multipart/report with a delivery-status part per recipient", async () => {
    const report = reportFromDeadEvent({
      meta,
      error: { code: 7, errorClass: "invalid_recipient", message: "invalid\r\nphone" },
    })!;
    const raw = await buildDsn(report, "mailer-daemon@sms.example.com", "relay.test");
    const text = raw.toString("utf8");
    expect(text).toMatch(/Content-Type: multipart\/report;\s+report-type=delivery-status;/i);
    const parsed = await PostalMime.parse(raw, { attachmentEncoding: "utf8" });
    expect(parsed.to?.[0]).toMatchObject({ address: "monitor@example.org" });
    expect(parsed.inReplyTo).toBe("<abc@example.org>");
    expect(parsed.text).toContain("79990000007@sms.example.com");
    const status = parsed.attachments.find((a) => a.mimeType === "message/delivery-status");
    expect(status?.content).toContain("Reporting-MTA: dns; relay.test");
    expect(status?.content).toContain("Final-Recipient: rfc822; 79990000007@sms.example.com");
    expect(status?.content).toContain("Action: failed");
    expect(status?.content).toContain("Status: 5.0.0");
    // The diagnostic is folded onto one line so it cannot inject header fields.
    expect(status?.content).toContain("Diagnostic-Code: X-SMSC; SMSC error 7: invalid phone");
    const headers = parsed.attachments.find((a) => a.mimeType === "text/rfc822-headers");
    expect(headers?.content).toContain("Message-ID: <abc@example.org>");
  });
});
