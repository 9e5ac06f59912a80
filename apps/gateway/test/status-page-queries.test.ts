import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { parseCallback } from "@smsc-kit/webhook";
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from "vitest";
import { validateConfig } from "../src/config/load.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/logging.js";

/**
 * The status page's recent messages cost a fixed number of store queries per page, not per row: a page of
 * ROWS messages reads their callbacks in one webhook-store query and their recipient statuses in one
 * outbox-store query. Real SQLite stores under a real gateway; the SMSC behind it is never reached (the
 * outbox's workers are off), so the rows stay queued.
 */

const ROWS = 6;
let gateway: RunningGateway;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "smsc-gw-page-"));
  const config = validateConfig({
    smsc: { baseUrl: "http://127.0.0.1:9", login: "page", psw: "page-Password-3" },
    store: { sqlite: join(dir, "gw.sqlite") },
    smtp: { enabled: false },
    outbox: { enabled: false },
    http: { port: 0 },
  });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  gateway = await startGateway(config, createLogger({ destination: quiet }));
  const phones = Array.from({ length: ROWS }, (_, i) => `7999000${String(i).padStart(4, "0")}`);
  const rows = await gateway.outbox.enqueue(phones.map((phone, i) => ({ phones: phone, mes: `m${i}` })));
  // Two of them have heard from SMSC, so the page has callbacks to show.
  for (const [i, row] of rows.slice(0, 2).entries()) {
    const callback = parseCallback({ id: row.smscId, phone: phones[i]!, status: "1" });
    if (callback.kind !== "status") throw new Error("expected a status callback");
    await gateway.stores.webhook.recordStatus(callback, new Date());
  }
});

afterAll(async () => {
  await gateway?.close();
});

/** Calls to every query method of both stores while `during` runs. */
async function storeQueries(during: () => Promise<void>): Promise<Record<string, number>> {
  const spies: [string, MockInstance][] = [];
  for (const [name, store] of Object.entries({
    webhook: gateway.stores.webhook,
    outbox: gateway.stores.outbox,
  })) {
    const target = store as unknown as Record<string, unknown>;
    const methods = new Set<string>();
    for (let o: object | null = target; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const key of Object.getOwnPropertyNames(o)) if (key !== "constructor") methods.add(key);
    }
    for (const method of methods) {
      if (typeof target[method] === "function") {
        spies.push([`${name}.${method}`, vi.spyOn(target as Record<string, () => unknown>, method)]);
      }
    }
  }
  try {
    await during();
    return Object.fromEntries(
      spies
        .filter(([, spy]) => spy.mock.calls.length > 0)
        .map(([name, spy]) => [name, spy.mock.calls.length]),
    );
  } finally {
    for (const [, spy] of spies) spy.mockRestore();
  }
}

describe("status page queries", () => {
  it("reads a page of recent messages with one query per store, however many rows it shows", async () => {
    let page = "";
    const calls = await storeQueries(async () => {
      page = await (await fetch(`${gateway.httpUrl}/`)).text();
    });
    expect(page.match(/<tr data-row=/g)).toHaveLength(ROWS);
    expect(page).toMatch(/data-status="1"/);
    const historyReads = Object.entries(calls).filter(([name]) => /history|recipientStatus/i.test(name));
    expect(Object.fromEntries(historyReads)).toEqual({
      "webhook.historyOf": 1,
      "outbox.recipientStatusesOf": 1,
    });
  });
});
