/**
 * The relay's abuse cases as one table, in the style of Standard Webhooks' behavioural cases: each row is
 * an attack and the reply a real relay must give to it, run over loopback against a fresh relay (real
 * SQLite outbox, real simulator) with raw sockets or nodemailer. The relay's clock is injected, so
 * lockouts and quota windows expire by moving it, never by sleeping.
 */
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import type { RelayOptions } from "../src/index.js";
import { plainAuth, RawSmtpSession, type SmtpReply } from "./helpers/raw-smtp.js";
import { DOMAIN, type Stack, startStack, USER } from "./helpers/stack.js";

const WRONG = "not-the-password";
const MINUTE = 60_000;

interface Ctx {
  stack: Stack;
  /** Moves the relay's clock forward. */
  advance(ms: number): void;
  logs: string[];
  registry: Registry;
  /** The reply `run` returned (for `after`). */
  lastReply?: SmtpReply;
}

interface AbuseCase {
  attack: string;
  relay?: Partial<RelayOptions>;
  /** Runs the attack and returns the reply that matters. */
  run(ctx: Ctx): Promise<SmtpReply>;
  reply: { code: number; text: RegExp };
  /** Anything else that must hold afterwards. */
  after?(ctx: Ctx): Promise<void> | void;
}

async function greeted(port: number, localAddress?: string): Promise<RawSmtpSession> {
  const { session, greeting } = await RawSmtpSession.open(port, "127.0.0.1", localAddress);
  expect(greeting.code).toBe(220);
  expect((await session.command("EHLO attacker.test")).code).toBe(250);
  return session;
}

/** One AUTH attempt on a fresh connection; the connection is closed afterwards. */
async function authOnce(port: number, password: string, localAddress?: string, user = USER.name) {
  const session = await greeted(port, localAddress);
  const reply = await session.command(plainAuth(user, password));
  session.close();
  return reply;
}

/** A nodemailer send whose reply (accepted or refused) is returned rather than thrown. */
async function sendReply(stack: Stack, mail: Parameters<Stack["send"]>[0]): Promise<SmtpReply> {
  try {
    const response = await stack.send(mail);
    return { code: Number(response.slice(0, 3)), text: response.slice(4) };
  } catch (error) {
    const { responseCode, response } = error as { responseCode?: number; response?: string };
    if (responseCode === undefined || response === undefined) throw error;
    return { code: responseCode, text: response.slice(4) };
  }
}

/** Opens an unauthenticated connection that sends one byte of "EHLO" every `everyMs`, never finishing. */
async function trickle(port: number, localAddress: string, everyMs: number) {
  const { session } = await RawSmtpSession.open(port, "127.0.0.1", localAddress);
  const timer = setInterval(() => session.write("E"), everyMs);
  return {
    session,
    stop() {
      clearInterval(timer);
      session.close();
    },
  };
}

const fastAuth = { authFailureDelayMs: 1 };

