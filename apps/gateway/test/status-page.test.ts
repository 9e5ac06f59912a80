import { describe, expect, it } from "vitest";
import { renderStatusPage } from "../src/http/status-page.js";

const base = {
  queue: { byState: { queued: 2, sent: 5, dead: 1 }, deadLetter: 1, oldestPendingAgeSeconds: 12.4 },
  recent: [],
  deadLetters: [],
  pause: { paused: false },
};

describe("status page rendering", () => {
  it("shows queue depth by state, the dead-letter count and the running state", () => {
    const page = renderStatusPage(base);
    expect(page).toMatch(/<tr data-state="queued"><td>queued<\/td><td class="count">2<\/td>/);
    expect(page).toMatch(/<tr data-state="sent"><td>sent<\/td><td class="count">5<\/td>/);
    expect(page).toMatch(/<tr data-state="dead"><td>dead<\/td><td class="count">1<\/td>/);
    expect(page).toContain("Oldest message waiting to be sent: 12 s");
    expect(page).toContain("Outbox running");
  });

  it("shows the pause reason and a redrive form per dead letter", () => {
    const page = renderStatusPage({
      ...base,
      pause: { paused: true, reason: "funds: not enough money", since: new Date("2026-01-02T03:04:05Z") },
      deadLetters: [{ rowId: "7", smscId: "abc", phones: "79990000001", reason: "invalid_recipient (7)" }],
    });
    expect(page).toContain('<span id="pause-reason">funds: not enough money</span>');
    expect(page).toContain('<form method="post" action="/dead-letter/7/redrive">');
  });

  it("escapes everything that came from a message or a mail", () => {
    const page = renderStatusPage({
      ...base,
      recent: [
        {
          rowId: "1",
          smscId: "x",
          phones: '<script>alert("x")</script>',
          state: "sent",
          history: [
            { name: "handed to SMSC (1 SMS)", at: new Date(0), source: "outbox" },
            { status: 1, name: "<b>Delivered</b>", at: new Date(1000), source: "callback" },
          ],
        },
      ],
    });
    expect(page).not.toContain("<script>alert");
    expect(page).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(page).toContain("&lt;b&gt;Delivered&lt;/b&gt;");
    expect(page).toContain(
      '<li class="step">1970-01-01 00:00:00Z handed to SMSC (1 SMS) <small>via outbox</small></li>',
    );
    expect(page).toContain(
      '<li data-status="1">1970-01-01 00:00:01Z 1 &lt;b&gt;Delivered&lt;/b&gt; <small>via callback</small></li>',
    );
  });
});
