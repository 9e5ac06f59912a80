import { Html, html } from "../html.js";

/** The dashboard's CSP: its own stylesheet and script only (assets.ts), fetches to itself, no framing. */
export const DASHBOARD_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export type Section = "overview" | "messages";

export function renderPage(title: string, section: Section, body: Html, notice?: string): string {
  const link = (href: string, name: Section, label: string) =>
    html`<a href="${href}"${section === name ? html` aria-current="page"` : ""}>${label}</a>`;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · smsc gateway</title>
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/live.js" defer></script></head><body>
<header><h1>smsc gateway</h1><nav>${link("/dashboard", "overview", "Overview")} · ${link("/dashboard/messages", "messages", "Messages")} · <a href="/">Status page</a> · <a href="/metrics">Metrics</a></nav><span class="live-status" id="live-status" aria-live="polite"></span></header>
<main>${notice ? html`<p class="notice" id="notice" role="status">${notice}</p>` : ""}${body}</main>
</body></html>`}`;
}

export function isoTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "";
  return new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
}

/** "3 s", "4 min", "2 h 5 min": an age for people. */
export function age(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)}%`;
}

export { Html, html };
