// Minimal inline-SVG charts: line and bar, with axes, titles and per-point tooltips.
// Each chart is an <figure> with a caption and an accessible table fallback.

import { svgEl as s } from "./dom";

interface Series {
  name: string;
  values: (number | null)[];
  color?: string;
}

interface ChartOptions {
  title: string;
  labels: string[];
  series: Series[];
  kind?: "line" | "bar";
  width?: number;
  height?: number;
  yLabel?: string;
  xLabel?: string;
  testid?: string;
  yMin?: number;
  yMax?: number;
  percent?: boolean;
}

const PALETTE = ["#1f6feb", "#d9480f", "#2b8a3e", "#862e9c", "#c92a2a", "#0b7285", "#e67700", "#5c940d"];

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function tickFmt(v: number, percent?: boolean): string {
  if (percent) return `${Math.round(v * 100)}%`;
  if (Math.abs(v) >= 1000) return `${(v / 1000).toLocaleString("en-GB", { maximumFractionDigits: 1 })}k`;
  return v.toLocaleString("en-GB", { maximumFractionDigits: 2 });
}

export function chart(o: ChartOptions): HTMLElement {
  const W = o.width ?? 640;
  const H = o.height ?? 260;
  const m = { l: 52, r: 12, t: 14, b: 46 };
  const iw = W - m.l - m.r;
  const ih = H - m.t - m.b;
  const all = o.series.flatMap((x) => x.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const yMin = o.yMin ?? 0;
  const yMax = o.yMax ?? niceMax(Math.max(yMin, ...all));
  const n = Math.max(1, o.labels.length);
  const kind = o.kind ?? "line";
  const xAt = (i: number) => kind === "bar" ? m.l + (iw * (i + 0.5)) / n : m.l + (n === 1 ? iw / 2 : (iw * i) / (n - 1));
  const yAt = (v: number) => m.t + ih - ((v - yMin) / (yMax - yMin || 1)) * ih;

  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img", "aria-label": o.title, preserveAspectRatio: "xMidYMid meet" });
  svg.append(s("title", {}, o.title));
  const axes = s("g", { class: "axes" });
  for (let t = 0; t <= 4; t++) {
    const v = yMin + ((yMax - yMin) * t) / 4;
    const y = yAt(v);
    axes.append(s("line", { x1: m.l, x2: W - m.r, y1: y, y2: y, class: "grid" }));
    axes.append(s("text", { x: m.l - 6, y: y + 4, "text-anchor": "end", class: "tick" }, tickFmt(v, o.percent)));
  }
  const step = Math.max(1, Math.ceil(n / 12));
  o.labels.forEach((lab, i) => {
    const last = i === n - 1 && (n - 1) % step >= step / 2;
    if (i % step !== 0 && !last) return;
    axes.append(s("text", { x: xAt(i), y: H - m.b + 16, "text-anchor": "middle", class: "tick" }, lab));
  });
  axes.append(s("line", { x1: m.l, x2: W - m.r, y1: m.t + ih, y2: m.t + ih, class: "axis" }));
  if (o.yLabel) axes.append(s("text", { x: 12, y: m.t + ih / 2, transform: `rotate(-90 12 ${m.t + ih / 2})`, "text-anchor": "middle", class: "axis-label" }, o.yLabel));
  if (o.xLabel) axes.append(s("text", { x: m.l + iw / 2, y: H - 6, "text-anchor": "middle", class: "axis-label" }, o.xLabel));
  svg.append(axes);

  o.series.forEach((ser, si) => {
    const color = ser.color ?? PALETTE[si % PALETTE.length];
    const g = s("g", { class: "series", "data-series": ser.name });
    if (kind === "bar") {
      const groupW = (iw / n) * 0.8;
      const bw = groupW / o.series.length;
      ser.values.forEach((v, i) => {
        if (v === null) return;
        const x = xAt(i) - groupW / 2 + si * bw;
        const rect = s("rect", { x, y: yAt(v), width: Math.max(1, bw - 1), height: Math.max(0, yAt(yMin) - yAt(v)), fill: color });
        rect.append(s("title", {}, `${ser.name}, ${o.labels[i]}: ${tickFmt(v, o.percent)}`));
        g.append(rect);
      });
    } else {
      let d = "";
      ser.values.forEach((v, i) => {
        if (v === null) return;
        d += `${d && ser.values[i - 1] !== null ? "L" : "M"}${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`;
      });
      g.append(s("path", { d, fill: "none", stroke: color, "stroke-width": 2 }));
      if (n <= 80) {
        ser.values.forEach((v, i) => {
          if (v === null) return;
          const c = s("circle", { cx: xAt(i), cy: yAt(v), r: 3, fill: color });
          c.append(s("title", {}, `${ser.name}, ${o.labels[i]}: ${tickFmt(v, o.percent)}`));
          g.append(c);
        });
      }
    }
    svg.append(g);
  });

  const fig = document.createElement("figure");
  fig.className = "chart";
  if (o.testid) fig.dataset.testid = o.testid;
  const cap = document.createElement("figcaption");
  cap.textContent = o.title;
  if (o.series.length > 1) {
    const legend = document.createElement("span");
    legend.className = "legend";
    o.series.forEach((ser, si) => {
      const item = document.createElement("span");
      item.className = "legend-item";
      const sw = document.createElement("span");
      sw.className = "swatch";
      sw.style.background = ser.color ?? PALETTE[si % PALETTE.length];
      item.append(sw, ser.name);
      legend.append(item);
    });
    cap.append(" ", legend);
  }
  fig.append(cap, svg);
  // Data table for screen readers and copy-paste.
  const details = document.createElement("details");
  details.className = "chart-data";
  const summary = document.createElement("summary");
  summary.textContent = "Data";
  const table = document.createElement("table");
  table.className = "compact";
  const head = table.createTHead().insertRow();
  for (const t of ["", ...o.series.map((x) => x.name)]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = t;
    head.append(th);
  }
  const body = table.createTBody();
  o.labels.forEach((lab, i) => {
    const row = body.insertRow();
    row.insertCell().textContent = lab;
    for (const ser of o.series) {
      const v = ser.values[i];
      row.insertCell().textContent = v === null || v === undefined ? "–" : tickFmt(v, o.percent);
    }
  });
  details.append(summary, table);
  fig.append(details);
  return fig;
}
