import type { RecentRow } from "@smsc-kit/outbox";
import type { StoredStatusEvent } from "@smsc-kit/webhook";
import { describe, expect, it } from "vitest";
import { messageHistory } from "../src/history.js";

const row: RecentRow = {
  rowId: 1,
  smscId: "m1",
  idempotencyKey: null,
  request: {},
  recipients: ["79990000001"],
  meta: null,
  state: "sent",
  attempts: 1,
  runAt: 0,
  createdAt: 1_000,
  sentAt: 2_000,
  deadAt: null,
  lastErrorCode: null,
  lastErrorClass: null,
  lastError: null,
  lastAttemptAt: 1_900,
  cnt: 2,
  cost: 3,
  batchId: null,
  updatedAt: 2_000,
};

const callback: StoredStatusEvent = {
  seq: 1,
  id: "m1",
  phone: "79990000001",
  status: 1,
  applied: true,
  eventAt: new Date(3_000),
  receivedAt: new Date(3_100),
  raw: {},
};

const line = (e: { name: string; at: Date; source: string }) => `${e.at.getTime()} ${e.name} (${e.source})`;

describe("message history", () => {
  it("stands in the row's send time for a step this process never saw, oldest first", () => {
    const history = messageHistory({ row, callbacks: [callback], recipientStatuses: [], steps: [] });
    expect(history.map(line)).toEqual(["2000 handed to SMSC (2 SMS) (outbox)", "3000 Delivered (callback)"]);
  });

  it("keeps this process's own step instead of repeating it, and adds polled statuses but not callbacks twice", () => {
    const history = messageHistory({
      row,
      callbacks: [callback],
      recipientStatuses: [
        { smscId: "m1", phone: "79990000001", status: 1, err: null, at: 3_000, source: "callback" },
        { smscId: "m1", phone: "79990000002", status: 20, err: 1, at: 4_000, source: "poll" },
      ],
      steps: [
        { name: "retry (transport), next try …", at: new Date(1_500), source: "outbox" },
        { name: "handed to SMSC (2 SMS), found by get_status", at: new Date(2_000), source: "outbox" },
      ],
    });
    expect(history.map(line)).toEqual([
      "1500 retry (transport), next try … (outbox)",
      "2000 handed to SMSC (2 SMS), found by get_status (outbox)",
      "3000 Delivered (callback)",
      expect.stringMatching(/^4000 .+ \(poll\)$/),
    ]);
    expect(history[3]).toMatchObject({ status: 20, err: 1 });
  });

  it("shows a dead letter from the row with its error class and code", () => {
    const dead: RecentRow = {
      ...row,
      state: "dead",
      sentAt: null,
      deadAt: 5_000,
      lastErrorClass: "invalid_recipient",
      lastErrorCode: 7,
    };
    const history = messageHistory({ row: dead, callbacks: [], recipientStatuses: [], steps: [] });
    expect(history.map(line)).toEqual(["5000 dead letter (invalid_recipient 7) (outbox)"]);
  });

  it("puts a callback stamped in the same second as the send after 'handed to SMSC', whatever its shown time", () => {
    // SMSC stamps callbacks to the second: 12:00:05.000 for a message we handed over at 12:00:05.400.
    const sent: RecentRow = { ...row, sentAt: 5_400, updatedAt: 5_400 };
    const sameSecond: StoredStatusEvent = {
      ...callback,
      eventAt: new Date(5_000),
      receivedAt: new Date(5_900),
    };
    expect(
      messageHistory({ row: sent, callbacks: [sameSecond], recipientStatuses: [], steps: [] }).map(line),
    ).toEqual(["5400 handed to SMSC (2 SMS) (outbox)", "5000 Delivered (callback)"]);
    const withStep = messageHistory({
      row: sent,
      callbacks: [sameSecond],
      recipientStatuses: [],
      steps: [{ name: "handed to SMSC (2 SMS)", at: new Date(5_400), source: "outbox" }],
    });
    expect(withStep.map((e) => e.name)).toEqual(["handed to SMSC (2 SMS)", "Delivered"]);
  });

  it("keeps that order even when the callback raced the write of the send, and callbacks in store order", () => {
    const sent: RecentRow = { ...row, sentAt: 5_400, updatedAt: 5_400 };
    const enroute: StoredStatusEvent = {
      ...callback,
      seq: 7,
      status: 0,
      eventAt: new Date(5_000),
      receivedAt: new Date(5_300),
    };
    const delivered: StoredStatusEvent = {
      ...callback,
      seq: 8,
      status: 1,
      eventAt: new Date(5_000),
      receivedAt: new Date(5_300),
    };
    const history = messageHistory({
      row: sent,
      callbacks: [delivered, enroute],
      recipientStatuses: [],
      steps: [],
    });
    expect(history.map((e) => [e.name, e.status])).toEqual([
      ["handed to SMSC (2 SMS)", undefined],
      [expect.any(String), 0],
      ["Delivered", 1],
    ]);
  });
});
