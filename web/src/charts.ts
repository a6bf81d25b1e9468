// Minimal inline-SVG charts: line and bar, with axes, titles and per-point tooltips.
// Each chart is an <figure> with a caption and an accessible table fallback.

import { svgEl as s } from "./dom";
import { exportButton, fileStem, pngOf, standaloneSvg, svgBlob, type LegendItem } from "./exports";

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

// -- Shared parts: every chart's frame, axes, caption, legend and data table --------------

/** The margins of a chart's drawing: left, right, top and bottom. */
interface Margins { l: number; r: number; t: number; b: number }

/** The inner width and height of a `W` × `H` drawing within margins `m`. */
function inner(W: number, H: number, m: Margins): { iw: number; ih: number } {
  return { iw: W - m.l - m.r, ih: H - m.t - m.b };
}

/** The <svg> of a `chart` or `trendChart`, titled for screen readers. */
function chartSvg(W: number, H: number, title: string): SVGSVGElement {
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img", "aria-label": title, preserveAspectRatio: "xMidYMid meet" });
  svg.append(s("title", {}, title));
  return svg;
}

/** Five horizontal grid lines (0 to 4 quarters of the scale), each with its value on the left:
 *  `tick(t)` gives quarter `t`'s height and text. */
function yGrid(axes: SVGElement, W: number, m: Margins, tick: (t: number) => [number, string]): void {
  for (let t = 0; t <= 4; t++) {
    const [y, text] = tick(t);
    axes.append(s("line", { x1: m.l, x2: W - m.r, y1: y, y2: y, class: "grid" }));
    axes.append(s("text", { x: m.l - 6, y: y + 4, "text-anchor": "end", class: "tick" }, text));
  }
}

/** A tick's text under the x axis, centred at `x`. */
function xTick(x: number, y: number, text: string): SVGElement {
  return s("text", { x, y, "text-anchor": "middle", class: "tick" }, text);
}

/** One label per period under the x axis, thinned to at most about `most`; the last is
 *  labelled too, unless that would crowd the label before it. */
function xLabels(axes: SVGElement, labels: string[], most: number, xAt: (i: number) => number, y: number,
  write: (label: string) => string = (x) => x): void {
  const n = Math.max(1, labels.length);
  const step = Math.max(1, Math.ceil(n / most));
  labels.forEach((lab, i) => {
    const last = i === n - 1 && (n - 1) % step >= step / 2;
    if (i % step !== 0 && !last) return;
    axes.append(xTick(xAt(i), y, write(lab)));
  });
}

/** The x axis: a line along the bottom of the drawing. */
function xAxis(W: number, m: Margins, ih: number): SVGElement {
  return s("line", { x1: m.l, x2: W - m.r, y1: m.t + ih, y2: m.t + ih, class: "axis" });
}

/** The y axis's name, written upwards at `x` beside the middle of the drawing. */
function yAxisLabel(x: number, m: Margins, ih: number, text: string): SVGElement {
  return s("text", { x, y: m.t + ih / 2, transform: `rotate(-90 ${x} ${m.t + ih / 2})`, "text-anchor": "middle", class: "axis-label" }, text);
}

/** The chart's <figure> (classes `className`) and its <figcaption>, which says `title`. */
function figure(className: string, title: string, testid?: string): { fig: HTMLElement; cap: HTMLElement } {
  const fig = document.createElement("figure");
  fig.className = className;
  if (testid) fig.dataset.testid = testid;
  const cap = document.createElement("figcaption");
  cap.textContent = title;
  return { fig, cap };
}

/** One coloured swatch and name per series, in `legend` (a series without a colour of its
 *  own takes the palette's, by its place). */
function swatches(legend: HTMLElement, series: { name: string; color?: string }[]): void {
  series.forEach((ser, si) => {
    const item = document.createElement("span");
    item.className = "legend-item";
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = ser.color ?? PALETTE[si % PALETTE.length];
    item.append(sw, ser.name);
    legend.append(item);
  });
}

/** The numbers behind a chart as a table in a <details> headed `summary`, for screen readers
 *  and copying: `columns` head it; its rows go in `body`. */
