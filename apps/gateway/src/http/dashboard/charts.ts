/**
 * Charts as server-rendered SVG: no script, no CDN, readable by screen readers (role="img" with a title and a
 * description naming the totals) and backed by a data table for anyone who would rather read the numbers.
 */
import { Html, html } from "../html.js";

export interface Series {
  key: string;
  label: string;
  /** A dark colour: every series keeps at least 4.5:1 contrast against the white background. */
  color: string;
  values: readonly number[];
}

export interface ChartInput {
  id: string;
  title: string;
  /** Labels of the buckets, oldest first (e.g. "14:05"). */
  labels: readonly string[];
  series: readonly Series[];
  kind: "line" | "bar";
  /** How a value is written in the description and the table (counts, money). */
  format?: (value: number) => string;
}

/** Two drawings of one chart, shown by CSS by screen width, so the axis text stays legible on a phone too. */
const SIZES = {
  wide: { width: 720, height: 240, labels: 7 },
  narrow: { width: 360, height: 220, labels: 4 },
} as const;
const PAD = { left: 44, right: 22, top: 12, bottom: 28 };

/** A round upper bound for the y axis, so the gridlines fall on readable numbers. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

const round = (n: number) => Math.round(n * 10) / 10;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function drawing(input: ChartInput, size: keyof typeof SIZES): Html {
  const { width: WIDTH, height: HEIGHT, labels: maxLabels } = SIZES[size];
  const format = input.format ?? ((n: number) => String(n));
  const count = input.labels.length;
  const max = niceMax(Math.max(0, ...input.series.flatMap((s) => s.values)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, count);
  // Lines run through the middle of each bucket's slot, bars fill it: both line up with the labels.
  const x = (i: number) => PAD.left + slot * (i + 0.5);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const labelEvery = Math.max(1, Math.ceil(count / maxLabels));
  const id = `${input.id}-${size}`;

  const grid = ticks.map(
    (t) =>
      html`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${round(y(t))}" y2="${round(y(t))}"/><text class="tick" x="${PAD.left - 6}" y="${round(y(t)) + 4}" text-anchor="end">${format(t)}</text>`,
  );
  const xLabels = input.labels.map((label, i) =>
    (count - 1 - i) % labelEvery === 0
      ? html`<text class="tick" x="${round(x(i))}" y="${HEIGHT - 8}" text-anchor="middle">${label}</text>`
      : "",
  );
  const marks = input.series.map((s, seriesIndex) => {
    if (input.kind === "line") {
      const points = s.values.map((v, i) => `${round(x(i))},${round(y(v))}`).join(" ");
      return html`<polyline class="series" data-series="${s.key}" fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round" points="${points}"/>`;
    }
    const barW = Math.max(1, (slot * 0.8) / input.series.length);
    return html`<g class="series" data-series="${s.key}" fill="${s.color}">${s.values.map((v, i) => {
      const left = PAD.left + i * slot + slot * 0.1 + seriesIndex * barW;
      return v > 0
        ? html`<rect x="${round(left)}" y="${round(y(v))}" width="${round(barW)}" height="${round(PAD.top + plotH - y(v))}"><title>${input.labels[i]}: ${format(v)}</title></rect>`
        : "";
    })}</g>`;
  });
  const totals = input.series.map((s) => `${s.label} ${format(sum(s.values))}`);
  return html`<svg class="chart-${size}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" data-total="${sum(input.series.map((s) => sum(s.values)))}">
<title id="${id}-title">${input.title}</title>
<desc id="${id}-desc">${input.labels[0] ?? ""} to ${input.labels[count - 1] ?? ""}: ${totals.join(", ")}.</desc>
${grid}${xLabels}${marks}
</svg>`;
}

export function renderChart(input: ChartInput): Html {
  const format = input.format ?? ((n: number) => String(n));
  const legend = input.series.map(
    (s) =>
      html`<li><span class="swatch" data-color="${s.key}"></span>${s.label} <strong>${format(sum(s.values))}</strong></li>`,
  );
  return html`<figure class="chart" id="${input.id}">
${drawing(input, "wide")}${drawing(input, "narrow")}
<figcaption><ul class="legend">${legend}</ul>
<details><summary>Data table</summary><div class="scroll"><table><thead><tr><th scope="col">time</th>${input.series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}</tr></thead><tbody>
${input.labels.map((label, i) => html`<tr><th scope="row">${label}</th>${input.series.map((s) => html`<td class="num">${format(s.values[i] ?? 0)}</td>`)}</tr>`)}
</tbody></table></div></details></figcaption></figure>`;
}

export const SERIES_COLORS = {
  accepted: "#1f4e9c",
  sent: "#5b3a8e",
  delivered: "#1b6b34",
  failed: "#b3261e",
  spend: "#7a4b00",
} as const;

export { Html };
