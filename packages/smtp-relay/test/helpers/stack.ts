import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSmscClient } from "@smsc-kit/core";
import { createOutbox, type Outbox, openPgStore, openSqliteStore } from "@smsc-kit/outbox";
import { type MessageView, type RunningSimulator, startSimulator } from "@smsc-kit/simulator";
import { createTransport } from "nodemailer";
import pg from "pg";
import { expect, vi } from "vitest";
import { type RelayHandle, type RelayOptions, startRelay } from "../../src/index.js";

export const DOMAIN = "sms.example.com";
export const USER = { name: "alerts", password: "s3cret-relay-pass", sender: "Alerts" };

export type StackStore = { kind: "sqlite" } | { kind: "pg"; pool: pg.Pool; schema: string };

export interface Stack {
  relay: RelayHandle;
  outbox: Outbox;
  simulator: RunningSimulator;
  /** Sends one mail through a fresh nodemailer connection; resolves with the server's reply line. */
  send(mail: MailInput, auth?: { user: string; pass: string } | false): Promise<string>;
  /** Waits until the simulator holds `count` messages, then returns them. */
  delivered(count: number): Promise<MessageView[]>;
  close(): Promise<void>;
}

export interface MailInput {
  from?: string;
  to?: string | string[];
  subject?: string;
  text?: string;
  html?: string;
  raw?: string | Buffer;
  attachments?: { filename: string; content: Buffer }[];
  envelope?: { from: string; to: string[] };
}

export async function startStack(
  options: {
    store?: StackStore;
    relay?: Partial<RelayOptions>;
    worker?: boolean;
    simulator?: Omit<NonNullable<Parameters<typeof startSimulator>[0]>, "port" | "host">;
  } = {},
): Promise<Stack> {
  const simulator = await startSimulator({
    rules: { rateLimits: false },
    ...options.simulator,
    port: 0,
    host: "127.0.0.1",
  });
  const client = createSmscClient(
    { login: "demo", psw: "demo" },
    { baseUrl: simulator.url, fallbackUrls: [] },
  );
  const dir = mkdtempSync(join(tmpdir(), "relay-test-"));
  const store =
    options.store?.kind === "pg"
      ? openPgStore({ pool: options.store.pool, schema: options.store.schema })
      : openSqliteStore({ filename: join(dir, "outbox.db") });
  const outbox = createOutbox({ store, client, pollIntervalMs: 20 });
  if (options.worker !== false) outbox.start({ concurrency: 4 });

  const relay = await startRelay({
    port: 0,
    users: { [USER.name]: { password: USER.password, sender: USER.sender } },
    domains: [DOMAIN],
    outbox,
    ...options.relay,
  });

  return {
    relay,
    outbox,
    simulator,
    async send(mail, auth = { user: USER.name, pass: USER.password }) {
      const transport = createTransport({
        host: "127.0.0.1",
        port: relay.port,
        secure: false,
        ignoreTLS: true,
        ...(auth ? { auth } : {}),
      });
      try {
        const info = await transport.sendMail({ from: "monitor@example.org", ...mail });
        return info.response;
      } finally {
        transport.close();
      }
    },
    async delivered(count) {
      return vi.waitFor(
        () => {
          const messages = simulator.inspector.messages();
          expect(messages.length, `${count} SMS at the simulator`).toBeGreaterThanOrEqual(count);
          return messages;
        },
        { timeout: 15_000 },
      );
    },
    async close() {
      await relay.close();
      await outbox.stop();
      await store.close();
      await client.close();
      await simulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Connects to the shared PostgreSQL test server and makes a schema for this file; fails loudly if none is reachable. */
export async function pgTestPool(schema: string): Promise<pg.Pool> {
  const pool = new pg.Pool({ host: "127.0.0.1", port: 5432, user: "postgres", database: "test", max: 10 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } catch (error) {
    await pool.end();
    throw new Error(`PostgreSQL on 127.0.0.1:5432 is required for this suite: ${(error as Error).message}`);
  }
  return pool;
}

/** Every row the outbox holds, in any state: "nothing was queued" means this did not move. */
export async function rowCount(outbox: Outbox): Promise<number> {
  const { byState } = await outbox.stats();
  return Object.values(byState).reduce((sum, n) => sum + n, 0);
}
