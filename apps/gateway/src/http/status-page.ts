import type { DeadLetterEntry, PauseState, QueueSnapshot, RecentMessage } from "../view.js";
import { Html, html } from "./html.js";

export interface StatusPageModel {
  queue: QueueSnapshot;
  recent: RecentMessage[];
  deadLetters: DeadLetterEntry[];
  pause: PauseState;
  /** A one-line notice after an action (e.g. "message 12 redriven"). */
  notice?: string | undefined;
  refreshSeconds?: number;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
.paused{background:#fde2e2;padding:.5rem;border:1px solid #d33}.running{background:#e4f6e4;padding:.5rem;border:1px solid #3a3}
.notice{background:#eef;padding:.5rem}ol{margin:0;padding-left:1.2rem}`;

function isoTime(date: Date | undefined): string {
  return date
    ? date
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z")
    : "";
}

function pauseBlock(pause: PauseState): Html {
  if (!pause.paused) return html`<p id="pause-state" class="running">Outbox running</p>`;
  return html`<p id="pause-state" class="paused">Outbox paused${pause.reason ? html`: <span id="pause-reason">${pause.reason}</span>` : ""}${
    pause.since ? html` (since ${isoTime(pause.since)})` : ""
  }</p>`;
}

function queueTable(queue: QueueSnapshot): Html {
  const states = Object.entries(queue.byState).sort(([a], [b]) => a.localeCompare(b));
  return html`<table id="queue"><thead><tr><th>state</th><th>messages</th></tr></thead><tbody>
${states.map(([state, count]) => html`<tr data-state="${state}"><td>${state}</td><td class="count">${count}</td></tr>`)}
</tbody></table>${
    queue.oldestPendingAgeSeconds
      ? html`<p id="oldest-pending">Oldest message waiting to be sent: ${Math.round(queue.oldestPendingAgeSeconds)} s</p>`
      : ""
  }`;
}

function recentTable(recent: RecentMessage[]): Html {
  if (recent.length === 0) return html`<p id="recent-empty">No messages yet.</p>`;
  return html`<table id="recent"><thead><tr><th>row</th><th>SMSC id</th><th>phones</th><th>state</th><th>created</th><th>status history</th></tr></thead><tbody>
${recent.map(
  (
    m,
  ) => html`<tr data-row="${m.rowId}" data-smsc-id="${m.smscId}"><td>${m.rowId}</td><td>${m.smscId}</td><td>${m.phones}</td><td class="state">${m.state}</td><td>${isoTime(m.createdAt)}</td>
<td><ol class="history">${m.history.map(
    (h) =>
      html`<li${h.status !== undefined ? html` data-status="${h.status}"` : html` class="step"`}>${isoTime(h.at)} ${
        h.status !== undefined ? `${h.status} ` : ""
      }${h.name}${h.err !== undefined ? html` (err ${h.err})` : ""} <small>via ${h.source}</small></li>`,
  )}</ol></td></tr>`,
)}
</tbody></table>`;
}

function deadLetterTable(entries: DeadLetterEntry[]): Html {
  if (entries.length === 0) return html`<p id="dead-letter-empty">Dead letter is empty.</p>`;
  return html`<table id="dead-letter"><thead><tr><th>row</th><th>SMSC id</th><th>phones</th><th>reason</th><th>at</th><th></th></tr></thead><tbody>
${entries.map(
  (
    d,
  ) => html`<tr data-row="${d.rowId}"><td>${d.rowId}</td><td>${d.smscId}</td><td>${d.phones}</td><td>${d.reason}</td><td>${isoTime(d.at)}</td>
<td><form method="post" action="/dead-letter/${encodeURIComponent(d.rowId)}/redrive"><button type="submit">Redrive</button></form></td></tr>`,
)}
</tbody></table>`;
}

export function renderStatusPage(model: StatusPageModel): string {
  const refresh = model.refreshSeconds ?? 5;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><title>smsc gateway</title>
<meta http-equiv="refresh" content="${refresh}"><style>${new Html(STYLE)}</style></head><body>
<h1>smsc gateway</h1>
${model.notice ? html`<p class="notice" id="notice">${model.notice}</p>` : ""}
${pauseBlock(model.pause)}
<h2>Queue</h2>${queueTable(model.queue)}
<h2>Recent messages</h2>${recentTable(model.recent)}
<h2>Dead letter</h2>${deadLetterTable(model.deadLetters)}
<p><a href="/metrics">metrics</a> · <a href="/healthz">healthz</a> · <a href="/readyz">readyz</a></p>
</body></html>`}`;
}
