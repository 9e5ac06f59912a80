import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSelfSignedCert } from "./helpers/cert.js";
import { plainAuth, RawSmtpSession } from "./helpers/raw-smtp.js";
import { DOMAIN, type Stack, startStack, USER } from "./helpers/stack.js";

/** `<code> <x.y.z> text`: a reply line with exactly one RFC 3463 enhanced status code. */
const ONE_ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3} (?![245]\.\d{1,3}\.\d{1,3} )/;

async function ehlo(port: number): Promise<RawSmtpSession> {
  const { session } = await RawSmtpSession.open(port);
  expect((await session.command("EHLO raw.test")).code).toBe(250);
  return session;
}

async function authed(port: number): Promise<RawSmtpSession> {
  const session = await ehlo(port);
  expect((await session.command(plainAuth(USER.name, USER.password))).code).toBe(235);
  return session;
}

describe("smtp-server's own refusals carry enhanced status codes like the relay's", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      worker: false,
      relay: { tls: makeSelfSignedCert() },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("advertises ENHANCEDSTATUSCODES", async () => {
    const { session } = await RawSmtpSession.open(stack.relay.port);
    expect((await session.command("EHLO raw.test")).text).toContain("ENHANCEDSTATUSCODES");
    session.close();
  });

  it("538 5.7.x for AUTH before STARTTLS", async () => {
    const session = await ehlo(stack.relay.port);
    const reply = await session.command(plainAuth(USER.name, USER.password));
    expect(reply.code).toBe(538);
    expect(reply.text).toMatch(/^5\.7\.\d+ /);
    session.close();
  });
});

describe("limits enforced by smtp-server, without TLS", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      worker: false,
      relay: { limits: { maxRecipients: 2, maxMessageBytes: 4096, closeTimeoutMs: 100 } },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("552 5.3.4 for a SIZE over the limit at MAIL", async () => {
    const session = await authed(stack.relay.port);
    const reply = await session.command("MAIL FROM:<a@example.org> SIZE=999999");
    expect(reply.code).toBe(552);
    expect(reply.text).toMatch(/^5\.3\.4 /);
    session.close();
  });

  it("keeps one code on the relay's own refusals", async () => {
    const session = await authed(stack.relay.port);
    expect((await session.command("MAIL FROM:<a@example.org>")).code).toBe(250);
    const reply = await session.command("RCPT TO:<79990000001@gmail.com>");
    expect(reply.code).toBe(550);
    expect(reply.text).toMatch(ONE_ENHANCED_CODE);
    expect(reply.text).toMatch(/^5\.7\.1 Relay denied/);
    session.close();
  });

  it("452 4.5.3 for one recipient too many", async () => {
    const session = await authed(stack.relay.port);
    expect((await session.command("MAIL FROM:<a@example.org>")).code).toBe(250);
    expect((await session.command(`RCPT TO:<79990000001@${DOMAIN}>`)).code).toBe(250);
    expect((await session.command(`RCPT TO:<79990000002@${DOMAIN}>`)).code).toBe(250);
    const reply = await session.command(`RCPT TO:<79990000003@${DOMAIN}>`);
    expect(reply.code).toBe(452);
    expect(reply.text).toMatch(/^4\.5\.3 /);
    session.close();
  });

  it("421 4.x.x to an open session when the relay shuts down", async () => {
    const session = await ehlo(stack.relay.port);
    const closing = stack.close();
    const reply = await session.read();
    expect(reply.code).toBe(421);
    expect(reply.text).toMatch(/^4\.\d\.\d+ /);
    await closing;
  });
});
