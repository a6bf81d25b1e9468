// Exports (issue 19, "export and briefing"): every file the workbench saves is a
// disclosure in the audit log, with the purpose typed at the top. A file made here (a CSV
// of what a page shows, a chart or the network as SVG or PNG) is recorded first with
// POST /api/exports, and saved only once the server has answered: a failed record saves
// nothing. A file the server makes (the timeline's CSV, the quarantine's) records itself,
// and is only saved here.
//
// Also what the exports share: CSV text that a spreadsheet cannot run as a formula, a
// chart's SVG as a file of its own (styles written in, title and legend drawn), the
// network as SVG from its nodes' places, colours and labels, and any SVG as a PNG.

import { api, type ExportRequest } from "./api";
import { h, replace } from "./dom";

export type ExportFormat = ExportRequest["format"];

/** What an export button makes: the file, its name, what it holds in plain words, and its
 *  rows (a table); `recorded` when the server made it and logged it already. */
export interface Made {
  blob: Blob;
  name: string;
  what: string;
  rows?: number;
  recorded?: boolean;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Saves a Blob under a file name (an object URL on a temporary link). Only for a file the
 *  server has recorded already: everything else goes through `exportFile`. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The format a file name says (".csv", ".svg", ".png"). */
function formatOf(name: string): ExportFormat {
  const ext = name.slice(name.lastIndexOf(".") + 1).toLowerCase();
  if (ext === "csv" || ext === "svg" || ext === "png") return ext;
  throw new Error(`Not a file the workbench exports: ${name}`);
}

/** Records the export as a disclosure (POST /api/exports: what, rows, format, the
 *  purpose typed at the top), then saves the file. Throws, saving nothing, when the
 *  record fails. */
export async function exportFile(blob: Blob, name: string, what: string, rows?: number): Promise<void> {
  await api.recordExport({ what, format: formatOf(name), rows, file: name });
  saveFile(blob, name);
}

/** A button that makes a file and exports it, with a line saying it was saved and
 *  recorded, or why nothing was saved. Test ids: `testid` and `${testid}-status`. */
export function exportButton(label: string, testid: string, make: () => Made | Promise<Made>,
  title?: string): HTMLElement {
  const status = h("span", { class: "small muted export-status", role: "status", testid: `${testid}-status` });
  const button = h("button", { type: "button", class: "secondary export-button", testid, title: title ?? null }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    replace(status);
    try {
      const made = await make();
      if (made.recorded) saveFile(made.blob, made.name);
      else await exportFile(made.blob, made.name, made.what, made.rows);
      status.className = "small muted export-status";
      replace(status, `Saved ${made.name}; recorded in the audit log.`);
    } catch (err) {
      status.className = "small error export-status";
      replace(status, `Not saved: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      button.disabled = false;
    }
  });
  return h("span", { class: "export-control" }, button, " ", status);
}

// ---------- CSV ----------

/** One CSV cell: quoted where needed; text a spreadsheet would run as a formula ("=",
 *  "+", "-", "@" first, but not a negative number) kept as text with a leading quote. */
export function csvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? "" : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A CSV file (UTF-8 with a BOM, so spreadsheets read accents; CRLF lines). */
export function csvBlob(header: string[], rows: (string | number | null | undefined)[][]): Blob {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(","));
  return new Blob([`\ufeff${lines.join("\r\n")}\r\n`], { type: "text/csv;charset=utf-8" });
}

/** A file name from words: "Arrivals per month" -> "arrivals-per-month". */
export function fileStem(words: string): string {
  return words.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "export";
}

// ---------- SVG and PNG ----------

/** One legend entry of an exported picture. */
export interface LegendItem {
  name: string;
  color: string;
  dashed?: boolean;
}

/** The presentation properties a chart's style sheet gives its marks, written into the
 *  copy so that the file looks the same without the workbench's CSS. */
const STYLED = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity",
  "opacity", "font-size", "font-family", "font-weight", "text-anchor", "dominant-baseline", "display", "visibility"];

/** A chart's SVG (on the page) as a file of its own: styles written in, a white ground,
 *  the title above and the legend below. */
export function standaloneSvg(svg: SVGSVGElement, title: string, legend: LegendItem[] = []): string {
  const box = svg.viewBox.baseVal;
  const W = box && box.width ? box.width : svg.clientWidth || 640;
  const H = box && box.height ? box.height : svg.clientHeight || 260;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...Array.from(svg.querySelectorAll("*"))];
  const to = [copy, ...Array.from(copy.querySelectorAll("*"))];
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    const target = to[i] as SVGElement;
    for (const p of STYLED) {
      // A pattern fill (a partial month's hatching) as a reference inside the file.
      const v = style.getPropertyValue(p).replace(/url\("?[^#")]*#([^")]+)"?\)/, "url(#$1)");
      if (v) target.style.setProperty(p, v);
    }
  });
  copy.removeAttribute("class");
  const top = 28;
  const legendH = legendHeight(legend, W);
  copy.setAttribute("x", "0");
  copy.setAttribute("y", String(top));
  copy.setAttribute("width", String(W));
  copy.setAttribute("height", String(H));
  return picture(W, top + H + legendH, title, [copy], legend, top + H);
}

/** A node or a link of the network as drawn on the screen (viewport pixels). */
export interface DrawnNode { x: number; y: number; r: number; color: string; label: string | null }
export interface DrawnEdge { x1: number; y1: number; x2: number; y2: number; color: string; width: number }

/** The network as SVG: links under nodes, the labels shown on the screen beside their
 *  nodes, a title above and the colour legend below. */
export function networkSvg(width: number, height: number, title: string, nodes: DrawnNode[],
  edges: DrawnEdge[], legend: LegendItem[]): string {
  const top = 28;
  const g = document.createElementNS(SVG_NS, "g");
  g.setAttribute("transform", `translate(0 ${top})`);
  const links = document.createElementNS(SVG_NS, "g");
  for (const e of edges) links.append(el("line", { x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2, stroke: e.color, "stroke-width": e.width, "stroke-opacity": 0.8 }));
  const dots = document.createElementNS(SVG_NS, "g");
  const names = document.createElementNS(SVG_NS, "g");
  for (const n of nodes) {
    dots.append(el("circle", { cx: n.x, cy: n.y, r: n.r, fill: n.color, stroke: "#ffffff", "stroke-width": 0.5 }));
    if (n.label) names.append(el("text", { x: n.x + n.r + 3, y: n.y + 4, "font-size": 12, "font-family": "system-ui, sans-serif", fill: "#212529" }, n.label));
  }
  g.append(links, dots, names);
  return picture(width, top + height + legendHeight(legend, width), title, [g], legend, top + height);
}

/** An SVG document: white ground, title, the parts, the legend from `legendAt` down. */
function picture(W: number, H: number, title: string, parts: Element[], legend: LegendItem[], legendAt: number): string {
  const root = document.createElementNS(SVG_NS, "svg");
  for (const [k, v] of Object.entries({ xmlns: SVG_NS, width: W, height: H, viewBox: `0 0 ${W} ${H}` })) root.setAttribute(k, String(v));
  root.append(el("title", {}, title));
  root.append(el("rect", { x: 0, y: 0, width: W, height: H, fill: "#ffffff" }));
  root.append(el("text", { x: 8, y: 19, "font-size": 14, "font-weight": 600, "font-family": "system-ui, sans-serif", fill: "#212529" }, title));
  root.append(...parts);
  let x = 8, y = legendAt + 16;
  for (const item of legend) {
    const w = 30 + item.name.length * 6.5;
    if (x + w > W && x > 8) { x = 8; y += 18; }
    root.append(el("line", { x1: x, x2: x + 20, y1: y - 4, y2: y - 4, stroke: item.color, "stroke-width": 4, ...(item.dashed ? { "stroke-dasharray": "5 3" } : {}) }));
    root.append(el("text", { x: x + 25, y, "font-size": 11, "font-family": "system-ui, sans-serif", fill: "#212529" }, item.name));
    x += w + 10;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
}

function legendHeight(legend: LegendItem[], W: number): number {
  if (!legend.length) return 0;
  let x = 8, rows = 1;
  for (const item of legend) {
    const w = 30 + item.name.length * 6.5;
    if (x + w > W && x > 8) { x = 8; rows++; }
    x += w + 10;
  }
  return rows * 18 + 8;
}

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** An SVG document drawn into a canvas `scale` times its size, as PNG. */
export async function pngOf(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error("the picture could not be drawn"));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("this browser cannot draw a PNG");
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the PNG could not be made"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** An SVG document as a file's Blob. */
export function svgBlob(svgText: string): Blob {
  return new Blob([svgText], { type: "image/svg+xml" });
}
