// Threat picture: Home Office small-boat figures next to the workspace's own counts and
// its own trends per month (crossings, payments, seizures, new people; by route and by
// nationality), with the months the data covers only in part hatched and labelled.
import { api, type BoatRow, type Dashboard, type TrendRow, type Trends } from "../api";
import { h, replace, loading, empty, errorState, fmt, thead } from "../dom";
import { addChartExports, chart, trendChart } from "../charts";

export function dashboardView(root: HTMLElement): void {
  const out = h("div", { class: "dashboard", testid: "dashboard" });
  replace(root, h("h1", null, "Threat picture"), out);
  const load = async () => {
    replace(out, loading("Loading threat picture", "dashboard-loading"));
    try {
      replace(out, addChartExports(render(await api.dashboard()))); // SVG / PNG under each chart
    } catch (err) {
      replace(out, errorState(err, () => void load()));
    }
  };
  void load();
}

function render(d: Dashboard): HTMLElement {
  // The contract names periods `month` / `year`; the server sends `period`. Accept both.
  const norm = (rows: BoatRow[] | undefined, key: "month" | "year") => (rows ?? [])
    .map((r) => ({ ...r, label: String(r[key] ?? r.period ?? ""), ppb: r.people_per_boat ?? (r.boats ? r.arrivals / r.boats : null) }))
    .filter((r) => r.label)
    .sort((a, b) => a.label.localeCompare(b.label));
  const monthly = norm(d.small_boats?.monthly, "month");
  const yearly = norm(d.small_boats?.yearly, "year");
  const monthLabels = monthly.map((m) => m.label);
  const yearLabels = yearly.map((y) => y.label);
  const ws = d.workspace ?? {};
  const ppbMonthly = monthly.map((m) => m.ppb);
  const source = d.small_boats?.source;
  const unavailable = d.small_boats?.available === false;
  return h("div", { class: "dashboard-grid" },
    h("section", { class: "card workspace-counts", "aria-labelledby": "ws-title", testid: "dashboard-workspace" },
      h("h2", { id: "ws-title" }, "This workspace"),
      Object.keys(ws).length
        ? h("dl", { class: "kpis" }, ...Object.entries(ws).map(([k, v]) => h("div", null, h("dt", null, k.replace(/_/g, " ")), h("dd", { testid: `dashboard-count-${k}` }, fmt(v)))))
        : empty("No workspace counts.")),
    d.trends ? trendsSection(d.trends) : null,
    h("section", { class: "card", "aria-labelledby": "sb-title" },
      h("h2", { id: "sb-title" }, "Small boats (Home Office)"),
      source ? h("p", { class: "muted small", testid: "dashboard-source" }, source) : null,
      unavailable ? h("p", { class: "muted small", testid: "dashboard-unavailable" }, "The small-boat figures are not loaded on this server.") : null,
      yearly.length ? h("table", { class: "compact", testid: "dashboard-yearly-table" },
        thead(["Year", "Arrivals", "Boats", "People per boat"]),
        h("tbody", null, ...yearly.map((y) => h("tr", null, h("td", null, y.label), h("td", { class: "num" }, fmt(y.arrivals)), h("td", { class: "num" }, fmt(y.boats)),
          h("td", { class: "num" }, fmt(y.ppb, 1))))))
        : empty("No yearly figures.")),
    monthly.length
      ? chart({ title: "Arrivals per month", labels: monthLabels, series: [{ name: "arrivals", values: monthly.map((m) => m.arrivals) }], kind: "bar", testid: "chart-monthly-arrivals", yLabel: "people" })
      : empty("No monthly figures."),
    monthly.length
      ? chart({ title: "Boats per month", labels: monthLabels, series: [{ name: "boats", values: monthly.map((m) => m.boats), color: "#e8590c" }], kind: "bar", testid: "chart-monthly-boats", yLabel: "boats" })
      : null,
    yearly.length
      ? chart({ title: "Arrivals per year", labels: yearLabels, kind: "bar", testid: "chart-yearly", yLabel: "people",
        series: [{ name: "arrivals", values: yearly.map((y) => y.arrivals) }] })
      : null,
    yearly.length
      ? chart({ title: "Boats per year", labels: yearLabels, kind: "bar", testid: "chart-yearly-boats", yLabel: "boats",
        series: [{ name: "boats", values: yearly.map((y) => y.boats), color: "#e8590c" }] })
      : null,
    monthly.length || yearly.length
      ? chart({
        title: "People per boat over time", testid: "chart-people-per-boat", yLabel: "people per boat",
        labels: monthly.length ? monthLabels : yearLabels,
        series: [{ name: "people per boat", values: monthly.length ? ppbMonthly : yearly.map((y) => y.ppb), color: "#2f9e44" }],
      })
      : null);
}

