/** The standalone server and the receiver's edges: paths, deadlines, a store that is down, listeners, sink. */
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StatusSink, StatusUpdate } from "@smsc-kit/core";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import {
  createWebhookHandler,
  openPgWebhookStore,
  openSqliteWebhookStore,
  type StatusEvent,
  startWebhookServer,
} from "../src/index.js";
import { formBody, signed } from "./helpers/callbacks.js";
import { FORM, fetchTransport, rawRequest } from "./helpers/http.js";
import { recordingLogger } from "./helpers/logger.js";
import { openTestPg } from "./helpers/pg.js";

const SECRET = "wh-secret-9f8e7d";
const dir = mkdtempSync(join(tmpdir(), "webhook-server-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sign = (fields: Record<string, string>) => signed(fields, SECRET);
const post = (fields: Record<string, string>) => ({ body: formBody(fields), contentType: FORM });
let n = 0;
const freshFile = () => join(dir, `s${++n}.db`);

describe("startWebhookServer", () => {
  it("serves the configured path over HTTP and answers 404 elsewhere", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const server = await startWebhookServer({ store, secret: SECRET, port: 0, path: "/smsc/status" });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/smsc\/status$/);
      const ok = await rawRequest(
        server.port,
        "/smsc/status",
        post(sign({ id: "p1", phone: "7", status: "1" })),
      );
      expect(ok).toEqual({ status: 200, body: "OK" });
      const elsewhere = await rawRequest(
        server.port,
        "/other",
        post(sign({ id: "p2", phone: "7", status: "1" })),
      );
      expect(elsewhere.status).toBe(404);
      expect(await store.history("p2")).toHaveLength(0);
    } finally {
      await server.close();
      await store.close();
    }
  });

  it("answers 408 to a client that stops sending its body, and keeps serving others", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const server = await startWebhookServer({ store, port: 0, path: "/", requestTimeoutMs: 150 });
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(server.port, "127.0.0.1", () => {
          // Promise 100 bytes, send 10, then go quiet.
          socket.write(
            `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: 100\r\n\r\nid=1&phone`,
          );
        });
        let text = "";
        socket.on("data", (d) => {
          text += d.toString();
        });
        socket.on("close", () => resolve(text));
        socket.on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(answer).toContain("request: timed out before the body arrived");
      const next = await rawRequest(server.port, "/", post({ id: "after-timeout", phone: "7", status: "0" }));
      expect(next.status).toBe(200);
    } finally {
      await server.close();
      await store.close();
    }
  });
});

describe("deadlines", () => {
  it("fetch handler: answers 408 when the body never finishes", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const handler = createWebhookHandler({ store, requestTimeoutMs: 100 });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("id=1&phone=7"));
        // …and nothing more, ever.
      },
    });
    const response = await handler.fetch(
      new Request("http://receiver.test/", { method: "POST", body, duplex: "half" }),
    );
    expect(response.status).toBe(408);
    expect(await response.text()).toBe("request: timed out before the body arrived");
    await store.close();
  });

  it("answers 503 when PostgreSQL is stuck behind a lock, and the retry after it clears is a replay", async () => {
    const pg = await openTestPg("stuck");
    const store = await openPgWebhookStore({ pool: pg.pool, schema: pg.schema });
    const server = await startWebhookServer({ store, secret: SECRET, port: 0, requestTimeoutMs: 1_000 });
    const blocker = await pg.pool.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query(`LOCK TABLE "${pg.schema}".smsc_webhook_messages IN ACCESS EXCLUSIVE MODE`);
      const fields = post(sign({ id: "stuck1", phone: "7", status: "1" }));
      const stuck = await rawRequest(server.port, "/", fields);
      expect(stuck.status).toBe(503);
      await blocker.query("COMMIT");
      // The write that was waiting commits once the lock is gone; SMSC's retry is then a replay.
      const retry = await rawRequest(server.port, "/", fields);
      expect(retry).toEqual({ status: 200, body: "OK" });
      expect(await store.history("stuck1")).toHaveLength(1);
    } finally {
      blocker.release();
      await server.close();
      await store.close();
      await pg.drop();
    }
  });
});

