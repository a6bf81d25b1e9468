// Timeline of events, calls, payments and crossings: an SVG time axis with one lane per
// kind, and the same items as a list below (selectable and copyable).
import { api, type TimelineEvent } from "../api";
import { h, replace, loading, empty, errorState, fmt, entityLink, svgEl as svg } from "../dom";

const LANE_COLOURS = ["#1c7ed6", "#e8590c", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#d6336c"];

export function timelineView(root: HTMLElement, params: URLSearchParams): void {
  const party = params.get("party");
  const sinceIn = h("input", { type: "date", id: "tl-since", value: params.get("since") ?? "", testid: "timeline-since" });
  const untilIn = h("input", { type: "date", id: "tl-until", value: params.get("until") ?? "", testid: "timeline-until" });
  const limitIn = h("input", { type: "number", id: "tl-limit", min: 10, max: 5000, value: params.get("limit") ?? 500, testid: "timeline-limit" });
  const out = h("div", { class: "timeline-out", testid: "timeline" });
  const form = h("form", { class: "toolbar", testid: "timeline-form", "aria-label": "Timeline filters" },
    h("label", { for: "tl-since" }, "Since"), sinceIn,
    h("label", { for: "tl-until" }, "Until"), untilIn,
    h("label", { for: "tl-limit" }, "Limit"), limitIn,
    h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => { e.preventDefault(); void load(); });
  replace(root, h("h1", null, "Timeline"),
    party ? h("p", null, "Showing items involving ", entityLink(party), " · ", h("a", { href: "#/timeline" }, "show all")) : null,
    form, out);

  const load = async () => {
    replace(out, loading("Loading timeline", "timeline-loading"));
    try {
      let rows = await api.timeline({ since: sinceIn.value || undefined, until: untilIn.value || undefined, limit: Number(limitIn.value) || 500 });
      if (party) rows = rows.filter((r) => (r.parties ?? []).includes(party));
      rows = rows.filter((r) => !Number.isNaN(Date.parse(r.date))).sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
      if (!rows.length) { replace(out, empty("No events in this period that you can see.", "timeline-empty")); return; }
      replace(out, axis(rows), list(rows));
    } catch (err) {
      replace(out, errorState(err, () => void load()));
    }
  };
  void load();
}

function axis(rows: TimelineEvent[]): HTMLElement {
  const lanes = Array.from(new Set(rows.map((r) => r.schema ?? "other"))).sort();
  const t0 = Date.parse(rows[0].date), t1 = Date.parse(rows[rows.length - 1].date);
  const span = Math.max(86_400_000, t1 - t0);
  const W = 1000, laneH = 28, m = { l: 110, r: 16, t: 8, b: 28 };
  const H = m.t + lanes.length * laneH + m.b;
  const x = (t: number) => m.l + ((t - t0) / span) * (W - m.l - m.r);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "timeline-svg", role: "img", "aria-label": `Timeline of ${rows.length} items from ${rows[0].date} to ${rows[rows.length - 1].date}` });
  lanes.forEach((lane, i) => {
    const y = m.t + i * laneH + laneH / 2;
    root.append(svg("line", { x1: m.l, x2: W - m.r, y1: y, y2: y, class: "grid" }));
    root.append(svg("text", { x: m.l - 8, y: y + 4, "text-anchor": "end", class: "tick" }, lane));
  });
  for (let i = 0; i <= 6; i++) {
    const t = t0 + (span * i) / 6;
    const anchor = i === 0 ? "start" : i === 6 ? "end" : "middle";
    root.append(svg("text", { x: x(t), y: H - 8, "text-anchor": anchor, class: "tick" }, new Date(t).toISOString().slice(0, 10)));
  }
  for (const r of rows) {
    const li = lanes.indexOf(r.schema ?? "other");
    const c = svg("circle", { cx: x(Date.parse(r.date)), cy: m.t + li * laneH + laneH / 2, r: 4, fill: LANE_COLOURS[li % LANE_COLOURS.length], "fill-opacity": 0.7 });
    c.append(svg("title", {}, `${r.date} · ${r.schema} · ${r.label}`));
    root.append(c);
  }
  const fig = h("figure", { class: "chart", testid: "timeline-axis" }, h("figcaption", null, `${fmt(rows.length)} items by kind over time`));
  fig.append(root);
  return fig;
}

function list(rows: TimelineEvent[]): HTMLElement {
  return h("ol", { class: "timeline-list", testid: "timeline-list" }, ...rows.map((r) => h("li", { testid: "timeline-item", "data-id": r.id },
    h("time", { datetime: r.date }, r.date.slice(0, 16).replace("T", " ")),
    r.end && r.end !== r.date ? h("span", { class: "muted small" }, ` – ${r.end.slice(0, 16).replace("T", " ")}`) : null, " ",
    h("span", { class: "badge" }, r.schema ?? "other"), " ",
    h("span", { dir: "auto" }, r.label || r.id),
    r.parties && r.parties.length ? h("span", { class: "muted small" }, " — ", ...r.parties.flatMap((p, i) => [i ? ", " : "", entityLink(p)])) : null)));
}
