import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient, isFinalStatus, statusInfo } from "@smsc-kit/core";
import type { Outbox } from "@smsc-kit/outbox";
import { DEFAULT_ACCOUNT, startSimulator } from "@smsc-kit/simulator";
import nodemailer from "nodemailer";
import { validateConfig } from "../../config/load.js";
import { type RunningGateway, startGateway } from "../../gateway.js";
import { createLogger } from "../../logging.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { freePort } from "../free-port.js";

export interface DemoOptions {
  once: boolean;
  httpPort: number;
  smtpPort: number;
  simPort: number;
  dataFile?: string | undefined;
  interrupted: Promise<void>;
}

const HOST = "127.0.0.1";
const DEMO_PHONE = "79991234567";
const SMS_DOMAIN = "sms.local";
/** Credentials of the local demo only (the simulator's default account and a relay user made up here). */
const SMTP_USER = { username: "demo", password: "demo-smtp" };
const STEP_TIMEOUT_MS = 30_000;

class DemoStepError extends Error {
  override readonly name = "DemoStepError";
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DemoStepError(`timed out waiting for ${what}`)),
      STEP_TIMEOUT_MS,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Resolves with the first event of `name` for which `accept` is true. */
function nextEvent<E extends "sent" | "status">(
  outbox: Outbox,
  name: E,
  accept: (event: Parameters<Parameters<Outbox["on"]>[1]>[0]) => boolean,
) {
  return new Promise<Parameters<Parameters<typeof outbox.on<E>>[1]>[0]>((resolve) => {
    const listener = (event: Parameters<Parameters<typeof outbox.on<E>>[1]>[0]) => {
      if (!accept(event as never)) return;
      outbox.off(name, listener);
      resolve(event);
    };
    outbox.on(name, listener);
  });
}

/** `smsc demo`: simulator + gateway on embedded defaults, one e-mail walked to a delivered SMS. */
export async function runDemo(context: CliContext, options: DemoOptions): Promise<number> {
  const say = (line = "") => context.io.stdout.write(`${line}\n`);
  const [httpPort, smtpPort, simPort] = [
    await freePort(HOST, options.httpPort),
    await freePort(HOST, options.smtpPort),
    await freePort(HOST, options.simPort),
  ];
  const dataFile = options.dataFile ?? join(await mkdtemp(join(tmpdir(), "smsc-demo-")), "smsc-demo.sqlite");
  const callbackSecret = randomBytes(16).toString("hex");
  const webhookPath = "/smsc/callback";

  const simulator = await startSimulator({
    host: HOST,
    port: simPort,
    accounts: [
      {
        ...DEFAULT_ACCOUNT,
        callback: { url: `http://${HOST}:${httpPort}${webhookPath}`, secret: callbackSecret },
      },
    ],
    rules: { lifecycle: { handoffMs: 500, deliveryMs: 1500 } },
  });
  const simOrigin = new URL(simulator.url).origin;
  let gateway: RunningGateway | undefined;
  try {
    const config = validateConfig({
      smsc: { baseUrl: simOrigin, login: DEFAULT_ACCOUNT.login, psw: DEFAULT_ACCOUNT.psw, timeoutMs: 5000 },
      store: { sqlite: dataFile },
      smtp: { host: HOST, port: smtpPort, domains: [SMS_DOMAIN], users: [SMTP_USER] },
      webhook: { path: webhookPath, secret: callbackSecret },
      http: { host: HOST, port: httpPort },
      log: { level: "warn" },
    });
    // Logs go to stderr; stdout is the walkthrough.
    gateway = await startGateway(
      config,
      createLogger({ level: config.log.level, destination: process.stderr }),
    );
    const { outbox } = gateway;

    say("smsc-kit demo");
    say(`  simulator (stands in for smsc.ru): ${simulator.wsdlUrl}`);
    say(`  gateway: status page ${gateway.httpUrl}/  SMTP ${HOST}:${smtpPort}  store ${dataFile}`);
    say();

    const sent = nextEvent(outbox, "sent", () => true);
    const delivered = nextEvent(
      outbox,
      "status",
      (e) => "source" in e && e.source === "callback" && isFinalStatus(e.status),
    );
    outbox.on("status", (event) => {
      if (event.source !== "callback") return;
      say(
        `  callback: status ${event.status} (${statusInfo(event.status)?.name ?? "unknown"}) for ${event.phone}`,
      );
    });

    const transport = nodemailer.createTransport({
      host: HOST,
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
      auth: { user: SMTP_USER.username, pass: SMTP_USER.password },
    });
    const mail = await within(
      transport.sendMail({
        from: "shop@example.com",
        to: `${DEMO_PHONE}@${SMS_DOMAIN}`,
        subject: "order 1042",
        text: "Your order 1042 has shipped.",
      }),
      "the SMTP relay to accept the e-mail",
    );
    transport.close();
    say(`1. e-mail to ${DEMO_PHONE}@${SMS_DOMAIN} accepted by the SMTP relay: ${mail.response}`);

    const sentEvent = await within(sent, "the outbox to send the SMS");
    say(
      `2. SMS left the outbox: SMSC id ${sentEvent.smscId}, ${sentEvent.cnt ?? "?"} SMS${sentEvent.cost !== null ? `, cost ${sentEvent.cost}` : ""}`,
    );
    say("3. waiting for SMSC's delivery callback…");
    const final = await within(delivered, "the delivery callback");

    const client = createSmscClient(
      { login: DEFAULT_ACCOUNT.login, psw: DEFAULT_ACCOUNT.psw },
      { baseUrl: simOrigin, fallbackUrls: [] },
    );
    try {
      const status = await client.status({ id: final.smscId, phone: final.phone });
      const row = await outbox.get(final.rowId);
      say(
        `4. final status: ${final.status} (${statusInfo(final.status)?.name ?? "unknown"}); outbox row ${final.rowId} is "${row?.state}"; get_status says ${status.status} (${status.statusName})`,
      );
    } finally {
      await client.close();
    }

    say();
    say("Try it yourself:");
    say(`  status page   ${gateway.httpUrl}/   (metrics: ${gateway.httpUrl}/metrics)`);
    say(
      `  SMTP relay    ${HOST}:${smtpPort}, user ${SMTP_USER.username}, password ${SMTP_USER.password} (no TLS, AUTH PLAIN/LOGIN)`,
    );
    say(`                mail to <phone>@${SMS_DOMAIN}, e.g. ${DEMO_PHONE}@${SMS_DOMAIN}`);
    say(
      `  command line  SMSC_LOGIN=${DEFAULT_ACCOUNT.login} SMSC_PSW=${DEFAULT_ACCOUNT.psw} pnpm smsc --base-url ${simOrigin} send --phones ${DEMO_PHONE} --mes "Hello"`,
    );
    say(`                (the simulator's demo account; with real credentials drop --base-url)`);

    if (!options.once) {
      say();
      say("Running until Ctrl-C.");
      await options.interrupted;
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DemoStepError) {
      context.output.error({ step: error.message }, `demo failed: ${error.message}`);
      return EXIT.internal;
    }
    throw error;
  } finally {
    await gateway?.close();
    await simulator.close();
  }
}