describe("when the store is down", () => {
  it("answers 503 on SQLite so SMSC retries, and stores the retry once the store is back", async () => {
    const file = freshFile();
    const database = new Database(file);
    const logger = recordingLogger();
    const store = openSqliteWebhookStore({ database });
    const handler = createWebhookHandler({ store, secret: SECRET, logger });
    const send = fetchTransport(handler);
    database.close();
    const down = await send(post(sign({ id: "down1", phone: "7", status: "1" })));
    expect(down.status).toBe(503);
    expect(down.body).not.toContain(SECRET);

    const reopened = openSqliteWebhookStore({ filename: file });
    const retry = await fetchTransport(createWebhookHandler({ store: reopened, secret: SECRET }))(
      post(sign({ id: "down1", phone: "7", status: "1" })),
    );
    expect(retry.status).toBe(200);
    expect(await reopened.history("down1")).toHaveLength(1);
    await reopened.close();
    expect(logger.lines.some((l) => l.level === "error")).toBe(true);
    expect(logger.text()).not.toContain(SECRET);
  });

  it("answers 503 while another connection holds the SQLite file's write lock, 200 once it lets go", async () => {
    const file = freshFile();
    const store = openSqliteWebhookStore({ filename: file, busyTimeoutMs: 50 });
    const send = fetchTransport(createWebhookHandler({ store, secret: SECRET }));
    const other = new Database(file);
    try {
      other.exec("BEGIN IMMEDIATE");
      const fields = post(sign({ id: "locked1", phone: "7", status: "1" }));
      expect((await send(fields)).status).toBe(503);
      other.exec("COMMIT");
      expect((await send(fields)).status).toBe(200);
      expect(await store.history("locked1")).toHaveLength(1);
    } finally {
      other.close();
      await store.close();
    }
  });

  it("answers 503 on PostgreSQL when the pool is gone", async () => {
    const pg = await openTestPg("down");
    const store = await openPgWebhookStore({ pool: pg.pool, schema: pg.schema });
    const handler = createWebhookHandler({ store, secret: SECRET });
    await pg.pool.query(`DROP SCHEMA "${pg.schema}" CASCADE`);
    await pg.pool.end();
    const answer = await fetchTransport(handler)(post(sign({ id: "pgdown", phone: "7", status: "1" })));
    expect(answer.status).toBe(503);
  });
});

describe("listeners and the status sink", () => {
  it("tells onStatus about new callbacks only, and the sink the message's current state", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const heard: StatusEvent[] = [];
    const updates: StatusUpdate[] = [];
    const sink: StatusSink = {
      async markStatus(update) {
        updates.push(update);
        return { applied: true, previous: null };
      },
    };
    const handler = createWebhookHandler({
      store,
      secret: SECRET,
      sink,
      onStatus: (e) => void heard.push(e),
    });
    const send = fetchTransport(handler);
    await send(post(sign({ id: "l1", phone: "7", status: "1", err: "0" })));
    await send(post(sign({ id: "l1", phone: "7", status: "1", err: "0" })));
    await send(post(sign({ id: "l1", phone: "7", status: "0" })));
    expect(heard.map((e) => [e.callback.status, e.result.applied])).toEqual([
      [1, true],
      [0, false],
    ]);
    // The late 0 did not move the state, so the sink hears "1" every time (it is idempotent by design).
    expect(updates.map((u) => [u.id, u.phone, u.status, u.err, u.source])).toEqual([
      ["l1", "7", 1, 0, "callback"],
      ["l1", "7", 1, 0, "callback"],
      ["l1", "7", 1, 0, "callback"],
    ]);
    await store.close();
  });

  it("answers 503 when the sink fails, and repeats the sink call on SMSC's retry", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const heard: number[] = [];
    let failNext = true;
    const seen: number[] = [];
    const sink: StatusSink = {
      async markStatus(update) {
        if (failNext) {
          failNext = false;
          throw new Error("outbox busy");
        }
        seen.push(update.status);
        return { applied: true, previous: null };
      },
    };
    const send = fetchTransport(
      createWebhookHandler({
        store,
        secret: SECRET,
        sink,
        onStatus: (e) => void heard.push(e.callback.status),
      }),
    );
    const fields = post(sign({ id: "s1", phone: "7", status: "20", err: "1" }));
    expect((await send(fields)).status).toBe(503);
    expect((await send(fields)).status).toBe(200);
    expect(seen).toEqual([20]);
    // The listener heard the stored callback exactly once, although SMSC had to send it twice.
    expect(heard).toEqual([20]);
    expect(await store.history("s1")).toHaveLength(1);
    await store.close();
  });

  it("answers OK even when a listener throws, and logs it", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const logger = recordingLogger();
    const incoming: string[] = [];
    const handler = createWebhookHandler({
      store,
      logger,
      onStatus: () => {
        throw new Error("application bug");
      },
      onIncoming: (e) => void incoming.push(e.sms.mes),
    });
    const send = fetchTransport(handler);
    expect((await send(post({ id: "t1", phone: "7", status: "1" }))).status).toBe(200);
    expect((await send(post({ id: "in1", phone: "7", mes: "Стоп" }))).status).toBe(200);
    expect(incoming).toEqual(["Стоп"]);
    expect(logger.lines.filter((l) => l.message.includes("listener failed"))).toHaveLength(1);
    await store.close();
  });
});

