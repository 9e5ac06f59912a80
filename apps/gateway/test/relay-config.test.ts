import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { validateRequest } from "@smsc-kit/core";
import { DEFAULT_LIMITS } from "@smsc-kit/smtp-relay";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/errors.js";
import { validateConfig } from "../src/config/load.js";
import { startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";
import { relayOptionsOf } from "../src/smtp/relay-options.js";

const SMARTHOST_PASS = "smarthost-Pass-4242";

function problemsOf(fn: () => unknown): ConfigError["problems"] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

const fullSmtp = {
  domains: ["sms.example.com"],
  users: [
    {
      username: "shop",
      password: "smtp-pw-1",
      senders: { "night@example.com": "NightShop" },
      allowedFrom: ["@shop.example"],
      quota: { messagesPerMinute: 5 },
    },
  ],
  senders: { "alerts@example.com": "Alerts" },
  limits: {
    maxParts: 3,
    maxMessageBytes: 65_536,
    maxClients: 20,
    maxRecipients: 5,
    idleTimeoutMs: 30_000,
    maxClientsPerAddress: 4,
    authTimeoutMs: 5_000,
    maxAuthFailuresPerUser: 3,
  },
  quota: { messagesPerHour: 100, partsPerDay: 1_000 },
  body: { subject: "prepend", stripSignature: false, attachments: "refuse" },
  overflow: "truncate",
  dsn: {
    transport: { host: "smarthost.example.com", port: 587, auth: { user: "relay", pass: SMARTHOST_PASS } },
    from: "mailer-daemon@sms.example.com",
  },
};

describe("smtp relay options in the gateway config", () => {
  it("refuses two users with the same username, naming the second one's path", () => {
    const users = [
      { username: "shop", password: "smtp-pw-1" },
      { username: "ops", password: "smtp-pw-2" },
      { username: "shop", password: "smtp-pw-3" },
    ];
    const problems = problemsOf(() => validateConfig({ smtp: { users } }));
    expect(problems).toEqual([
      expect.objectContaining({ path: "smtp.users.2.username", rule: "duplicates smtp.users.0.username" }),
    ]);
    expect(JSON.stringify(problems)).not.toContain("smtp-pw");
  });

  it("accepts limits, body, overflow, senders and dsn under the relay's own names and hands them over", async () => {
    const config = validateConfig({ smtp: fullSmtp });
    const options = await relayOptionsOf(config.smtp);
    expect(options.limits).toEqual({
      maxParts: 3,
      maxMessageBytes: 65_536,
      maxClients: 20,
      maxRecipients: 5,
      idleTimeoutMs: 30_000,
      maxClientsPerAddress: 4,
      authTimeoutMs: 5_000,
      maxAuthFailuresPerUser: 3,
    });
    expect(options.quota).toEqual({ messagesPerHour: 100, partsPerDay: 1_000 });
    expect(options.body).toEqual({ subject: "prepend", stripSignature: false, attachments: "refuse" });
    expect(options.overflow).toBe("truncate");
    expect(options.senders).toEqual({ "alerts@example.com": "Alerts" });
    expect(options.users["shop"]).toEqual({
      password: "smtp-pw-1",
      senders: { "night@example.com": "NightShop" },
      allowedFrom: ["@shop.example"],
      quota: { messagesPerMinute: 5 },
    });
    expect(options.dsn).toEqual({
      transport: {
        host: "smarthost.example.com",
        port: 587,
        secure: false,
        auth: { user: "relay", pass: SMARTHOST_PASS },
      },
      from: "mailer-daemon@sms.example.com",
    });
  });

  it("leaves the relay's defaults alone when the keys are absent", async () => {
    const options = await relayOptionsOf(validateConfig({}).smtp);
    for (const key of ["limits", "quota", "body", "overflow", "senders", "dsn"] as const) {
      expect(options[key], key).toBeUndefined();
    }
  });

  it("rejects bad limits, body policy and overflow naming the path and the rule", () => {
    const problems = problemsOf(() =>
      validateConfig({
        smtp: {
          limits: { maxParts: 0, maxRecipients: 2.5 },
          body: { subject: "append", attachments: "bounce" },
          overflow: "drop",
        },
      }),
    );
    const rule = (path: string) => problems.find((p) => p.path === path)?.rule;
    expect(rule("smtp.limits.maxParts")).toBe("must be a positive integer");
    expect(rule("smtp.limits.maxRecipients")).toBe("must be a positive integer");
    expect(rule("smtp.body.subject")).toMatch(/"ignore"\|"prepend"/);
    expect(rule("smtp.body.attachments")).toMatch(/"ignore"\|"refuse"/);
    expect(rule("smtp.overflow")).toMatch(/"reject"\|"truncate"/);
  });

  it("rejects unknown keys inside the new sections with their full path", () => {
    const problems = problemsOf(() =>
      validateConfig({
        smtp: {
          limits: { maxPart: 3 },
          body: { signature: false },
          dsn: { transport: { host: "h", tls: true }, from: "a@b.example" },
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining(
        ["smtp.limits.maxPart", "smtp.body.signature", "smtp.dsn.transport.tls"].map((path) =>
          expect.objectContaining({ path, rule: "unknown configuration key" }),
        ),
      ),
    );
  });

  it("rejects an incomplete dsn without echoing the smarthost password", () => {
    const problems = problemsOf(() =>
      validateConfig({
        smtp: {
          dsn: {
            transport: { port: 70_000, auth: { user: "relay", pass: SMARTHOST_PASS, extra: SMARTHOST_PASS } },
            from: "not an address",
          },
        },
      }),
    );
    const paths = problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "smtp.dsn.transport.host",
        "smtp.dsn.transport.port",
        "smtp.dsn.transport.auth.extra",
        "smtp.dsn.from",
      ]),
    );
    expect(problems.find((p) => p.path === "smtp.dsn.from")?.rule).toBe("must be an e-mail address");
    expect(JSON.stringify(problems)).not.toContain(SMARTHOST_PASS);
  });

  it("keeps limits within what the relay would accept (every relay limit has a key)", () => {
    const everyLimit = Object.fromEntries(Object.keys(DEFAULT_LIMITS).map((key) => [key, 1]));
    expect(validateConfig({ smtp: { limits: everyLimit } }).smtp.limits).toEqual(everyLimit);
  });
});

describe("the relay's own rules, reported against the YAML path", () => {
  const badSender = "Far too long a name";
  const senderRule = (() => {
    const checked = validateRequest("send", { mes: "x", sender: badSender });
    return checked.ok ? undefined : checked.error.issues.find((issue) => issue.field === "sender")?.rule;
  })();

  async function startError(smtp: Record<string, unknown>): Promise<{ error: unknown; logs: string }> {
    const dir = await mkdtemp(join(tmpdir(), "smsc-gw-relaycfg-"));
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const config = validateConfig({
      smsc: { baseUrl: "http://127.0.0.1:9", apikey: "api-key-unused" },
      store: { sqlite: join(dir, "gw.sqlite") },
      http: { port: 0 },
      smtp: { port: 0, ...smtp },
      outbox: { enabled: false },
    });
    try {
      const gateway = await startGateway(config, createLogger({ destination }));
      await gateway.close();
    } catch (error) {
      return { error, logs: lines.join("") };
    }
    throw new Error("expected the gateway to refuse the relay configuration");
  }

  it("refuses a phone region that does not exist at smtp.phoneRegion", async () => {
    const { error } = await startError({ phoneRegion: "XX" });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatchObject({ path: "smtp.phoneRegion" });
  });

  it("refuses clear-text AUTH beyond loopback at smtp.allowInsecureAuth, unless it is set", async () => {
    const users = [{ username: "shop", password: "smtp-pw-1" }];
    const { error } = await startError({ host: "0.0.0.0", users });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatchObject({
      path: "smtp.allowInsecureAuth",
      rule: expect.stringMatching(/^tls_beyond_loopback: AUTH on 0\.0\.0\.0 without tls/),
    });
    expect((error as Error).message).not.toContain("smtp-pw-1");
    const options = await relayOptionsOf(
      validateConfig({ smtp: { host: "0.0.0.0", users, allowInsecureAuth: true } }).smtp,
    );
    expect(options.allowInsecureAuth).toBe(true);
  });

  it("maps a bad relay-wide sender name to smtp.senders.<from> with SMSC's sender rule", async () => {
    expect(senderRule).toBeDefined();
    const { error } = await startError({
      senders: { "alerts@example.com": badSender },
      dsn: {
        transport: { host: "127.0.0.1", auth: { user: "u", pass: SMARTHOST_PASS } },
        from: "m@x.example",
      },
    });
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems[0];
    expect(problem?.path).toBe("smtp.senders.alerts@example.com");
    expect(problem?.rule.startsWith(`${senderRule}: `)).toBe(true);
    expect((error as Error).message).not.toContain(SMARTHOST_PASS);
  });

  it("maps a user's sender mapping to smtp.users.<index>, never naming the user's password", async () => {
    const { error } = await startError({
      users: [
        { username: "ops", password: "first-Pw-111" },
        { username: "ops.night", password: "second-Pw-222", senders: { "n@example.com": badSender } },
      ],
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems[0]).toMatchObject({ path: "smtp.users.1.senders.n@example.com" });
    expect((error as Error).message).not.toContain("second-Pw-222");
  });
});

describe("the relay's per-user quotas in the gateway's /metrics", () => {
  it("shows each user's configured limits and usage", async () => {
    const dir = await mkdtemp(join(tmpdir(), "smsc-gw-quota-"));
    const config = validateConfig({
      smsc: { baseUrl: "http://127.0.0.1:9", apikey: "api-key-unused" },
      store: { sqlite: join(dir, "gw.sqlite") },
      http: { port: 0 },
      smtp: {
        port: 0,
        quota: { messagesPerHour: 100 },
        users: [{ username: "shop", password: "smtp-pw-1", quota: { messagesPerMinute: 5 } }],
      },
      outbox: { enabled: false },
    });
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    const gateway = await startGateway(config, createLogger({ destination: quiet }));
    try {
      const metrics = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
      expect(metrics).toContain('smsc_relay_quota_limit{user="shop",limit="messagesPerMinute"} 5');
      expect(metrics).toContain('smsc_relay_quota_limit{user="shop",limit="messagesPerHour"} 100');
      expect(metrics).toContain('smsc_relay_quota_used{user="shop",limit="messagesPerMinute"} 0');
      expect(metrics).toContain("# TYPE smsc_relay_auth_failures_total counter");
    } finally {
      await gateway.close();
    }
  });
});
