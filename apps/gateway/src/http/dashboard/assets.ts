/**
 * The dashboard's stylesheet and its one script, served as files from the gateway (/dashboard/assets/…) so the
 * pages' CSP allows only 'self': no inline script or style, nothing from another origin.
 */
export const DASHBOARD_CSS = `
:root{--fg:#1a1a1a;--muted:#555;--line:#d0d4da;--bg:#f5f6f8;--card:#fff;--accent:#1f4e9c}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#16325c;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:center}
header h1{font-size:1.1rem;margin:0 1rem 0 0}
header a{color:#fff;text-decoration:none;padding:.3rem .1rem;border-bottom:2px solid transparent}
header a[aria-current=page]{border-bottom-color:#fff;font-weight:600}
main{padding:1rem;max-width:1200px;margin:0 auto}
h2{font-size:1.05rem;margin:0 0 .6rem}
.cards{display:grid;gap:1rem;grid-template-columns:1fr}
@media (min-width:800px){.cards{grid-template-columns:1fr 1fr}.wide{grid-column:1/-1}}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;min-width:0}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.6rem;margin:0 0 1rem}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem}
.kpi .label{color:var(--muted);font-size:.8rem;display:block}
.kpi .value{font-size:1.35rem;font-weight:650}
.state-running{border-left:6px solid #1b6b34}.state-paused{border-left:6px solid #b3261e;background:#fdf0ef}
.chart{margin:0}.chart svg{width:100%;height:auto;display:block;max-height:320px}
.chart .chart-narrow{display:none}
@media (max-width:600px){.chart .chart-wide{display:none}.chart .chart-narrow{display:block}}
.chart .grid{stroke:#e3e6ea;stroke-width:1}.chart .tick{font-size:11px;fill:#444}
.legend{list-style:none;padding:0;margin:.4rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
.swatch[data-color=accepted]{background:#1f4e9c}.swatch[data-color=sent]{background:#5b3a8e}
.swatch[data-color=delivered]{background:#1b6b34}.swatch[data-color=failed]{background:#b3261e}
.swatch[data-color=spend]{background:#7a4b00}
.funnel{list-style:none;padding:0;margin:0}
.funnel li{display:grid;grid-template-columns:7.5rem 1fr 4rem;gap:.5rem;align-items:center;margin:.45rem 0}
.funnel svg{width:100%;height:.9rem;display:block}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef1f5}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
details summary{cursor:pointer;color:var(--accent);font-size:.85rem}
form.search{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:.6rem;align-items:end}
form.search label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
input,select,button{font:inherit;padding:.4rem .5rem;border:1px solid #8a929c;border-radius:6px;background:#fff;color:var(--fg)}
button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
a{color:var(--accent)}
.notice{background:#e8eefb;border:1px solid #9db3e0;padding:.5rem .8rem;border-radius:6px;margin-bottom:1rem}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:999px;font-size:.8rem;background:#e6e9ee;color:#222}
.badge[data-state=dead]{background:#fbe3e1;color:#8c1d18}.badge[data-state=sent]{background:#e2f1e6;color:#14532a}
.badge[data-state=queued],.badge[data-state=sending],.badge[data-state=unknown]{background:#fff1d6;color:#6b4500}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
ol.timeline{margin:0;padding-left:1.2rem}ol.timeline li{margin:.2rem 0}
.muted{color:var(--muted)}.live-status{font-size:.8rem;color:#dfe7f5;margin-left:auto}
`;

/**
 * Live updates: polls the fragment the page was drawn from, sending its ETag; a 304 costs nothing, a 200 swaps
 * the new server-rendered HTML in place. Stops while the tab is hidden.
 */
export const LIVE_JS = `"use strict";
(function () {
  var root = document.querySelector("[data-live]");
  if (!root) return;
  var url = root.getAttribute("data-live");
  var etag = root.getAttribute("data-etag");
  var status = document.getElementById("live-status");
  var every = Number(root.getAttribute("data-every") || "5000");
  function tick() {
    if (document.hidden) return schedule();
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-cache" })
      .then(function (res) {
        if (res.status === 200) {
          etag = res.headers.get("ETag");
          return res.text().then(function (body) {
            root.innerHTML = body;
            root.setAttribute("data-etag", etag || "");
            root.dispatchEvent(new CustomEvent("live-updated"));
          });
        }
      })
      .then(function () { if (status) status.textContent = "updated " + new Date().toLocaleTimeString(); })
      .catch(function () { if (status) status.textContent = "offline, retrying"; })
      .then(schedule);
  }
  function schedule() { setTimeout(tick, every); }
  schedule();
})();
`;
