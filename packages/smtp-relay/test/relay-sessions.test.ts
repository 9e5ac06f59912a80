import { readFileSync } from "node:fs";
import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { plainAuth, RawSmtpSession } from "./helpers/raw-smtp.js";
import { DOMAIN, rowCount, type Stack, startStack, USER } from "./helpers/stack.js";

const CYRILLIC_TEXT = "Привет! Сервер БД недоступен с 03:15, дежурный, проверьте.";
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

/** Puts a fixture's recipients on our test domain and phones (fixtures name 79991234567). */
function fixtureTo(name: string, phone: string): Buffer {
  return Buffer.from(fixture(name).toString("latin1").replace("79991234567", phone), "latin1");
}

async function authedRawSession(port: number): Promise<RawSmtpSession> {
  const { session, greeting } = await RawSmtpSession.open(port);
  expect(greeting.code).toBe(220);
  expect((await session.command("EHLO raw.test")).code).toBe(250);
  expect((await session.command(plainAuth(USER.name, USER.password))).code).toBe(235);
  return session;
}

describe("relay sessions over loopback (SQLite outbox → simulator)", () => {
  let stack: Stack;
  const logs: string[] = [];

  beforeAll(async () => {
    const record = (obj: Record<string, unknown>, msg: string) => logs.push(`${msg} ${JSON.stringify(obj)}`);
    stack = await startStack({
      relay: {
        limits: { maxMessageBytes: 8 * 1024, maxParts: 3 },
        addressBook: { duty: "79990001122" },
        logger: { info: record, warn: record, error: record },
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("happy path: 250 with the outbox id, and the SMS reaches the simulator with the user's sender", async () => {
    stack.simulator.inspector.reset();
    const response = await stack.send({
      to: `79991234567@${DOMAIN}`,
      subject: "ignored",
      text: "Disk full on db-1",
    });
    expect(response).toMatch(/^250 2\.0\.0 Queued 1 SMS \(1 part each\) as \d+$/);
    const [sms] = await stack.delivered(1);
    expect(sms).toMatchObject({ phone: "79991234567", mes: "Disk full on db-1", sender: USER.sender });
  });

  it("several recipients, including +digits and an address book name, become one SMS per phone", async () => {
    stack.simulator.inspector.reset();
    const response = await stack.send({
      to: [
        `79991230001@${DOMAIN}`,
        `+79991230002@${DOMAIN}`,
        `duty@${DOMAIN}`,
        `DUTY@${DOMAIN.toUpperCase()}`,
      ],
      text: "Failover started",
    });
    const ids = /as (\d+) (\d+) (\d+)$/.exec(response);
    expect(response).toMatch(/^250 2\.0\.0 Queued 3 SMS/);
    expect(ids).not.toBeNull();
    const messages = await stack.delivered(3);
    expect(messages.map((m) => m.phone.replace(/^\+/, "")).sort()).toEqual([
      "79990001122",
      "79991230001",
      "79991230002",
    ]);
    expect(new Set(messages.map((m) => m.mes))).toEqual(new Set(["Failover started"]));
  });

  it("recipients that name one subscriber in different spellings become one SMS", async () => {
    stack.simulator.inspector.reset();
    const response = await stack.send({
      to: [
        `+79990000030@${DOMAIN}`,
        `79990000030@${DOMAIN}`,
        `89990000030@${DOMAIN}`,
        `8-999-000-00-30@${DOMAIN}`,
        `0079990000030@${DOMAIN}`,
      ],
      text: "One subscriber",
    });
    expect(response).toMatch(/^250 2\.0\.0 Queued 1 SMS \(1 part each\) as \d+$/);
    const [sms] = await stack.delivered(1);
    expect(sms?.phone.replace(/^\+/, "")).toBe("79990000030");
  });

  it("a foreign number written with the 00 prefix is that number, and one SMS with its +spelling", async () => {
    stack.simulator.inspector.reset();
    const response = await stack.send({
      to: [`00447911123456@${DOMAIN}`, `+447911123456@${DOMAIN}`, `0079990000031@${DOMAIN}`],
      text: "Abroad",
    });
    expect(response).toMatch(/^250 2\.0\.0 Queued 2 SMS/);
    const messages = await stack.delivered(2);
    expect(messages.map((m) => m.phone.replace(/^\+/, "")).sort()).toEqual(["447911123456", "79990000031"]);
  });

  it("the same bare alert sent twice (no Message-ID, no Date) is two alerts, not a resend", async () => {
    stack.simulator.inspector.reset();
    const envelope = { from: "monitor@example.org", to: [`79991234509@${DOMAIN}`] };
    const bare = Buffer.from("Subject: backup\r\n\r\nBackup failed on db-3\r\n");
    const first = await stack.send({ envelope, raw: bare });
    const second = await stack.send({ envelope, raw: bare });
    expect(first).toMatch(/^250 2\.0\.0 Queued 1 SMS/);
    expect(second).toMatch(/^250 2\.0\.0 Queued 1 SMS/);
    expect(second.replace(/^.* as /, "")).not.toBe(first.replace(/^.* as /, ""));
    expect((await stack.delivered(2)).map((m) => m.mes)).toEqual([
      "Backup failed on db-3",
      "Backup failed on db-3",
    ]);
    // With a Date the bytes say which mail this is: the same bytes again are a resend.
    const dated = Buffer.from(`Date: Sun, 29 Nov 2026 08:00:00 +0000\r\n${bare.toString()}`);
    const once = await stack.send({ envelope, raw: dated });
    expect(await stack.send({ envelope, raw: dated })).toBe(once.replace("Queued", "Already queued"));
  });

  it.each(["koi8-r.eml", "windows-1251.eml"])("decodes a %s body before it becomes an SMS", async (name) => {
    stack.simulator.inspector.reset();
    const response = await stack.send({
      envelope: { from: "monitor@example.org", to: [`79991234500@${DOMAIN}`] },
      raw: fixtureTo(name, "79991234500"),
    });
    expect(response).toMatch(/^250 2\.0\.0 Queued 1 SMS/);
    const [sms] = await stack.delivered(1);
    expect(sms).toMatchObject({ phone: "79991234500", mes: CYRILLIC_TEXT });
  });

  it("converts an HTML-only mail to text, keeping the link's URL", async () => {
    stack.simulator.inspector.reset();
    const response = await stack.send({
      to: `79991234501@${DOMAIN}`,
      html: "<h1>Alert</h1><p>CPU <b>98%</b> on <a href='https://x.example'>web-3</a></p>",
    });
    expect(response).toMatch(/^250 /);
    const [sms] = await stack.delivered(1);
    expect(sms?.mes).toBe("ALERT\n\nCPU 98% on web-3 https://x.example");
  });

  it("answers a message whose closing MIME boundary is missing, and sends its text", async () => {
    stack.simulator.inspector.reset();
    const session = await authedRawSession(stack.relay.port);
    expect((await session.command("MAIL FROM:<monitor@example.org>")).code).toBe(250);
    expect((await session.command(`RCPT TO:<79991234502@${DOMAIN}>`)).code).toBe(250);
    expect((await session.command("DATA")).code).toBe(354);
    session.write(fixtureTo("missing-boundary.eml", "79991234502"));
    const reply = await session.command("\r\n.");
    expect(reply.code).toBe(250);
    expect((await session.command("QUIT")).code).toBe(221);
    const [sms] = await stack.delivered(1);
    expect(sms?.mes).toBe("Backup failed on db-2");
  });

  it("refuses text over the segment budget with the part count, and queues nothing", async () => {
    const rowsBefore = await rowCount(stack.outbox);
    const long = "Ж".repeat(67 * 3 + 1); // UCS-2: four parts of 67
    await expect(stack.send({ to: `79991234503@${DOMAIN}`, text: long })).rejects.toMatchObject({
      responseCode: 552,
      response: expect.stringMatching(/^552 5\.3\.4 .*4 parts, the limit is 3/),
    });
    expect(await rowCount(stack.outbox)).toBe(rowsBefore);
  });

  it("refuses a windows-1251 body sent without a charset with 554 5.6.0 instead of queueing mojibake", async () => {
    const rowsBefore = await rowCount(stack.outbox);
    const raw = Buffer.concat([
      Buffer.from(`From: monitor@example.org\r\nTo: 79991234508@${DOMAIN}\r\nSubject: x\r\n`),
      Buffer.from("Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
      Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2, 0x0d, 0x0a]), // "Привет" in windows-1251
    ]);
    await expect(
      stack.send({ envelope: { from: "monitor@example.org", to: [`79991234508@${DOMAIN}`] }, raw }),
    ).rejects.toMatchObject({ responseCode: 554, response: expect.stringMatching(/^554 5\.6\.0 .*charset/) });
    expect(await rowCount(stack.outbox)).toBe(rowsBefore);
  });

  it("refuses an oversize message while DATA arrives (no SIZE declared) with 552, nothing queued", async () => {
    const rowsBefore = await rowCount(stack.outbox);
    const session = await authedRawSession(stack.relay.port);
    expect((await session.command("MAIL FROM:<monitor@example.org>")).code).toBe(250);
    expect((await session.command(`RCPT TO:<79991234504@${DOMAIN}>`)).code).toBe(250);
    expect((await session.command("DATA")).code).toBe(354);
    session.write("Subject: big\r\n\r\n");
    for (let i = 0; i < 200; i++) session.write(`${"x".repeat(98)}\r\n`); // ~20 KB > 8 KB
    const reply = await session.command(".");
    expect(reply.code).toBe(552);
    expect(reply.text).toContain("5.3.4");
    // The session stays usable after the refusal.
    expect((await session.command("RSET")).code).toBe(250);
    expect((await session.command("QUIT")).code).toBe(221);
    expect(await rowCount(stack.outbox)).toBe(rowsBefore);
  });

  it("a client vanishing in the middle of DATA queues nothing and harms no other session", async () => {
    const rowsBefore = await rowCount(stack.outbox);
    const session = await authedRawSession(stack.relay.port);
    expect((await session.command("MAIL FROM:<monitor@example.org>")).code).toBe(250);
    expect((await session.command(`RCPT TO:<79991234511@${DOMAIN}>`)).code).toBe(250);
    expect((await session.command("DATA")).code).toBe(354);
    session.write("Subject: half\r\n\r\nthis mail never ends");
    session.close();
    const response = await stack.send({ to: `79991234512@${DOMAIN}`, text: "still here" });
    expect(response).toMatch(/^250 2\.0\.0 Queued 1 SMS/);
    expect((await rowCount(stack.outbox)) - rowsBefore).toBe(1);
    // Let it reach the simulator here, so it cannot land in a later test's count.
    await vi.waitFor(
      () =>
        expect(
          stack.simulator.inspector.messages().find((m) => m.phone === "79991234512"),
          "the SMS of the other session",
        ).toBeTruthy(),
      { timeout: 15_000 },
    );
  });

  it("refuses a SIZE declared over the limit at MAIL FROM", async () => {
    const session = await authedRawSession(stack.relay.port);
    const reply = await session.command("MAIL FROM:<monitor@example.org> SIZE=999999");
    expect(reply.code).toBe(552);
    session.close();
  });

  it("answers each RCPT on its own: invalid number 550 5.1.1 with the rule, foreign domain 550 relay denied", async () => {
    stack.simulator.inspector.reset();
    const session = await authedRawSession(stack.relay.port);
    expect((await session.command("MAIL FROM:<monitor@example.org>")).code).toBe(250);
    const good = await session.command(`RCPT TO:<79991234505@${DOMAIN}>`);
    const letters = await session.command(`RCPT TO:<ivan.petrov@${DOMAIN}>`);
    const foreign = await session.command("RCPT TO:<79991234506@gmail.com>");
    expect(good.code).toBe(250);
    expect(letters).toMatchObject({
      code: 550,
      text: expect.stringMatching(/^5\.1\.1 .*rule local_part_format/),
    });
    expect(foreign).toMatchObject({
      code: 550,
      text: expect.stringMatching(/^5\.7\.1 Relay denied.*gmail\.com/),
    });
    expect((await session.command("DATA")).code).toBe(354);
    const reply = await session.command("Subject: x\r\n\r\nonly the valid one\r\n.");
    expect(reply).toMatchObject({ code: 250, text: expect.stringMatching(/Queued 1 SMS/) });
    session.close();
    const [sms] = await stack.delivered(1);
    expect(sms).toMatchObject({ phone: "79991234505", mes: "only the valid one" });
  });

  it("accepts AUTH LOGIN as well as PLAIN", async () => {
    const { session } = await RawSmtpSession.open(stack.relay.port);
    await session.command("EHLO raw.test");
    expect((await session.command("AUTH LOGIN")).code).toBe(334);
    expect((await session.command(Buffer.from(USER.name).toString("base64"))).code).toBe(334);
    expect((await session.command(Buffer.from(USER.password).toString("base64"))).code).toBe(235);
    expect((await session.command("MAIL FROM:<monitor@example.org>")).code).toBe(250);
    session.close();
  });

  it("nodemailer sees the invalid recipients rejected and the valid one sent", async () => {
    stack.simulator.inspector.reset();
    const transport = createTransport({
      host: "127.0.0.1",
      port: stack.relay.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: USER.name, pass: USER.password },
    });
    const info = await transport.sendMail({
      from: "monitor@example.org",
      to: [`79991234509@${DOMAIN}`, `12@${DOMAIN}`, "79991234510@example.net"],
      text: "mixed",
    });
    transport.close();
    expect(info.accepted).toEqual([`79991234509@${DOMAIN}`]);
    expect(info.rejected).toEqual([`12@${DOMAIN}`, "79991234510@example.net"]);
    expect(info.response).toMatch(/^250 2\.0\.0 Queued 1 SMS/);
    const [sms] = await stack.delivered(1);
    expect(sms).toMatchObject({ phone: "79991234509", mes: "mixed" });
  });

  it("requires AUTH: MAIL without it gets 530, and nothing is queued", async () => {
    const rowsBefore = await rowCount(stack.outbox);
    const { session } = await RawSmtpSession.open(stack.relay.port);
    await session.command("EHLO raw.test");
    const reply = await session.command("MAIL FROM:<monitor@example.org>");
    expect(reply.code).toBe(530);
    session.close();
    await expect(stack.send({ to: `79991234507@${DOMAIN}`, text: "no auth" }, false)).rejects.toMatchObject({
      responseCode: 530,
    });
    expect(await rowCount(stack.outbox)).toBe(rowsBefore);
  });

  it("a wrong password gets 535, queues nothing, and never shows up in replies or logs", async () => {
    const rowsBefore = await rowCount(stack.outbox);
    const wrong = "wrong-Pa55word-XYZ";
    await expect(
      stack.send({ to: `79991234508@${DOMAIN}`, text: "x" }, { user: USER.name, pass: wrong }),
    ).rejects.toMatchObject({ responseCode: 535, response: expect.not.stringContaining(wrong) });
    const { session } = await RawSmtpSession.open(stack.relay.port);
    await session.command("EHLO raw.test");
    const reply = await session.command(plainAuth(USER.name, wrong));
    expect(reply.code).toBe(535);
    expect(reply.text).not.toContain(wrong);
    session.close();
    expect(await rowCount(stack.outbox)).toBe(rowsBefore);
    const allLogs = logs.join("\n");
    expect(allLogs).not.toContain(wrong);
    expect(allLogs).not.toContain(USER.password);
  });

  it("disconnects a client that keeps sending commands without authenticating", async () => {
    const { session } = await RawSmtpSession.open(stack.relay.port);
    for (let i = 0; i < 12 && !session.closed; i++) session.write("NOOP\r\n");
    await session.closedByServer();
    expect(session.closed).toBe(true);
  });
});
