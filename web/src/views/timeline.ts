// Timeline of calls, messages, payments, crossings, seizures and events: filtered on the
// server (`GET /api/timeline`: party, kind, period, a page at a time), drawn as an SVG
// time axis with one lane per kind and listed below (selectable and copyable).
//
// The filter lives in the URL (`#/timeline?party=&kind=&since=&until=`), so a filtered
// timeline can be bookmarked, reloaded and sent. The page used to fetch the first 500
// events of the whole workspace and filter them here: a busy person's later events were
// never shown (issue 19). Now it shows "N of M" and loads the rest on request.
import { api, type TimelineEvent, type TimelinePage, type TimelineQuery } from "../api";
import { h, replace, loading, empty, errorState, entityLink, svgEl as svg } from "../dom";
import { exportButton } from "../exports";

const LANE_COLOURS = ["#1c7ed6", "#e8590c", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#d6336c", "#5f3dc4"];
const PAGE = 200; // events per request: "Load more" asks for the next page

/** The kinds the server knows (`api/picture.py` EVENT_SCHEMATA), as the analyst reads them. */
const KINDS: [string, string][] = [
  ["Call", "Calls"], ["Message", "Messages"], ["Payment", "Payments"], ["Crossing", "Crossings"],
  ["Trip", "Trips"], ["Seizure", "Seizures"], ["Event", "Events"], ["SocialMediaPost", "Social-media posts"],
];

// Dates and numbers in the reader's own locale (the browser's), not a fixed one. A day
// (YYYY-MM-DD) is read and written as UTC, so no time zone moves it to the day before.
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
const tickFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", timeZone: "UTC" });
const numberFormat = new Intl.NumberFormat(undefined);

function dayOf(iso: string): number {
  return Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);
}

/** A day as the reader writes it ("1 May 2024", "1. Mai 2024", "May 1, 2024"). */
function localDay(iso: string): string {
  const t = dayOf(iso);
  return Number.isNaN(t) ? iso : dayFormat.format(t);
}

export function timelineView(root: HTMLElement, params: URLSearchParams): void {
  const party = params.get("party") || undefined;
  const sinceIn = h("input", { type: "date", id: "tl-since", value: params.get("since") ?? "", testid: "timeline-since" });
  const untilIn = h("input", { type: "date", id: "tl-until", value: params.get("until") ?? "", testid: "timeline-until" });
  const kindIn = h("select", { id: "tl-kind", testid: "timeline-kind" },
    h("option", { value: "" }, "All kinds"),
    ...KINDS.map(([kind, label]) => h("option", { value: kind.toLowerCase(), "data-label": label }, label)));
  kindIn.value = (params.get("kind") ?? "").toLowerCase();
  if (kindIn.selectedIndex < 0) kindIn.value = "";
  const limitIn = h("input", { type: "number", id: "tl-limit", min: 10, max: 5000, value: params.get("limit") ?? PAGE, testid: "timeline-limit" });
  const who = h("p", { testid: "timeline-party" });
  const count = h("p", { class: "muted", role: "status", "aria-live": "polite", testid: "timeline-count" });
  const out = h("div", { class: "timeline-out", testid: "timeline" });
  const form = h("form", { class: "toolbar", testid: "timeline-form", "aria-label": "Timeline filters" },
    h("label", { for: "tl-kind" }, "Kind"), kindIn,
    h("label", { for: "tl-since" }, "Since"), sinceIn,
    h("label", { for: "tl-until" }, "Until"), untilIn,
    h("label", { for: "tl-limit" }, "Per page"), limitIn,
    h("button", { type: "submit" }, "Show"));
  // One "Load more" button for the page's life, outside what each load redraws: the
  // keyboard's focus stays on it from one page to the next.
  const more = h("button", { type: "button", class: "secondary", testid: "timeline-more", hidden: true });
  // The CSV of every event the shown filter matches, all pages, made on the server
  // (GET /api/timeline.csv, which records the disclosure itself).
  let shownQuery: TimelineQuery | null = null;
  const download = exportButton("Download CSV (all pages)", "timeline-download", async () => {
    if (!shownQuery) throw new Error("the timeline is not loaded yet");
    return { blob: await api.timelineCsv(shownQuery), name: "timeline.csv", what: "timeline", recorded: true };
  }, "Every event the filter shown matches, not only the pages loaded");
  replace(root, h("h1", null, "Timeline"), party ? who : null, form, h("div", { class: "row" }, count, download), out, more);
  if (party) replace(who, "Events of ", entityLink(party, "this entity"), " · ", h("a", { href: "#/timeline" }, "show everyone's"));

  let rows: TimelineEvent[] = [];
  let labels: Record<string, string> = {};
  let stale = 0; // a newer load replaces an older one still under way

  const query = (offset: number): TimelineQuery => ({
    party, kind: kindIn.value || undefined, since: sinceIn.value || undefined,
    until: untilIn.value || undefined, offset, limit: Math.min(5000, Math.max(10, Number(limitIn.value) || PAGE)),
  });

  /** The filter into the URL (replacing the entry: the back button leaves the page). */
  const remember = () => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ party, kind: kindIn.value, since: sinceIn.value, until: untilIn.value })) if (v) q.set(k, v);
    if (Number(limitIn.value) && Number(limitIn.value) !== PAGE) q.set("limit", String(Number(limitIn.value)));
    const s = q.toString();
    history.replaceState(null, "", s ? `#/timeline?${s}` : "#/timeline");
  };

  const show = (page: TimelinePage) => {
    labels = { ...labels, ...page.labels };
    if (party) replace(who, "Events of ", entityLink(party, labels[page.party ?? party] ?? "this entity", { dir: "auto", testid: "timeline-party-link" }),
      " · ", h("a", { href: "#/timeline" }, "show everyone's"));
    for (const option of Array.from(kindIn.options)) {
      const kind = KINDS.find(([k]) => k.toLowerCase() === option.value);
      if (kind) option.textContent = `${kind[1]} (${numberFormat.format(page.kinds[kind[0]] ?? 0)})`;
    }
    count.dataset.shown = String(rows.length);
    count.dataset.total = String(page.total);
    replace(count, `Showing ${numberFormat.format(rows.length)} of ${numberFormat.format(page.total)} events`,
      rows.length ? ` from ${localDay(rows[0].date)} to ${localDay(rows[rows.length - 1].date)}` : "");
    more.hidden = rows.length >= page.total;
    more.disabled = false;
    more.textContent = `Load ${numberFormat.format(Math.min(query(0).limit ?? PAGE, page.total - rows.length))} more`;
    if (!rows.length) {
      replace(out, empty(page.total ? "No more events." : "No events match this filter that you can see.", "timeline-empty"));
      return;
    }
    replace(out, axis(rows), list(rows, labels));
  };

  const load = async (offset: number) => {
    const mine = ++stale;
    if (offset) { more.disabled = true; more.textContent = "Loading…"; }
    else { rows = []; more.hidden = true; replace(out, loading("Loading timeline", "timeline-loading")); }
    try {
      const asked = query(offset);
      const page = await api.timeline(asked);
      if (mine !== stale) return;
      if (!offset) shownQuery = asked;
      rows = offset ? rows.concat(page.items) : page.items;
      show(page);
    } catch (err) {
      if (mine !== stale) return;
      more.hidden = true;
      replace(out, errorState(err, () => void load(offset)));
    }
  };

  more.addEventListener("click", () => void load(rows.length));
  form.addEventListener("submit", (e) => { e.preventDefault(); remember(); void load(0); });
  kindIn.addEventListener("change", () => { remember(); void load(0); });
  void load(0);
}

