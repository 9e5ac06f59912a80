import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainAuth, RawSmtpSession } from "./helpers/raw-smtp.js";
import { DOMAIN, rowCount, type Stack, startStack, USER } from "./helpers/stack.js";

async function sendRaw(port: number, to: string, data: string) {
  const { session } = await RawSmtpSession.open(port);
  await session.command("EHLO raw.test");
  expect((await session.command(plainAuth(USER.name, USER.password))).code).toBe(235);
  expect((await session.command("MAIL FROM:<monitor@example.org>")).code).toBe(250);
  expect((await session.command(`RCPT TO:<${to}>`)).code).toBe(250);
  expect((await session.command("DATA")).code).toBe(354);
  const reply = await session.command(`${data}\r\n.`);
  session.close();
  return reply;
}

describe("configurable policies", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      relay: {
        overflow: "truncate",
        limits: { maxParts: 2 },
        body: { subject: "prepend", attachments: "refuse" },
        users: {
          [USER.name]: {
            password: USER.password,
            sender: USER.sender,
            senders: { "billing@example.org": "Billing" },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("truncation, when explicitly configured, is said in the reply and capped through SMSC's maxsms", async () => {
    stack.simulator.inspector.reset();
    const response = await stack.send({
      to: `79992220001@${DOMAIN}`,
      subject: "Long",
      text: "x".repeat(500),
    });
    expect(response).toMatch(
      /^250 2\.0\.0 Queued 1 SMS \(4 parts each, truncated to 2 parts by configuration\)/,
    );
    const [sms] = await stack.delivered(1);
    expect(sms?.parts).toBe(2);
  });

  it("truncation also holds for a body longer than SMSC's 1000-character text limit", async () => {
    stack.simulator.inspector.reset();
    const response = await stack.send({
      to: `79992220004@${DOMAIN}`,
      subject: "Log",
      text: "y".repeat(3000),
    });
    expect(response).toMatch(
      /^250 2\.0\.0 Queued 1 SMS \(\d+ parts each, truncated to 2 parts by configuration\)/,
    );
    const [sms] = await stack.delivered(1);
    expect(sms?.parts).toBe(2);
    expect(sms?.mes.startsWith("Log\nyyyy")).toBe(true);
  });

  it("prepends the subject and takes the sender name from the user's From mapping", async () => {
    stack.simulator.inspector.reset();
    await stack.send({
      from: "billing@example.org",
      to: `79992220002@${DOMAIN}`,
      subject: "Invoice",
      text: "paid",
    });
    const [sms] = await stack.delivered(1);
    expect(sms).toMatchObject({ mes: "Invoice\npaid", sender: "Billing" });
  });

  it("refuses attachments with 554 when so configured, and queues nothing", async () => {
    const rowsBefore = await rowCount(stack.outbox);
    await expect(
      stack.send({
        to: `79992220003@${DOMAIN}`,
        text: "see attached",
        attachments: [{ filename: "r.pdf", content: Buffer.from("%PDF-1.4") }],
      }),
    ).rejects.toMatchObject({
      responseCode: 554,
      response: expect.stringMatching(/^554 5\.6\.0 Attachments/),
    });
    expect(await rowCount(stack.outbox)).toBe(rowsBefore);
  });

  it("answers MIME nested deeper than the parser's bound with 554 instead of working on it", async () => {
    const depth = 100;
    let data = "Subject: nested\r\n";
    for (let i = 0; i < depth; i++)
      data += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    data += "Content-Type: text/plain\r\n\r\ndeep";
    const reply = await sendRaw(stack.relay.port, `79992220004@${DOMAIN}`, data);
    expect(reply.code).toBe(554);
    expect(reply.text).toMatch(/^5\.6\.0 Malformed MIME message: .*nesting/);
  });
});

describe("idle sessions", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: false, relay: { limits: { idleTimeoutMs: 300 } } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("are closed with 421", async () => {
    const { session } = await RawSmtpSession.open(stack.relay.port);
    await session.command("EHLO idle.test");
    const reply = await session.read();
    expect(reply.code).toBe(421);
    await session.closedByServer();
  });
});

describe("too many clients", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      worker: false,
      relay: { limits: { maxClients: 2, maxUnauthenticatedClients: 2 } },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("are turned away with 421 over maxClients", async () => {
    const first = await RawSmtpSession.open(stack.relay.port);
    const second = await RawSmtpSession.open(stack.relay.port);
    const third = await RawSmtpSession.open(stack.relay.port);
    expect(first.greeting.code).toBe(220);
    expect(second.greeting.code).toBe(220);
    expect(third.greeting.code).toBe(421);
    for (const { session } of [first, second, third]) session.close();
  });
});
