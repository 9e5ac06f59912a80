import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOMAIN, pgTestPool, rowCount, type Stack, startStack } from "./helpers/stack.js";
import { startTcpProxy } from "./helpers/tcp-proxy.js";

const SCHEMA = "smtp_relay_pg_test";

function rawMail(id: string, recipients: string[], text: string): Buffer {
  return Buffer.from(
    [
      "From: monitor@example.org",
      `To: ${recipients.join(", ")}`,
      `Message-ID: <${id}@example.org>`,
      "Subject: pg",
      "Content-Type: text/plain; charset=utf-8",
      "",
      text,
      "",
    ].join("\r\n"),
  );
}

describe("relay on a PostgreSQL outbox", () => {
  let admin: pg.Pool;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let pool: pg.Pool;
  let stack: Stack;

  beforeAll(async () => {
    admin = await pgTestPool(SCHEMA);
    proxy = await startTcpProxy(5432);
    pool = new pg.Pool({
      host: "127.0.0.1",
      port: proxy.port,
      user: "postgres",
      database: "test",
      max: 4,
      connectionTimeoutMillis: 2000,
    });
    // Idle clients see the cut as an error event; the outbox's next query reports it.
    pool.on("error", () => {});
    stack = await startStack({
      store: { kind: "pg", pool, schema: SCHEMA },
      relay: { limits: { commitTimeoutMs: 1_000 } },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await pool?.end();
    await proxy?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin?.end();
  });

  it("commits, answers 250 with the row ids, delivers", async () => {
    stack.simulator.inspector.reset();
    const to = [`79995550001@${DOMAIN}`, `79995550002@${DOMAIN}`];
    const response = await stack.send({
      envelope: { from: "monitor@example.org", to },
      raw: rawMail("a1", to, "pg up"),
    });
    expect(response).toMatch(/^250 2\.0\.0 Queued 2 SMS \(1 part each\) as \d+ \d+$/);
    const messages = await stack.delivered(2);
    expect(messages.map((m) => m.phone).sort()).toEqual(["79995550001", "79995550002"]);
  });

  it("database down: 451 4.3.0 and nothing half-written; the client's retry then goes through once", async () => {
    stack.simulator.inspector.reset();
    const to = [`79995550003@${DOMAIN}`, `79995550004@${DOMAIN}`];
    const mail = { envelope: { from: "monitor@example.org", to }, raw: rawMail("b1", to, "pg was down") };
    const rowsBefore = await rowCount(stack.outbox);

    proxy.cut();
    await expect(stack.send(mail)).rejects.toMatchObject({
      responseCode: 451,
      response: expect.stringMatching(/^451 4\.3\.0 .*nothing was queued/),
    });
    proxy.restore();
    expect(await rowCount(stack.outbox)).toBe(rowsBefore);

    const retry = await stack.send(mail);
    expect(retry).toMatch(/^250 2\.0\.0 Queued 2 SMS/);
    const messages = await stack.delivered(2);
    expect(messages.map((m) => m.phone).sort()).toEqual(["79995550003", "79995550004"]);
  });

  it("database hangs: 451 after the commit timeout; the retry finds the row the late commit wrote", async () => {
    stack.simulator.inspector.reset();
    const to = [`79995550006@${DOMAIN}`];
    const mail = { envelope: { from: "monitor@example.org", to }, raw: rawMail("d1", to, "pg hung") };
    const rowsBefore = await rowCount(stack.outbox);

    // Only the INSERT's connection is stalled: the commit reaches PostgreSQL late, after
    // the client was told 451 — the case where a sender retries something that did land.
    proxy.stall();
    await expect(stack.send(mail)).rejects.toMatchObject({
      responseCode: 451,
      response: expect.stringMatching(/^451 4\.3\.0 /),
    });
    proxy.restore();

    const retry = await stack.send(mail);
    expect(retry).toMatch(/^250 2\.0\.0 (Already queued|Queued) 1 SMS/);
    await stack.delivered(1);
    expect((await rowCount(stack.outbox)) - rowsBefore).toBe(1);
    expect(stack.simulator.inspector.messages().filter((m) => m.phone === "79995550006")).toHaveLength(1);
  });

  it("the same mail sent again (a retry after a lost 250) is recognised, not sent twice", async () => {
    stack.simulator.inspector.reset();
    const to = [`79995550005@${DOMAIN}`];
    const mail = { envelope: { from: "monitor@example.org", to }, raw: rawMail("c1", to, "once only") };
    const rowsBefore = await rowCount(stack.outbox);
    const first = await stack.send(mail);
    const second = await stack.send(mail);
    expect(first).toMatch(/^250 2\.0\.0 Queued 1 SMS/);
    expect(second).toMatch(/^250 2\.0\.0 Already queued 1 SMS/);
    expect(second.replace(/^.* as /, "")).toBe(first.replace(/^.* as /, ""));
    await stack.delivered(1);
    const rows = await rowCount(stack.outbox);
    expect(rows - rowsBefore).toBe(1);
  });
});