function dataTable(summary: string, columns: string[]): { details: HTMLElement; table: HTMLTableElement; body: HTMLTableSectionElement } {
  const details = document.createElement("details");
  details.className = "chart-data";
  const sum = document.createElement("summary");
  sum.textContent = summary;
  const table = document.createElement("table");
  table.className = "compact";
  const head = table.createTHead().insertRow();
  for (const name of columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = name;
    head.append(th);
  }
  const body = table.createTBody();
  details.append(sum, table);
  return { details, table, body };
}

export function chart(o: ChartOptions): HTMLElement {
  const W = o.width ?? 640;
  const H = o.height ?? 260;
  const m = { l: 52, r: 12, t: 14, b: 46 };
  const { iw, ih } = inner(W, H, m);
  const all = o.series.flatMap((x) => x.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const yMin = o.yMin ?? 0;
  const yMax = o.yMax ?? niceMax(Math.max(yMin, ...all));
  const n = Math.max(1, o.labels.length);
  const kind = o.kind ?? "line";
  const xAt = (i: number) => kind === "bar" ? m.l + (iw * (i + 0.5)) / n : m.l + (n === 1 ? iw / 2 : (iw * i) / (n - 1));
  const yAt = (v: number) => m.t + ih - ((v - yMin) / (yMax - yMin || 1)) * ih;

  const svg = chartSvg(W, H, o.title);
  const axes = s("g", { class: "axes" });
  yGrid(axes, W, m, (t) => {
    const v = yMin + ((yMax - yMin) * t) / 4;
    return [yAt(v), tickFmt(v, o.percent)];
  });
  xLabels(axes, o.labels, 12, xAt, H - m.b + 16);
  axes.append(xAxis(W, m, ih));
  if (o.yLabel) axes.append(yAxisLabel(12, m, ih, o.yLabel));
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

  const { fig, cap } = figure("chart", o.title, o.testid);
  if (o.series.length > 1) {
    const legend = document.createElement("span");
    legend.className = "legend";
    swatches(legend, o.series);
    cap.append(" ", legend);
  }
  fig.append(cap, svg);
  const { details, body } = dataTable("Data", ["", ...o.series.map((x) => x.name)]);
  o.labels.forEach((lab, i) => {
    const row = body.insertRow();
    row.insertCell().textContent = lab;
    for (const ser of o.series) {
      const v = ser.values[i];
      row.insertCell().textContent = v === null || v === undefined ? "–" : tickFmt(v, o.percent);
    }
  });
  fig.append(details);
  return fig;
}

// ---------- removal curves (the disruption planner's comparison) ----------

/** One line of a `curveChart`: a share (0..1) per step, from step 0. */
export interface CurveSeries {
  /** What the legend and the data table call it. */
  name: string;
  values: number[];
  color: string;
  /** A key for tests and styles (`data-series`), e.g. the strategy's technical name. */
  key?: string;
  dashed?: boolean;
  /** Drawn thicker, first in the legend: the plan whose targets are listed. */
  strong?: boolean;
}

/** A shaded range around a series (e.g. the lowest and highest of random runs). */
export interface CurveBand {
  name: string;
  low: number[];
  high: number[];
  color: string;
}

export interface CurveChartOptions {
  title: string;
  /** The long description (`<desc>`): what is drawn and how to read it. */
  desc: string;
  series: CurveSeries[];
  band?: CurveBand;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  testid?: string;
}

let curveCharts = 0; // ids for each chart's <title> and <desc>

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** A line chart of shares (0 to 100%) against whole steps 0..n, for curves that all
 *  start at 100%: one line per series, an optional shaded band, axis labels, a legend
 *  that says each line's last value, `<title>` and `<desc>` for screen readers and the
 *  numbers as a table in a <details> (`chart` cannot shade a band or say a `<desc>`). */
export function curveChart(o: CurveChartOptions): HTMLElement {
  const W = o.width ?? 760;
  const H = o.height ?? 300;
  const m = { l: 56, r: 14, t: 12, b: 40 };
  const { iw, ih } = inner(W, H, m);
  const steps = Math.max(1, ...o.series.map((x) => x.values.length - 1), o.band ? o.band.low.length - 1 : 0);
  const xAt = (i: number) => m.l + (iw * i) / steps;
  const yAt = (v: number) => m.t + ih - Math.max(0, Math.min(1, v)) * ih;
  const id = `curve-chart-${++curveCharts}`;

  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart-svg curve-svg", role: "img", "aria-labelledby": `${id}-title ${id}-desc` });
  svg.append(s("title", { id: `${id}-title` }, o.title), s("desc", { id: `${id}-desc` }, o.desc));
  const axes = s("g", { class: "axes" });
  yGrid(axes, W, m, (t) => [yAt(t / 4), pct(t / 4)]);
  const every = Math.max(1, Math.ceil(steps / 20));
  for (let i = 0; i <= steps; i += every) axes.append(xTick(xAt(i), m.t + ih + 15, String(i)));
  axes.append(xAxis(W, m, ih));
  axes.append(s("line", { x1: m.l, x2: m.l, y1: m.t, y2: m.t + ih, class: "axis" }));
  axes.append(s("text", { x: m.l + iw / 2, y: H - 6, "text-anchor": "middle", class: "axis-label" }, o.xLabel));
  axes.append(yAxisLabel(13, m, ih, o.yLabel));
  svg.append(axes);

  if (o.band && o.band.low.length) {
    const { low, high } = o.band;
    const upper = high.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`);
    const lower = low.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).reverse();
    const band = s("polygon", { points: [...upper, ...lower].join(" "), fill: o.band.color, "fill-opacity": 0.18, stroke: "none", class: "curve-band", "data-series": "band" });
    band.append(s("title", {}, o.band.name));
    svg.append(band);
  }
  // The strong series last, so it is drawn over the others.
  const order = [...o.series].sort((a, b) => Number(a.strong ?? false) - Number(b.strong ?? false));
  for (const ser of order) {
    const g = s("g", { class: "series", "data-series": ser.key ?? ser.name });
    const d = ser.values.map((v, i) => `${i ? "L" : "M"}${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join("");
    g.append(s("path", { d, fill: "none", stroke: ser.color, "stroke-width": ser.strong ? 3.5 : 2, ...(ser.dashed ? { "stroke-dasharray": "6 4" } : {}) }));
    if (steps <= 60) {
      ser.values.forEach((v, i) => {
        const c = s("circle", { cx: xAt(i), cy: yAt(v), r: ser.strong ? 3.5 : 2.5, fill: ser.color });
        c.append(s("title", {}, `${ser.name}, after ${i} ${o.xLabel}: ${pct(v)}`));
        g.append(c);
      });
    }
    svg.append(g);
  }

  const { fig, cap } = figure("chart curve-chart", o.title, o.testid);
  fig.append(cap, svg, curveLegend(o));
  fig.append(curveTable(o, steps));
  return fig;
}

/** The legend: each line's swatch, name and value at its last step, the strong one first. */
function curveLegend(o: CurveChartOptions): HTMLElement {
  const list = document.createElement("ul");
  list.className = "curve-legend";
  list.dataset.testid = "curve-legend";
  const ordered = [...o.series].sort((a, b) => Number(b.strong ?? false) - Number(a.strong ?? false));
  for (const ser of ordered) {
    const item = document.createElement("li");
    item.dataset.testid = "curve-legend-item";
    item.dataset.series = ser.key ?? ser.name;
    const last = ser.values[ser.values.length - 1];
    item.dataset.last = String(last ?? "");
    if (ser.strong) item.className = "strong";
    const swatch = s("svg", { width: 26, height: 10, "aria-hidden": "true", class: "curve-swatch" });
    swatch.append(s("line", { x1: 1, x2: 25, y1: 5, y2: 5, stroke: ser.color, "stroke-width": ser.strong ? 3.5 : 2, ...(ser.dashed ? { "stroke-dasharray": "5 3" } : {}) }));
    const value = document.createElement("span");
    value.className = "curve-last";
    value.textContent = last === undefined ? "" : pct(last);
    item.append(swatch, ` ${ser.name} `, value);
    list.append(item);
  }
  if (o.band) {
    const item = document.createElement("li");
    item.dataset.testid = "curve-legend-item";
    item.dataset.series = "band";
    const swatch = s("svg", { width: 26, height: 10, "aria-hidden": "true", class: "curve-swatch" });
    swatch.append(s("rect", { x: 1, y: 0, width: 24, height: 10, fill: o.band.color, "fill-opacity": 0.25 }));
    item.append(swatch, ` ${o.band.name}`);
    list.append(item);
  }
  return list;
}

/** The numbers behind the chart, one row per step, for screen readers and copying. */
function curveTable(o: CurveChartOptions, steps: number): HTMLElement {
  const columns: [string, number[]][] = o.series.map((x) => [x.name, x.values]);
  if (o.band) columns.push([`${o.band.name}: lowest`, o.band.low], [`${o.band.name}: highest`, o.band.high]);
  const { details, table, body } = dataTable("Data (as a table)", [o.xLabel, ...columns.map(([n]) => n)]);
  table.dataset.testid = "curve-table";
  const caption = table.createCaption();
  caption.className = "visually-hidden";
  caption.textContent = o.title;
  for (let i = 0; i <= steps; i++) {
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = String(i);
    row.append(th);
    for (const [, values] of columns) row.insertCell().textContent = values[i] === undefined ? "–" : pct(values[i]);
  }
  return details;
}

// -- Trend charts (issue 19: the case's own threat picture) -------------------------------

export interface TrendChartOptions {
  title: string;
  /** One label per period (a month, "2024-04"); `periodLabel` writes it for the axis. */
  labels: string[];
  /** Stacked, bottom first. */
  series: { name: string; values: number[]; color?: string }[];
  /** Per label: whether the data covers that period only in part (drawn hatched, dashed
   *  and labelled "partial", so a half month is not read as a drop). */
  partial: boolean[];
  yLabel?: string;
  testid?: string;
  periodLabel?: (label: string) => string;
  width?: number;
  height?: number;
}

/** Stacked bars per period with the partly covered periods hatched and labelled. */
export function trendChart(o: TrendChartOptions): HTMLElement {
  const W = o.width ?? 640;
  const H = o.height ?? 240;
  const m = { l: 52, r: 12, t: 22, b: 46 };
  const { iw, ih } = inner(W, H, m);
  const n = Math.max(1, o.labels.length);
  const totals = o.labels.map((_, i) => o.series.reduce((sum, ser) => sum + (ser.values[i] ?? 0), 0));
  const yMax = niceMax(Math.max(0, ...totals));
  const yAt = (v: number) => m.t + ih - (v / yMax) * ih;
  const xAt = (i: number) => m.l + (iw * (i + 0.5)) / n;
  const write = o.periodLabel ?? ((x: string) => x);
  const bw = Math.max(1, (iw / n) * 0.8);
  const hatchId = `hatch-${Math.random().toString(36).slice(2, 9)}`;

  const svg = chartSvg(W, H, o.title);
  const defs = s("defs");
  const pattern = s("pattern", { id: hatchId, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
  pattern.append(s("rect", { width: 6, height: 6, fill: "#ffffff", "fill-opacity": 0.25 }),
    s("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#ffffff", "stroke-width": 3, "stroke-opacity": 0.85 }));
  defs.append(pattern);
  svg.append(defs);
  const axes = s("g", { class: "axes" });
  yGrid(axes, W, m, (t) => {
    const v = (yMax * t) / 4;
    return [yAt(v), tickFmt(v)];
  });
  xLabels(axes, o.labels, 10, xAt, H - m.b + 16, write);
  axes.append(xAxis(W, m, ih));
  if (o.yLabel) axes.append(yAxisLabel(12, m, ih, o.yLabel));
  svg.append(axes);

  const bars = s("g", { class: "series" });
  o.labels.forEach((lab, i) => {
    let base = 0;
    const partial = o.partial[i] === true;
    o.series.forEach((ser, si) => {
      const v = ser.values[i] ?? 0;
      if (v <= 0) return;
      const rect = s("rect", { x: xAt(i) - bw / 2, y: yAt(base + v), width: bw, height: Math.max(0, yAt(base) - yAt(base + v)),
        fill: ser.color ?? PALETTE[si % PALETTE.length], "fill-opacity": partial ? 0.55 : 1 });
      rect.append(s("title", {}, `${ser.name}, ${write(lab)}${partial ? " (partial month)" : ""}: ${tickFmt(v)}`));
      bars.append(rect);
      base += v;
    });
    if (partial) {
      // The whole period is marked, even when nothing was counted in it.
      const top = yAt(Math.max(totals[i], 0));
      const mark = s("g", { class: "partial-period", "data-testid": "trend-partial", "data-period": lab });
      mark.append(s("rect", { x: xAt(i) - bw / 2, y: Math.min(top, m.t + ih - 2), width: bw, height: Math.max(2, m.t + ih - top),
        fill: `url(#${hatchId})`, stroke: "#495057", "stroke-dasharray": "3 2", "stroke-width": 1 }));
      mark.append(s("text", { x: xAt(i), y: Math.min(top, m.t + ih - 2) - 4, "text-anchor": "middle", class: "tick", "font-style": "italic" }, "partial"));
      mark.append(s("title", {}, `${write(lab)}: only part of this month is in the data`));
      bars.append(mark);
    }
  });
  svg.append(bars);

  const { fig, cap } = figure("chart trend-chart", o.title, o.testid);
  const legend = document.createElement("span");
  legend.className = "legend";
  if (o.series.length > 1) swatches(legend, o.series);
  if (o.partial.some(Boolean)) {
    const note = document.createElement("span");
    note.className = "legend-item muted";
    note.dataset.testid = "trend-partial-note";
    note.textContent = "hatched: partial month";
    note.title = "Hatched and dashed: a month the data covers only in part, not a drop";
    legend.append(note);
  }
  cap.append(" ", legend);
  fig.append(cap, svg);
  const { details, body } = dataTable("Data", ["Month", ...o.series.map((x) => x.name), ...(o.series.length > 1 ? ["all"] : []), ""]);
  o.labels.forEach((lab, i) => {
    const row = body.insertRow();
    row.insertCell().textContent = write(lab);
    for (const ser of o.series) row.insertCell().textContent = tickFmt(ser.values[i] ?? 0);
    if (o.series.length > 1) row.insertCell().textContent = tickFmt(totals[i]);
    row.insertCell().textContent = o.partial[i] ? "partial" : "";
  });
  fig.append(details);
  return fig;
}

// -- Export (issue 19: charts as SVG and PNG) ------------------------------------------

/** Adds "SVG" and "PNG" buttons under a chart's drawing (any chart above): the chart as
 *  a file of its own, with its title and legend, recorded in the audit log before it is
 *  saved (exports.ts). Test ids: chart-export, chart-export-svg, chart-export-png. */
export function withExport(fig: HTMLElement): HTMLElement {
  const svg = fig.querySelector<SVGSVGElement>(":scope > svg");
  if (svg && !fig.querySelector("[data-testid=chart-export]")) svg.after(chartExportControl(fig));
  return fig;
}

/** The "Download SVG / PNG" buttons of a chart's figure, to place where a page has room. */
export function chartExportControl(fig: HTMLElement): HTMLElement {
  const row = document.createElement("div");
  row.className = "chart-export small";
  row.dataset.testid = "chart-export";
  row.style.cssText = "display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin: 0.3rem 0";
  const svg = () => {
    const found = fig.querySelector<SVGSVGElement>(":scope > svg");
    if (!found) throw new Error("the chart is not drawn");
    return found;
  };
  const title = () => fig.querySelector("figcaption")?.firstChild?.textContent?.trim() || svg().getAttribute("aria-label") || "chart";
  const drawn = () => standaloneSvg(svg(), title(), chartLegend(fig));
  row.append("Chart: ",
    exportButton("SVG", "chart-export-svg", () => ({ blob: svgBlob(drawn()), name: `${fileStem(title())}.svg`, what: `chart: ${title()}` }), "Download the chart as SVG"),
    exportButton("PNG", "chart-export-png", async () => ({ blob: await pngOf(drawn()), name: `${fileStem(title())}.png`, what: `chart: ${title()}` }), "Download the chart as PNG"));
  return row;
}

/** Every chart figure under `root` with its export buttons (a page of charts). */
export function addChartExports(root: HTMLElement): HTMLElement {
  root.querySelectorAll<HTMLElement>("figure.chart").forEach((fig) => withExport(fig));
  return root;
}

/** A chart's legend as the page shows it: the swatches' colours and the names. */
function chartLegend(fig: HTMLElement): LegendItem[] {
  const items: LegendItem[] = [];
  fig.querySelectorAll<HTMLElement>("figcaption .legend-item").forEach((item) => {
    const swatch = item.querySelector<HTMLElement>(".swatch");
    if (swatch) items.push({ name: item.textContent?.trim() ?? "", color: getComputedStyle(swatch).backgroundColor });
  });
  fig.querySelectorAll<HTMLElement>("[data-testid=curve-legend-item]").forEach((item) => {
    const mark = item.querySelector("line, rect");
    const color = mark?.getAttribute("stroke") ?? mark?.getAttribute("fill") ?? "#868e96";
    items.push({ name: item.textContent?.trim() ?? "", color, dashed: mark?.hasAttribute("stroke-dasharray") });
  });
  return items;
}
