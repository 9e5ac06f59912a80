import { mkdtemp } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import nodemailer from "nodemailer";
import PostalMime from "postal-mime";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import { parseConfigText, validateConfig } from "../src/config/load.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";

/**
 * Bounce notices from the gateway: SMSC refuses a relayed SMS for good (the simulator's invalid-number rule),
 * the row dead-letters, and the relay mails an RFC 3464 report through the smarthost configured in YAML.
 */

const SMSC_PSW = "dsn-Smsc-Psw-77";
const SMTP_PASSWORD = "dsn-Smtp-Pw-88";
const SMARTHOST_PASS = "smarthost-Secret-99";
const DOMAIN = "sms.example.com";

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

/** A second smtp-server standing in for the organisation's smarthost; it wants AUTH and keeps what it gets. */
async function startSmarthost() {
  const received: Received[] = [];
  const server = new SMTPServer({
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "relay" && auth.password === SMARTHOST_PASS) callback(null, { user: "relay" });
      else callback(new Error("Invalid username or password"));
    },
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

let simulator: RunningSimulator;
let smarthost: Awaited<ReturnType<typeof startSmarthost>>;
let gateway: RunningGateway;
const logLines: string[] = [];

beforeAll(async () => {
  simulator = await startSimulator({
    port: 0,
    accounts: [{ login: "gw", psw: SMSC_PSW }],
    // Numbers starting 7999666 are refused as SMSC refuses an invalid phone (error 7, permanent).
    rules: { rateLimits: false, phones: [{ prefix: "7999666", sendError: 7 }] },
  });
  smarthost = await startSmarthost();
  const dir = await mkdtemp(join(tmpdir(), "smsc-gw-dsn-"));
  // Through YAML text, as an operator writes it.
  const yaml = stringify({
    smsc: { baseUrl: new URL(simulator.url).origin, login: "gw", psw: SMSC_PSW },
    store: { sqlite: join(dir, "gw.sqlite") },
    http: { port: 0 },
    smtp: {
      port: 0,
      domains: [DOMAIN],
      // Bounces go only to an envelope sender that is the user's own.
      users: [{ username: "shop", password: SMTP_PASSWORD, allowedFrom: ["monitor@example.org"] }],
      dsn: {
        transport: { host: "127.0.0.1", port: smarthost.port, auth: { user: "relay", pass: SMARTHOST_PASS } },
        from: "mailer-daemon@sms.example.com",
        reportingMta: "gateway.test",
      },
    },
  });
  const config = validateConfig(parseConfigText(yaml), {});
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString("utf8"));
      done();
    },
  });
  gateway = await startGateway(config, createLogger({ destination }));
  // The whole config logged by accident still hides the smarthost password (six levels down).
  createLogger({ destination }).info({ config }, "config as loaded");
});

afterAll(async () => {
  await gateway?.close();
  await smarthost?.close();
  await simulator?.close();
});

describe("gateway DSN", () => {
  it("mails a delivery status notice through the configured smarthost when a relayed SMS dead-letters", async () => {
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port: gateway.smtpPort,
      secure: false,
      ignoreTLS: true,
      auth: { user: "shop", pass: SMTP_PASSWORD },
    });
    try {
      await transport.sendMail({
        from: "monitor@example.org",
        to: `79996660001@${DOMAIN}`,
        subject: "Disk full",
        text: "this one will dead-letter",
      });
    } finally {
      transport.close();
    }

    const dsn = await vi.waitFor(
      () => {
        const found = smarthost.received[0];
        expect(found, "a DSN at the smarthost").toBeTruthy();
        return found!;
      },
      { timeout: 20_000 },
    );
    expect(dsn.from).toBe("");
    expect(dsn.to).toEqual(["monitor@example.org"]);
    const parsed = await PostalMime.parse(dsn.raw, { attachmentEncoding: "utf8" });
    const status = parsed.attachments.find((a) => a.mimeType === "message/delivery-status");
    expect(status?.content).toContain(`Final-Recipient: rfc822; 79996660001@${DOMAIN}`);
    expect(status?.content).toContain("Action: failed");
    expect(status?.content).toContain("Reporting-MTA: dns; gateway.test");
    expect(dsn.raw.toString("utf8")).not.toContain(SMSC_PSW);

    const stats = await gateway.outbox.stats();
    expect(stats.deadLetterDepth).toBe(1);
  });

  it("never shows the smarthost password in logs, on the status page or in /metrics", async () => {
    const logs = logLines.join("");
    expect(logs).toContain('"msg":"config as loaded"');
    expect(logs).toContain('"msg":"SMS moved to the dead letter"');
    const page = await (await fetch(`${gateway.httpUrl}/`)).text();
    expect(page).toContain("79996660001");
    const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
    for (const secret of [SMARTHOST_PASS, SMSC_PSW, SMTP_PASSWORD]) {
      expect(logs).not.toContain(secret);
      expect(page).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
  });
});
