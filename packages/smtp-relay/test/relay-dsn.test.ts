import type { AddressInfo } from "node:net";
import PostalMime from "postal-mime";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DOMAIN, type Stack, startStack, USER } from "./helpers/stack.js";

/** Bounces go only to an envelope sender that is the user's own. */
const OWN_FROM = { [USER.name]: { password: USER.password, allowedFrom: ["monitor@example.org"] } };

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

/** A second smtp-server standing in for the organisation's smarthost; it keeps what it gets. */
async function startSmarthost(password?: string) {
  const received: Received[] = [];
  const server = new SMTPServer({
    ...(password
      ? {
          allowInsecureAuth: true,
          disabledCommands: ["STARTTLS"],
          onAuth(auth, _session, callback) {
            if (auth.password === password) callback(null, { user: auth.username });
            else callback(new Error("Invalid username or password"));
          },
        }
      : { authOptional: true, disabledCommands: ["STARTTLS", "AUTH"] }),
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("DSN when a relayed SMS dead-letters", () => {
  let smarthost: Awaited<ReturnType<typeof startSmarthost>>;
  let stack: Stack;

  beforeAll(async () => {
    smarthost = await startSmarthost();
    stack = await startStack({
      // The simulator refuses numbers starting 7999666 as SMSC does an invalid phone (error 7).
      simulator: { rules: { rateLimits: false, phones: [{ prefix: "7999666", sendError: 7 }] } },
      relay: {
        users: OWN_FROM,
        name: "relay.test",
        dsn: {
          transport: { host: "127.0.0.1", port: smarthost.port, secure: false, ignoreTLS: true },
          from: "mailer-daemon@sms.example.com",
        },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await smarthost?.close();
  });

  it("sends an RFC 3464 report to the envelope sender from the null sender", async () => {
    const response = await stack.send({
      from: "monitor@example.org",
      to: `79996660001@${DOMAIN}`,
      subject: "Disk full",
      text: "this one will dead-letter",
    });
    expect(response).toMatch(/^250 /);
    const dsn = await vi.waitFor(
      () => {
        const found = smarthost.received[0];
        expect(found, "a DSN at the smarthost").toBeTruthy();
        return found!;
      },
      { timeout: 15_000 },
    );
    expect(dsn.from).toBe("");
    expect(dsn.to).toEqual(["monitor@example.org"]);
    const parsed = await PostalMime.parse(dsn.raw, { attachmentEncoding: "utf8" });
    expect(parsed.subject).toContain("Undelivered SMS");
    const status = parsed.attachments.find((a) => a.mimeType === "message/delivery-status");
    expect(status?.content).toContain(`Final-Recipient: rfc822; 79996660001@${DOMAIN}`);
    expect(status?.content).toContain("Action: failed");
    expect(status?.content).toContain("Reporting-MTA: dns; relay.test");
    // The diagnostic never carries the SMSC credentials of the outbox's client.
    expect(dsn.raw.toString("utf8")).not.toContain("psw");
  });
});

describe("DSN through a smarthost that refuses our credentials", () => {
  const smarthostSecret = "smarthost-Pa55-secret";
  let smarthost: Awaited<ReturnType<typeof startSmarthost>>;
  let stack: Stack;
  const logs: string[] = [];

  beforeAll(async () => {
    smarthost = await startSmarthost("the-right-one");
    const record = (obj: Record<string, unknown>, msg: string) => logs.push(`${msg} ${JSON.stringify(obj)}`);
    stack = await startStack({
      simulator: { rules: { rateLimits: false, phones: [{ prefix: "7999666", sendError: 7 }] } },
      relay: {
        users: OWN_FROM,
        logger: { info: record, warn: record, error: record },
        dsn: {
          transport: {
            host: "127.0.0.1",
            port: smarthost.port,
            secure: false,
            ignoreTLS: true,
            auth: { user: "relay", pass: smarthostSecret },
          },
          from: "mailer-daemon@sms.example.com",
        },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await smarthost?.close();
  });

  it("logs the failure without the smarthost password and keeps relaying", async () => {
    await stack.send({ to: `79996660002@${DOMAIN}`, text: "will dead-letter" });
    await vi.waitFor(
      () =>
        expect(
          logs.find((line) => line.startsWith("DSN could not be sent")),
          "the DSN failure log",
        ).toBeTruthy(),
      { timeout: 15_000 },
    );
    expect(smarthost.received).toHaveLength(0);
    expect(logs.join("\n")).not.toContain(smarthostSecret);
    expect(await stack.send({ to: `79996670003@${DOMAIN}`, text: "still relaying" })).toMatch(/^250 /);
  });
});