describe("secrets and unsigned mode", () => {
  it("warns once, at creation, when no secret is configured", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const logger = recordingLogger();
    const send = fetchTransport(createWebhookHandler({ store, logger }));
    await send(post({ id: "u1", phone: "7", status: "1" }));
    await send(post({ id: "u2", phone: "7", status: "1" }));
    expect(logger.lines.filter((l) => l.level === "warn").map((l) => l.message)).toEqual([
      "webhook: no secret configured, accepting unsigned callbacks",
    ]);
    await store.close();
  });

  it("never puts the secret in answers or logs, whatever the callback", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const logger = recordingLogger();
    const send = fetchTransport(createWebhookHandler({ store, secret: SECRET, logger }));
    const answers = [
      await send(post({ id: "x1", phone: "7", status: "1" })),
      await send(post(signed({ id: "x2", phone: "7", status: "1" }, "wrong"))),
      await send(post({ ...sign({ id: "x3", phone: "7", status: "1" }), status: "2" })),
      await send(post({ id: "x4", phone: "7", status: "oops", secret: SECRET })),
    ];
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 400]);
    for (const answer of answers) expect(answer.body).not.toContain(SECRET);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.text()).not.toContain(SECRET);
    await store.close();
  });
});

/** Node's client refuses raw control and non-ASCII characters in a request line; escape just those. */
const asRequestLine = (text: string) => text.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));

describe("hostile input", () => {
  it("answers every random request with a 4xx and keeps serving", async () => {
    const store = openSqliteWebhookStore({ filename: freshFile() });
    const server = await startWebhookServer({
      store,
      secret: SECRET,
      port: 0,
      path: "/",
      maxBodyBytes: 4096,
    });
    // A seeded generator: the same bytes on every run, so a failure can be replayed.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = [
      "&",
      "=",
      "%",
      "%zz",
      "%ff",
      "+",
      "id",
      "phone",
      "status",
      "md5",
      "\u0000",
      "я",
      "1",
      "-",
    ];
    try {
      const statuses = new Set<number>();
      for (let i = 0; i < 150; i++) {
        const binary = i % 3 === 0;
        const body = binary
          ? Uint8Array.from({ length: Math.floor(random() * 600) }, () => Math.floor(random() * 256))
          : Array.from(
              { length: Math.floor(random() * 40) },
              () => alphabet[Math.floor(random() * alphabet.length)],
            ).join("");
        const method = ["POST", "GET", "DELETE"][i % 3]!;
        const answer = await rawRequest(server.port, "/", {
          method,
          ...(method === "GET" ? { query: typeof body === "string" ? asRequestLine(body) : "" } : { body }),
          contentType: i % 5 === 0 ? `${FORM}; charset=bogus-charset` : FORM,
        });
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        statuses.add(answer.status);
      }
      expect(statuses.has(400)).toBe(true);
      expect((await store.stats()).events).toBe(0);
      const healthy = await rawRequest(
        server.port,
        "/",
        post(sign({ id: "after-fuzz", phone: "7", status: "1" })),
      );
      expect(healthy.status).toBe(200);
    } finally {
      await server.close();
      await store.close();
    }
  });
});