function axis(rows: TimelineEvent[]): HTMLElement {
  const lanes = Array.from(new Set(rows.map((r) => r.schema ?? "other"))).sort();
  const dated = rows.filter((r) => !Number.isNaN(dayOf(r.date)));
  const t0 = dated.length ? dayOf(dated[0].date) : 0, t1 = dated.length ? dayOf(dated[dated.length - 1].date) : 0;
  const span = Math.max(86_400_000, t1 - t0);
  const W = 1000, laneH = 28, m = { l: 130, r: 16, t: 8, b: 28 };
  const H = m.t + lanes.length * laneH + m.b;
  const x = (t: number) => m.l + ((t - t0) / span) * (W - m.l - m.r);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "timeline-svg", role: "img",
    "aria-label": `Timeline of ${rows.length} items from ${localDay(rows[0].date)} to ${localDay(rows[rows.length - 1].date)}` });
  lanes.forEach((lane, i) => {
    const y = m.t + i * laneH + laneH / 2;
    root.append(svg("line", { x1: m.l, x2: W - m.r, y1: y, y2: y, class: "grid" }));
    root.append(svg("text", { x: m.l - 8, y: y + 4, "text-anchor": "end", class: "tick" }, kindLabel(lane)));
  });
  const ticks = span > 200 * 86_400_000 ? tickFormat : dayFormat;
  let previous = "";
  for (let i = 0; i <= 6; i++) {
    const t = t0 + (span * i) / 6;
    const text = ticks.format(t);
    if (text === previous) continue; // a short span: one label per day, not two
    previous = text;
    const anchor = i === 0 ? "start" : i === 6 ? "end" : "middle";
    root.append(svg("text", { x: x(t), y: H - 8, "text-anchor": anchor, class: "tick" }, text));
  }
  for (const r of dated) {
    const li = lanes.indexOf(r.schema ?? "other");
    const c = svg("circle", { cx: x(dayOf(r.date)), cy: m.t + li * laneH + laneH / 2, r: 4, fill: LANE_COLOURS[li % LANE_COLOURS.length], "fill-opacity": 0.7 });
    c.append(svg("title", {}, `${localDay(r.date)} · ${kindLabel(r.schema)} · ${r.label}`));
    root.append(c);
  }
  const fig = h("figure", { class: "chart", testid: "timeline-axis" }, h("figcaption", null, `${numberFormat.format(rows.length)} items by kind over time`));
  fig.append(root);
  return fig;
}

/** A kind as the analyst reads it ("Social-media post"), one of each. */
function kindLabel(schema: string | null | undefined): string {
  const found = KINDS.find(([k]) => k === schema);
  return found ? found[1].replace(/s$/, "") : schema ?? "other";
}

function list(rows: TimelineEvent[], labels: Record<string, string>): HTMLElement {
  return h("ol", { class: "timeline-list", testid: "timeline-list" }, ...rows.map((r) => h("li", { testid: "timeline-item", "data-id": r.id, "data-kind": r.schema ?? "", "data-date": r.date },
    h("time", { datetime: r.date.slice(0, 10) }, localDay(r.date)),
    r.end && r.end !== r.date ? h("span", { class: "muted small" }, " – ", h("time", { datetime: r.end.slice(0, 10) }, localDay(r.end))) : null, " ",
    h("span", { class: "badge" }, kindLabel(r.schema)), " ",
    h("span", { dir: "auto" }, r.label || kindLabel(r.schema)),
    r.parties && r.parties.length ? h("span", { class: "muted small" }, " — ", ...r.parties.flatMap((p, i) => [i ? ", " : "", entityLink(p, labels[p] ?? "unnamed", { dir: "auto" })])) : null)));
}
