/** The overview: what the gateway did in the last hour and day, what failed and why, spend, balance, queue. */
import { classifyError, DELIVERY_ERRORS } from "@smsc-kit/core";
import type { Activity, FailureCount } from "@smsc-kit/outbox";
import type { PauseState } from "../../view.js";
import type { BalanceReading } from "./balance.js";
import { renderChart, SERIES_COLORS } from "./charts.js";
import { age, type Html, html, isoTime, percent } from "./layout.js";
import type { DashboardSource } from "./source.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface OverviewModel {
  hour: Activity;
  day: Activity;
  failures: FailureCount[];
  queue: { byState: Record<string, number>; oldestDueAgeMs: number };
  deadLetter: number;
  pause: PauseState;
  balance: BalanceReading;
}

export async function loadOverview(source: DashboardSource): Promise<OverviewModel> {
  const { insights } = source.outbox;
  const [hour, day, failures, queue, balance] = await Promise.all([
    insights.activity({ windowMs: HOUR, bucketMs: MINUTE }),
    insights.activity({ windowMs: 24 * HOUR, bucketMs: HOUR }),
    insights.failures({ windowMs: 24 * HOUR }),
    insights.queue(),
    source.balance(),
  ]);
  return { hour, day, failures, queue, deadLetter: queue.deadLetterDepth, pause: source.pause(), balance };
}

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const money = (n: number) => n.toFixed(2);

function throughput(id: string, title: string, activity: Activity): Html {
  const pick = (key: "accepted" | "sent" | "delivered" | "failed") => activity.buckets.map((b) => b[key]);
  return renderChart({
    id,
    title,
    kind: "line",
    labels: activity.buckets.map((b) => clock(b.start)),
    series: (["accepted", "sent", "delivered", "failed"] as const).map((key) => ({
      key,
      label: key,
      color: SERIES_COLORS[key],
      values: pick(key),
    })),
  });
}

function funnel(activity: Activity): Html {
  const { accepted, sent, delivered, failed } = activity.totals;
  // A bar per step drawn in SVG: its width is an attribute, which the CSP allows (an inline style would not be).
  const step = (key: keyof typeof SERIES_COLORS, value: number, of: number, ofLabel: string) => {
    const share = of === 0 ? 0 : Math.min(100, (100 * value) / of);
    return html`<li data-step="${key}"><span>${key} <strong>${value}</strong></span><svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${key}: ${percent(value, of)} of ${ofLabel}"><rect width="100" height="10" rx="2" fill="#e6e9ee"/><rect width="${share.toFixed(1)}" height="10" rx="2" fill="${SERIES_COLORS[key]}"/></svg><span class="num">${percent(value, of)}</span></li>`;
  };
  return html`<ul class="funnel" id="funnel">${step("accepted", accepted, accepted, "accepted")}${step("sent", sent, accepted, "accepted")}${step("delivered", delivered, sent, "sent")}${step("failed", failed, accepted, "accepted")}</ul>
<p class="muted">sent and failed: share of accepted; delivered: share of sent.</p>`;
}

function failureText(failure: FailureCount): { text: string; kind: string } {
  if (failure.code === null) return { text: "no code reported", kind: "unknown" };
  if (failure.source === "send") {
    const entry = classifyError("send", failure.code);
    return { text: entry.text, kind: entry.class };
  }
  const entry = (DELIVERY_ERRORS as Record<string, { name: string; description: string } | undefined>)[
    String(failure.code)
  ];
  const text = entry ? `${entry.name}: ${entry.description}` : `delivery error ${failure.code}`;
  return { text, kind: "delivery" };
}

function failureTable(failures: FailureCount[]): Html {
  if (failures.length === 0) {
    return html`<p id="failures-empty" class="muted">No failures in the last 24 hours.</p>`;
  }
  return html`<div class="scroll"><table id="failures"><thead><tr><th scope="col">code</th><th scope="col">meaning</th><th scope="col" class="num">count</th></tr></thead><tbody>
${failures.map((f) => {
  const { text, kind } = failureText(f);
  return html`<tr data-source="${f.source}" data-code="${f.code ?? ""}"><td>${f.source === "send" ? "SMSC error" : "delivery"} <strong>${f.code ?? "–"}</strong></td><td>${text} <span class="badge">${kind}</span></td><td class="num">${f.count}</td></tr>`;
})}</tbody></table></div>`;
}

function balanceKpi(balance: BalanceReading): Html {
  if (balance.kind === "ok") {
    return html`<div class="kpi" id="balance"><span class="label">balance (as of ${clock(balance.at)})</span><span class="value">${money(balance.balance)}${balance.currency ? ` ${balance.currency}` : ""}</span></div>`;
  }
  return html`<div class="kpi" id="balance"><span class="label">balance</span><span class="value muted" title="${balance.reason}">unavailable</span></div>`;
}

function pauseKpi(pause: PauseState): Html {
  return pause.paused
    ? html`<div class="kpi state-paused" id="pause-state"><span class="label">outbox</span><span class="value">paused</span>${pause.reason ? html`<span id="pause-reason">${pause.reason}</span>` : ""}${pause.since ? html` <span class="muted">since ${isoTime(pause.since.getTime())}</span>` : ""}</div>`
    : html`<div class="kpi state-running" id="pause-state"><span class="label">outbox</span><span class="value">running</span></div>`;
}

/** The part of the overview that live.js refreshes in place. */
export function renderOverviewFragment(model: OverviewModel): Html {
  const waiting = model.queue.byState.queued ?? 0;
  const unknown = model.queue.byState.unknown ?? 0;
  const sending = model.queue.byState.sending ?? 0;
  return html`<section class="kpis" aria-label="current state">
${pauseKpi(model.pause)}
<div class="kpi" id="queue-depth"><span class="label">queued / sending</span><span class="value">${waiting + unknown} / ${sending}</span></div>
<div class="kpi" id="oldest-due"><span class="label">oldest due waiting</span><span class="value">${age(model.queue.oldestDueAgeMs)}</span></div>
<div class="kpi" id="dead-letter"><span class="label">dead letter</span><span class="value"><a href="/dashboard/messages?state=dead">${model.deadLetter}</a></span></div>
${balanceKpi(model.balance)}
<div class="kpi" id="spend-day"><span class="label">spend, 24 h</span><span class="value">${money(model.day.totals.spend)}</span></div>
</section>
<div class="cards">
<section class="card wide"><h2>Last hour, per minute</h2>${throughput("chart-hour", "Messages per minute, last hour", model.hour)}</section>
<section class="card"><h2>Last 24 hours, per hour</h2>${throughput("chart-day", "Messages per hour, last 24 hours", model.day)}</section>
<section class="card"><h2>Delivery funnel, 24 h</h2>${funnel(model.day)}</section>
<section class="card"><h2>Spend per hour, 24 h</h2>${renderChart({
    id: "chart-spend",
    title: "Spend per hour, last 24 hours",
    kind: "bar",
    labels: model.day.buckets.map((b) => clock(b.start)),
    series: [
      {
        key: "spend",
        label: "spend",
        color: SERIES_COLORS.spend,
        values: model.day.buckets.map((b) => b.spend),
      },
    ],
    format: money,
  })}</section>
<section class="card"><h2>Failures by code, 24 h</h2>${failureTable(model.failures)}</section>
</div>`;
}
