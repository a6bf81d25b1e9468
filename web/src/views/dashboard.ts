// Threat picture: Home Office small-boat figures next to the workspace's own counts.
import { api, type BoatRow, type Dashboard } from "../api";
import { h, replace, loading, empty, errorState, fmt, thead } from "../dom";
import { chart } from "../charts";

export function dashboardView(root: HTMLElement): void {
  const out = h("div", { class: "dashboard", testid: "dashboard" });
  replace(root, h("h1", null, "Threat picture"), out);
  const load = async () => {
    replace(out, loading("Loading threat picture", "dashboard-loading"));
    try {
      replace(out, render(await api.dashboard()));
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
