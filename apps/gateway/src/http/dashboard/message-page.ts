/** One message: recipients and their statuses, parts and cost, its history in true order, and redrive. */
import { classifyError, recipientKey, statusInfo } from "@smsc-kit/core";
import { type RecipientStatus, type StoredRow, wireId } from "@smsc-kit/outbox";
import { messageHistory } from "../../history.js";
import type { StatusEvent } from "../../view.js";
import { attemptSteps, unstoredSteps } from "./attempt-steps.js";
import { type Html, html, isoTime } from "./layout.js";
import type { DashboardSource } from "./source.js";

const ACCEPTED = "accepted into the outbox";

export interface MessageModel {
  row: StoredRow;
  statuses: RecipientStatus[];
  history: StatusEvent[];
}

export async function loadMessage(source: DashboardSource, rowId: number): Promise<MessageModel | null> {
  const row = await source.outbox.get(rowId);
  if (row === null) return null;
  const [statuses, journal, attempts] = await Promise.all([
    source.outbox.store.recipientStatuses(row.smscId),
    // Callbacks come under the id SMSC knows the message by: a batch's id names every row it carried.
    source.callbacks(wireId(row)),
    source.outbox.insights.attempts(rowId),
  ]);
  const callbacks =
    row.batchId === null
      ? journal
      : journal.filter((event) => row.recipients.includes(recipientKey(event.phone)));
  // Every attempt from the shared store; this process's memory adds only steps no attempt stands for.
  const stored = attemptSteps(row, attempts);
  // messageHistory wants the recent list's row; a stored row lacks only updatedAt, which it does not read.
  const history = messageHistory({
    row: { ...row, updatedAt: row.createdAt },
    callbacks,
    recipientStatuses: statuses,
    steps: [...stored, ...unstoredSteps(source.steps(rowId), stored, row)],
  });
  const accepted: StatusEvent = {
    name: "accepted into the outbox",
    at: new Date(row.createdAt),
    source: "outbox",
  };
  return { row, statuses, history: inTrueOrder([accepted, ...history]) };
}

/**
 * SMSC reports status times in whole seconds, so a delivery can seem to precede the send that caused it by a
 * fraction of a second. Within one second the order is the causal one: accepted, then the outbox's own steps in
 * their order, then the statuses by code (-1 queued, 0 with the operator, then the final one).
 */
export function inTrueOrder(events: readonly StatusEvent[]): StatusEvent[] {
  const second = (e: StatusEvent) => Math.floor(e.at.getTime() / 1000);
  const phase = (e: StatusEvent) => (e.name === ACCEPTED ? 0 : e.status === undefined ? 1 : 2);
  const within = (a: StatusEvent, b: StatusEvent) =>
    a.status === undefined || b.status === undefined ? a.at.getTime() - b.at.getTime() : a.status - b.status;
  return events
    .map((event, index) => ({ event, index }))
    .sort(
      (a, b) =>
        second(a.event) - second(b.event) ||
        phase(a.event) - phase(b.event) ||
        within(a.event, b.event) ||
        a.index - b.index,
    )
    .map(({ event }) => event);
}

function recipients(model: MessageModel): Html {
  const byPhone = new Map(model.statuses.map((s) => [s.phone, s]));
  return html`<div class="scroll"><table id="recipients"><thead><tr><th scope="col">phone</th><th scope="col">status</th><th scope="col">at</th><th scope="col">error</th></tr></thead><tbody>
${model.row.recipients.map((phone) => {
  const s = byPhone.get(phone);
  return html`<tr data-phone="${phone}"><td>${phone}</td><td>${s ? `${s.status} ${statusInfo(s.status)?.name ?? ""}` : "no status yet"}</td><td>${s ? isoTime(s.at) : ""}</td><td>${s?.err ?? ""}</td></tr>`;
})}</tbody></table></div>`;
}

function lastError(row: StoredRow): Html | string {
  if (row.lastError === null && row.lastErrorCode === null) return "";
  const meaning = row.lastErrorCode !== null ? classifyError("send", row.lastErrorCode).text : "";
  return html`<dt>last error</dt><dd id="last-error">${row.lastErrorClass ?? "error"}${row.lastErrorCode !== null ? ` (SMSC ${row.lastErrorCode}: ${meaning})` : ""}${row.lastError ? ` — ${row.lastError}` : ""}</dd>`;
}

export function renderMessage(model: MessageModel): Html {
  const { row } = model;
  // The row keeps SMSC's send fields under `send` (the outbox's own options beside them).
  const send = (
    typeof row.request.send === "object" && row.request.send !== null ? row.request.send : row.request
  ) as Record<string, unknown>;
  const text = typeof send.mes === "string" ? send.mes : "";
  return html`<div class="cards">
<section class="card"><h2>Message ${row.rowId} <span class="badge" id="message-state" data-state="${row.state}">${row.state}</span></h2>
<dl class="facts">
<dt>SMSC id</dt><dd id="smsc-id">${row.smscId}</dd>
<dt>text</dt><dd id="message-text">${text}</dd>
<dt>parts (SMS)</dt><dd id="parts">${row.cnt ?? "not sent yet"}</dd>
<dt>cost</dt><dd id="cost">${row.cost ?? "–"}</dd>
<dt>attempts</dt><dd id="attempts">${row.attempts}</dd>
<dt>accepted</dt><dd>${isoTime(row.createdAt)}</dd>
${row.sentAt !== null ? html`<dt>sent</dt><dd>${isoTime(row.sentAt)}</dd>` : ""}
${row.deadAt !== null ? html`<dt>dead-lettered</dt><dd>${isoTime(row.deadAt)}</dd>` : ""}
${lastError(row)}
${row.meta ? html`<dt>meta</dt><dd id="meta"><code>${JSON.stringify(row.meta)}</code></dd>` : ""}
</dl>
${row.state === "dead" ? html`<form method="post" action="/dashboard/messages/${row.rowId}/redrive"><p><button type="submit" id="redrive">Redrive this message</button> <span class="muted">puts it back in the queue with the same SMSC id</span></p></form>` : ""}
</section>
<section class="card"><h2>Recipients</h2>${recipients(model)}</section>
<section class="card wide"><h2>History</h2><ol class="timeline" id="history">${model.history.map(
    (h) =>
      html`<li${h.status !== undefined ? html` data-status="${h.status}"` : ""}${h.attempt ? html` data-attempt="${h.attempt.seq}" data-outcome="${h.attempt.outcome}"${h.attempt.code !== null ? html` data-code="${h.attempt.code}"` : ""}` : ""}><time>${isoTime(h.at.getTime())}</time> ${h.status !== undefined ? `${h.status} ` : ""}${h.name}${h.err !== undefined ? ` (err ${h.err})` : ""} <span class="muted">via ${h.source}</span></li>`,
  )}</ol></section>
</div>`;
}