const TOP = 5;

/** "2024-04" as the reader's locale writes a month ("Apr 2024"). */
function monthLabel(month: string): string {
  const [y, m] = month.split("-").map(Number);
  if (!y || !m) return month;
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString(undefined, { month: "short", year: "numeric", timeZone: "UTC" });
}

/** The largest rows as series of their own, the rest summed as "other". */
function topSeries(rows: TrendRow[], months: number, other: string): { name: string; values: number[] }[] {
  const top = rows.slice(0, TOP).map((r) => ({ name: `${r.name} (${fmt(r.total)})`, values: r.counts }));
  const rest = rows.slice(TOP);
  if (rest.length) {
    const values = Array.from({ length: months }, (_, i) => rest.reduce((sum, r) => sum + (r.counts[i] ?? 0), 0));
    top.push({ name: `${other} (${fmt(rest.reduce((sum, r) => sum + r.total, 0))})`, values });
  }
  return top;
}

/** The workspace's own trends, from what the caller's scope sees. */
function trendsSection(t: Trends): HTMLElement {
  const partial = t.months.map((m) => t.partial.includes(m));
  const common = { labels: t.months, partial, periodLabel: monthLabel, height: 200 };
  const earlier = Object.values(t.earlier ?? {}).reduce((a, b) => a + b, 0);
  const measures: [keyof Trends["series"], string, string, string][] = [
    ["crossings", "Crossings per month", "crossings", "#1f6feb"],
    ["payments", "Payments per month", "payments", "#2b8a3e"],
    ["seizures", "Seizures per month", "seizures", "#e8590c"],
    ["people", "New people per month", "people", "#862e9c"],
  ];
  // Full width, its charts side by side (style.css is not this view's to change).
  return h("section", { class: "card workspace-trends", "aria-labelledby": "trends-title", testid: "dashboard-trends", style: "grid-column: 1 / -1" },
    h("h2", { id: "trends-title" }, "This workspace, month by month"),
    t.months.length
      ? h("p", { class: "muted small", testid: "trends-summary" },
        `What you can see, ${monthLabel(t.months[0])} to ${monthLabel(t.months[t.months.length - 1])}: `,
        `${fmt(t.totals.crossings)} crossings, ${fmt(t.totals.payments)} payments, ${fmt(t.totals.seizures)} seizures, ${fmt(t.totals.people)} people first named. `,
        "A month counts an event by its first day; a person is new in the month of the first dated event that names them. ",
        t.partial.length ? `Partial months (${t.partial.map(monthLabel).join(", ")}) are hatched: the data covers only part of them. ` : "",
        t.undated_people ? `${fmt(t.undated_people)} people are named by no dated event and not counted. ` : "",
        earlier ? `${fmt(earlier)} events dated before ${monthLabel(t.months[0])} are left out of the charts.` : "")
      : empty("Nothing you can see is dated yet."),
    t.months.length
      ? h("div", { class: "trend-grid", style: "display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 0.6rem" },
        ...measures.map(([key, title, unit, color]) => trendChart({ ...common, title: `${title} (${fmt(t.totals[key] ?? 0)})`, yLabel: unit,
          testid: `trend-${key}`, series: [{ name: unit, values: t.series[key], color }] })),
        t.by_route.length
          ? trendChart({ ...common, title: "Crossings by route (launch → landing)", yLabel: "crossings", testid: "trend-by-route",
            series: topSeries(t.by_route, t.months.length, "other routes") })
          : null,
        t.by_nationality.length
          ? trendChart({ ...common, title: "New people by nationality", yLabel: "people", testid: "trend-by-nationality",
            series: topSeries(t.by_nationality, t.months.length, "other nationalities") })
          : null)
      : null);
}
