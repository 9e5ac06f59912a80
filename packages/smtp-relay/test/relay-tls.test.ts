import { createTransport } from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSelfSignedCert } from "./helpers/cert.js";
import { plainAuth, RawSmtpSession } from "./helpers/raw-smtp.js";
import { DOMAIN, type Stack, startStack, USER } from "./helpers/stack.js";

const cert = makeSelfSignedCert();

function transportTo(port: number, secure: boolean) {
  return createTransport({
    host: "127.0.0.1",
    port,
    secure,
    requireTLS: !secure,
    tls: { ca: [cert.cert], servername: "localhost" },
    auth: { user: USER.name, pass: USER.password },
  });
}

describe("STARTTLS when a certificate is configured", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ relay: { tls: { key: cert.key, cert: cert.cert } } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("refuses AUTH before STARTTLS, so the password never crosses in clear text", async () => {
    const { session } = await RawSmtpSession.open(stack.relay.port);
    const ehlo = await session.command("EHLO raw.test");
    expect(ehlo.text).toContain("STARTTLS");
    const reply = await session.command(plainAuth(USER.name, USER.password));
    expect(reply.code).toBe(538);
    session.close();
  });

  it("accepts mail after STARTTLS and delivers it", async () => {
    stack.simulator.inspector.reset();
    const transport = transportTo(stack.relay.port, false);
    const info = await transport.sendMail({
      from: "a@example.org",
      to: `79991112233@${DOMAIN}`,
      text: "over tls",
    });
    transport.close();
    expect(info.response).toMatch(/^250 2\.0\.0 Queued 1 SMS/);
    const [sms] = await stack.delivered(1);
    expect(sms).toMatchObject({ phone: "79991112233", mes: "over tls" });
  });
});

describe("implicit TLS", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ relay: { tls: { key: cert.key, cert: cert.cert, implicit: true } } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("speaks TLS from the first byte", async () => {
    stack.simulator.inspector.reset();
    const transport = transportTo(stack.relay.port, true);
    const info = await transport.sendMail({
      from: "a@example.org",
      to: `79991112234@${DOMAIN}`,
      text: "tls 465",
    });
    transport.close();
    expect(info.response).toMatch(/^250 /);
    const [sms] = await stack.delivered(1);
    expect(sms).toMatchObject({ phone: "79991112234", mes: "tls 465" });
  });
});
