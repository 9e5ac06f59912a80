/** The message search: a form over outbox.insights.search and one keyset page of results. */
import { OutboxValidationError, type RecentRow, type SearchOptions } from "@smsc-kit/outbox";
import { type Html, html, isoTime } from "./layout.js";
import type { DashboardSource } from "./source.js";

export const PAGE_SIZE = 50;
const STATES = ["queued", "unknown", "sending", "sent", "dead"] as const;
const FIELDS = ["phone", "smscId", "state", "since", "until", "metaKey", "metaValue"] as const;

export interface SearchPage {
  query: Record<(typeof FIELDS)[number], string>;
  rows: RecentRow[];
  /** The query string of the next page, when this one was full. */
  next?: string | undefined;
  error?: string | undefined;
}

/** `datetime-local` values are read as UTC, as every time on these pages is written. */
function timeOf(value: string, field: string): number {
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw new OutboxValidationError(field, "time", `${field}: not a date and time`);
  return ms;
}

/** `before` is `<updatedAt>.<rowId>` of the last row of the previous page. */
function cursorOf(value: string): { updatedAt: number; rowId: number } {
  const match = /^(\d{1,16})\.(\d{1,16})$/.exec(value);
  if (!match) throw new OutboxValidationError("before", "cursor", "before: must be <updatedAt>.<rowId>");
  return { updatedAt: Number(match[1]), rowId: Number(match[2]) };
}

export async function loadSearch(source: DashboardSource, params: URLSearchParams): Promise<SearchPage> {
  const query = Object.fromEntries(
    FIELDS.map((f) => [f, (params.get(f) ?? "").trim()]),
  ) as SearchPage["query"];
  try {
    const options: SearchOptions = { limit: PAGE_SIZE };
    if (query.phone) options.phone = query.phone;
    if (query.smscId) options.smscId = query.smscId;
    if (query.state) options.state = query.state as SearchOptions["state"];
    if (query.since) options.since = timeOf(query.since, "since");
    if (query.until) options.until = timeOf(query.until, "until");
    if (query.metaKey) options.metaKey = query.metaKey;
    if (query.metaValue) options.metaValue = query.metaValue;
    const before = params.get("before");
    if (before) options.before = cursorOf(before);
    const rows = await source.outbox.insights.search(options);
    const last = rows[rows.length - 1];
    let next: string | undefined;
    if (rows.length === PAGE_SIZE && last) {
      const nextParams = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ""));
      nextParams.set("before", `${last.updatedAt}.${last.rowId}`);
      next = nextParams.toString();
    }
    return { query, rows, next };
  } catch (error) {
    if (error instanceof OutboxValidationError) return { query, rows: [], error: error.message };
    throw error;
  }
}

function field(name: string, label: string, value: string, type = "text", extra: Html | string = ""): Html {
  return html`<label>${label}<input name="${name}" id="q-${name}" type="${type}" value="${value}"${extra}></label>`;
}

export function renderSearch(page: SearchPage): Html {
  const q = page.query;
  const stateSelect = html`<label>state<select name="state" id="q-state"><option value="">any</option>${STATES.map(
    (s) => html`<option value="${s}"${q.state === s ? html` selected` : ""}>${s}</option>`,
  )}</select></label>`;
  const results =
    page.rows.length === 0
      ? html`<p id="results-empty" class="muted">No messages match.</p>`
      : html`<div class="scroll"><table id="results"><thead><tr><th scope="col">row</th><th scope="col">phones</th><th scope="col">state</th><th scope="col">SMSC id</th><th scope="col">last change</th><th scope="col" class="num">cost</th></tr></thead><tbody>
${page.rows.map(
  (r) =>
    html`<tr data-row="${r.rowId}"><td><a href="/dashboard/messages/${r.rowId}">${r.rowId}</a></td><td>${r.recipients.join(", ")}</td><td><span class="badge" data-state="${r.state}">${r.state}</span></td><td>${r.smscId}</td><td>${isoTime(r.updatedAt)}</td><td class="num">${r.cost ?? ""}</td></tr>`,
)}</tbody></table></div>`;
  return html`<section class="card"><h2>Find messages</h2>
<form class="search" method="get" action="/dashboard/messages" role="search">
${field("phone", "phone (any format)", q.phone, "search", html` inputmode="tel" autocomplete="off"`)}
${field("smscId", "SMSC id", q.smscId)}
${stateSelect}
${field("since", "changed from (UTC)", q.since, "datetime-local")}
${field("until", "changed until (UTC)", q.until, "datetime-local")}
${field("metaKey", "meta key", q.metaKey)}
${field("metaValue", "meta value", q.metaValue)}
<button type="submit">Search</button>
</form></section>
${page.error ? html`<p class="notice" id="search-error" role="alert">${page.error}</p>` : ""}
<section class="card" aria-label="results">${results}
${page.next ? html`<p><a id="next-page" rel="next" href="/dashboard/messages?${page.next}">Older messages →</a></p>` : ""}</section>`;
}