const CASES: AbuseCase[] = [
  {
    attack: "300 wrong passwords pipelined in one connection",
    relay: { limits: { ...fastAuth, maxAuthFailuresPerConnection: 3 } },
    async run({ stack }) {
      const session = await greeted(stack.relay.port);
      session.write(`${plainAuth(USER.name, WRONG)}\r\n`.repeat(300));
      const replies = [await session.read(), await session.read(), await session.read()];
      expect(replies.map((r) => r.code)).toEqual([535, 535, 421]);
      await session.closedByServer();
      return replies[2]!;
    },
    reply: { code: 421, text: /^4\.7\.0 Too many failed authentication attempts/ },
  },
  {
    attack: "wrong passwords from one address over many connections, then the right one",
    relay: { limits: { ...fastAuth, maxAuthFailuresPerAddress: 4, maxAuthFailuresPerUser: 100 } },
    async run({ stack }) {
      for (let i = 0; i < 4; i++) {
        expect((await authOnce(stack.relay.port, WRONG, "127.0.0.2", `guess${i}`)).code).toBe(535);
      }
      return authOnce(stack.relay.port, USER.password, "127.0.0.2");
    },
    reply: { code: 454, text: /^4\.7\.0 / },
    async after({ stack }) {
      // Other addresses are not locked out.
      expect((await authOnce(stack.relay.port, USER.password, "127.0.0.3")).code).toBe(235);
    },
  },
  {
    attack: "wrong passwords for one username from many addresses, then the right one",
    relay: { limits: { ...fastAuth, maxAuthFailuresPerUser: 3, maxAuthFailuresPerAddress: 100 } },
    async run({ stack }) {
      for (const address of ["127.0.0.4", "127.0.0.5", "127.0.0.6"]) {
        expect((await authOnce(stack.relay.port, WRONG, address)).code).toBe(535);
      }
      return authOnce(stack.relay.port, USER.password, "127.0.0.7");
    },
    reply: { code: 454, text: /^4\.7\.0 / },
  },
  {
    attack: "junk AUTH failures from many addresses filling the tables to unlock a locked username",
    relay: {
      limits: { ...fastAuth, maxAuthFailuresPerUser: 3, maxAuthFailuresPerAddress: 100, authTrackedKeys: 10 },
    },
    async run({ stack }) {
      for (const address of ["127.0.0.4", "127.0.0.5", "127.0.0.6"]) {
        expect((await authOnce(stack.relay.port, WRONG, address)).code).toBe(535);
      }
      expect((await authOnce(stack.relay.port, USER.password, "127.0.0.7")).code).toBe(454);
      // One failure each under a junk username from 30 fresh addresses: three times the tables' size.
      for (let n = 1; n <= 30; n++) {
        expect((await authOnce(stack.relay.port, WRONG, `127.0.1.${n}`, `junk${n}`)).code).toBe(535);
      }
      return authOnce(stack.relay.port, USER.password, "127.0.0.8");
    },
    reply: { code: 454, text: /^4\.7\.0 / },
  },
  {
    attack: "the right password once the lockout has expired",
    relay: { limits: { ...fastAuth, maxAuthFailuresPerUser: 2, authLockoutMs: 10 * MINUTE } },
    async run({ stack, advance }) {
      expect((await authOnce(stack.relay.port, WRONG)).code).toBe(535);
      expect((await authOnce(stack.relay.port, WRONG)).code).toBe(535);
      expect((await authOnce(stack.relay.port, USER.password)).code).toBe(454);
      advance(10 * MINUTE + 1);
      return authOnce(stack.relay.port, USER.password);
    },
    reply: { code: 235, text: /^2\.7\.0 / },
  },
  {
    attack: "a failed AUTH is logged with username and address, never the password",
    relay: { limits: fastAuth },
    run: ({ stack }) => authOnce(stack.relay.port, "Sup3r-Secret-Guess", "127.0.0.8", "mallory"),
    reply: { code: 535, text: /^5\.7\.8 / },
    after({ logs }) {
      const line = logs.find((entry) => entry.startsWith("authentication failed"));
      expect(line).toContain('"username":"mallory"');
      expect(line).toContain('"remote":"127.0.0.8"');
      expect(logs.join("\n")).not.toContain("Sup3r-Secret-Guess");
    },
  },
  {
    attack: "more connections from one address than its share",
    relay: { limits: { maxClientsPerAddress: 2 } },
    async run({ stack }) {
      const held = [
        await greeted(stack.relay.port, "127.0.0.9"),
        await greeted(stack.relay.port, "127.0.0.9"),
      ];
      const { session, greeting } = await RawSmtpSession.open(stack.relay.port, "127.0.0.1", "127.0.0.9");
      await session.closedByServer();
      for (const open of held) open.close();
      return greeting;
    },
    reply: { code: 421, text: /^4\.7\.0 Too many connections from your address/ },
  },
  {
    attack: "an unauthenticated session that keeps trickling bytes past the AUTH deadline",
    relay: { limits: { authTimeoutMs: 300 } },
    async run({ stack }) {
      const slow = await trickle(stack.relay.port, "127.0.0.10", 50);
      try {
        await slow.session.closedByServer();
        return await slow.session.read();
      } finally {
        slow.stop();
      }
    },
    reply: { code: 421, text: /^4\.7\.0 Authentication took too long/ },
  },
  {
    attack: "trickling unauthenticated connections from many addresses filling every slot",
    relay: { limits: { maxClients: 8, maxClientsPerAddress: 2, maxUnauthenticatedClients: 6 } },
    async run({ stack }) {
      const slow = [];
      for (let i = 0; i < 8; i++) slow.push(await trickle(stack.relay.port, `127.0.1.${i + 1}`, 200));
      try {
        return await sendReply(stack, { to: `79990005001@${DOMAIN}`, text: "real client" });
      } finally {
        for (const s of slow) s.stop();
      }
    },
    reply: { code: 250, text: /^2\.0\.0 Queued 1 SMS/ },
  },
  {
    attack: "unauthenticated newcomers flooding while a user is logged in",
    relay: { limits: { maxClients: 6, maxClientsPerAddress: 2, maxUnauthenticatedClients: 3 } },
    async run({ stack }) {
      const user = await greeted(stack.relay.port);
      expect((await user.command(plainAuth(USER.name, USER.password))).code).toBe(235);
      const flood = [];
      for (let i = 0; i < 6; i++) flood.push(await trickle(stack.relay.port, `127.0.2.${i + 1}`, 200));
      try {
        // Room is kept: another real client gets in and is served...
        const other = await sendReply(stack, { to: `79990005002@${DOMAIN}`, text: "second user" });
        expect(other.code).toBe(250);
        // ...and the authenticated session was never a candidate for eviction: it still works.
        return await user.command("MAIL FROM:<monitor@example.org>");
      } finally {
        for (const s of flood) s.stop();
        user.close();
      }
    },
    reply: { code: 250, text: /^2\.1\.0 / },
  },
  {
    attack: "one user queueing more SMS per minute than the quota",
    relay: { quota: { messagesPerMinute: 2 } },
    async run({ stack }) {
      for (const phone of ["79990005101", "79990005102"]) {
        expect((await sendReply(stack, { to: `${phone}@${DOMAIN}`, text: "ok" })).code).toBe(250);
      }
      return sendReply(stack, { to: `79990005103@${DOMAIN}`, text: "one too many" });
    },
    reply: { code: 452, text: /^4\.7\.0 Quota reached \(2 SMS per minute\)/ },
    async after({ stack, advance, registry }) {
      const metrics = await registry.metrics();
      expect(metrics).toContain(
        'smsc_relay_quota_refusals_total{user="alerts",limit="messagesPerMinute",kind="transient"} 1',
      );
      expect(metrics).toContain('smsc_relay_quota_used{user="alerts",limit="messagesPerMinute"} 2');
      advance(MINUTE + 1);
      expect((await sendReply(stack, { to: `79990005103@${DOMAIN}`, text: "later" })).code).toBe(250);
    },
  },
  {
    attack: "one mail to more phones than a user's quota has room for: the extra recipients wait",
    relay: {
      users: { [USER.name]: { password: USER.password, quota: { messagesPerHour: 2 } } },
    },
    async run({ stack }) {
      // Raw, to see each RCPT's answer: the third phone is deferred, a second spelling of a phone already
      // in the mail costs nothing, and the first two go now instead of the whole mail bouncing.
      const session = await greeted(stack.relay.port);
      try {
        expect((await session.command(plainAuth(USER.name, USER.password))).code).toBe(235);
        expect((await session.command("MAIL FROM:<monitor@example.org>")).code).toBe(250);
        for (const local of ["79990005201", "79990005202", "89990005201"]) {
          expect((await session.command(`RCPT TO:<${local}@${DOMAIN}>`)).code).toBe(250);
        }
        const third = await session.command(`RCPT TO:<79990005203@${DOMAIN}>`);
        expect(third.code).toBe(452);
        expect(third.text).toMatch(/^4\.7\.0 Quota reached \(2 SMS per hour\)/);
        expect((await session.command("DATA")).code).toBe(354);
        return await session.command("Subject: burst\r\n\r\nburst\r\n.");
      } finally {
        session.close();
      }
    },
    reply: { code: 250, text: /^2\.0\.0 Queued 2 SMS/ },
  },
  {
    attack: "one mail needing more SMS parts than the daily quota allows at all",
    relay: { quota: { partsPerDay: 2 }, limits: { maxParts: 6 } },
    run: ({ stack }) => sendReply(stack, { to: `79990005204@${DOMAIN}`, text: "x".repeat(400) }),
    reply: { code: 550, text: /^5\.7\.0 .*\(2 SMS parts per day\)/ },
  },
  {
    attack: "a user over the daily parts quota",
    relay: { quota: { partsPerDay: 3 }, limits: { maxParts: 6 } },
    async run({ stack }) {
      const twoParts = "x".repeat(200);
      expect((await sendReply(stack, { to: `79990005301@${DOMAIN}`, text: twoParts })).code).toBe(250);
      return sendReply(stack, { to: `79990005302@${DOMAIN}`, text: twoParts });
    },
    reply: { code: 452, text: /^4\.7\.0 Quota reached \(3 SMS parts per day\)/ },
  },
  {
    attack: "MAIL FROM an address the user may not use",
    relay: { users: { [USER.name]: { password: USER.password, allowedFrom: ["@example.org"] } } },
    run: ({ stack }) =>
      sendReply(stack, { from: "ceo@bank.example", to: `79990005401@${DOMAIN}`, text: "wire money" }),
    reply: { code: 553, text: /^5\.7\.1 Sender <ceo@bank\.example> is not allowed/ },
  },
  {
    attack: "borrowing a relay-wide sender name by claiming its MAIL FROM",
    relay: {
      users: { [USER.name]: { password: USER.password } },
      senders: { "billing@example.org": "Billing" },
      defaultSender: "Company",
    },
    run: ({ stack }) =>
      sendReply(stack, { from: "billing@example.org", to: `79990005501@${DOMAIN}`, text: "pay now" }),
    reply: { code: 250, text: /^2\.0\.0 Queued 1 SMS/ },
    async after({ stack, lastReply }) {
      const rowId = Number(/as (\d+)$/.exec(lastReply?.text ?? "")?.[1]);
      const row = await stack.outbox.get(rowId);
      expect(row?.request).toMatchObject({ send: { sender: "Company" } });
      expect(row?.meta).not.toHaveProperty("dsnTo");
    },
  },
];

describe("abuse cases against a real relay", () => {
  let ctx: Ctx | undefined;
  afterEach(async () => {
    await ctx?.stack.close();
    ctx = undefined;
  });

  it.each(CASES)("$attack", async (row) => {
    let clock = Date.UTC(2026, 10, 29, 8);
    const logs: string[] = [];
    const record = (obj: Record<string, unknown>, msg: string) => logs.push(`${msg} ${JSON.stringify(obj)}`);
    const registry = new Registry();
    const stack = await startStack({
      worker: false,
      relay: {
        logger: { info: record, warn: record, error: record },
        metrics: registry,
        now: () => clock,
        ...row.relay,
      },
    });
    ctx = { stack, logs, registry, advance: (ms) => (clock += ms) };
    const reply = await row.run(ctx);
    ctx.lastReply = reply;
    expect(reply.code).toBe(row.reply.code);
    expect(reply.text).toMatch(row.reply.text);
    await row.after?.(ctx);
  });
});
