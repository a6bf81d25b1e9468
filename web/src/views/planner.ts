// The disruption planner's results (issue 19): the removal curves of several strategies
// and of random arrests on one full-width chart, each strategy named in plain words with
// the technical name beside, and the chosen plan's targets in order. The network view
// shows them in a panel over its canvas (`plan-results`), the widest place on the page
// that needs no scrolling: at 1,280x800 the chart, its legend, the summary and ten
// targets are all in view; "Back to the network" shows the graph with the targets in red.

import "./planner.css";
import { h } from "../dom";
import { chartExportControl, curveChart, type CurveSeries } from "../charts";
import { csvBlob, exportButton } from "../exports";
import type { PlanCompareResponse, PlanTarget, Strategy } from "../api";

/** Each strategy as an analyst would say it, with the measure it ranks by beside. */
export const STRATEGY_WORDS: Record<Strategy, string> = {
  betweenness: "Brokers first (betweenness)",
  degree: "Most connected first (degree)",
  katz: "Influence (Katz)",
  ci: "Collective influence (CI)",
  pagerank: "Importance (PageRank)",
  kpp: "Fragmenting set (KPP)",
};
export const STRATEGIES = Object.keys(STRATEGY_WORDS) as Strategy[];
const COLOURS: Record<Strategy, string> = {
  betweenness: "#c92a2a", degree: "#1f6feb", katz: "#2b8a3e", ci: "#862e9c", pagerank: "#e67700", kpp: "#0b7285",
};
const OWN_COLOUR = "#000000";
const RANDOM_COLOUR = "#868e96";
/** How many random arrest sets the baseline averages unless the analyst asks otherwise. */
export const RANDOM_RUNS = 20;
export const OWN_NAME = "My selected targets";

export function randomName(runs: number): string {
  return `Random arrests (baseline, mean of ${runs} run${runs === 1 ? "" : "s"})`;
}

/** The plan whose targets are listed: a strategy's, or the analyst's own order. */
export interface ChosenPlan {
  key: Strategy | "analyst";
  name: string;
  targets: string[];
  labels: string[];
  details: Map<string, PlanTarget>;
  curve: number[];
  /** The same strategy's curve without the network healing (with "rewires" ticked). */
  unhealed: number[] | null;
  notes: string[];
}

export interface PlanView {
  chosen: ChosenPlan;
  /** The strategies and the random baseline; null where there is no server (bench). */
  compare: PlanCompareResponse | null;
  link: (id: string, label: string) => Node;
}

const pct = (v: number | undefined) => (v === undefined ? "–" : `${Math.round(v * 100)}%`);

/** The chart, the summary, the chosen plan's notes and its targets, in that order. */
export function planResults(v: PlanView): HTMLElement[] {
  const { chosen, compare } = v;
  const k = chosen.curve.length - 1;
  const chart = curveChart({
    title: "Share of the network left connected after each arrest",
    desc: describe(chosen, compare),
    series: series(chosen, compare),
    band: compare ? { name: "Random arrests: lowest to highest", low: compare.random.low, high: compare.random.high, color: RANDOM_COLOUR } : undefined,
    xLabel: "arrests", yLabel: "share of the network left connected",
    width: 640, height: 270, testid: "plan-compare-chart",
  });
  const parts: (HTMLElement | null)[] = [
    h("div", { testid: "plan-curve" }, chart),
    k > 0 ? h("p", { class: "plan-summary", testid: "plan-summary" }, summary(chosen, compare)) : null,
    chosen.notes.length ? h("ul", { class: "small muted", testid: "plan-notes" }, ...chosen.notes.map((n) => h("li", null, n))) : null,
    h("div", { class: "plan-targets-bar", style: "display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: baseline" }, h("h3", { class: "plan-targets-head" }, `Targets of ${chosen.name}, in order`),
      chosen.targets.length ? exportButton("Download targets (CSV)", "plan-targets-download", () => targetsFile(chosen)) : null,
      chartExportControl(chart)),
    h("ol", { class: "plan-targets small", testid: "plan-targets" }, ...chosen.targets.map((t, i) => {
      const detail = chosen.details.get(t);
      const label = shortLabel(t, detail?.label ?? chosen.labels[i] ?? t);
      const after = typeof detail?.lcc_after === "number" ? detail.lcc_after : chosen.curve[i + 1];
      return h("li", { "data-id": t, title: detail?.reason ?? undefined },
        v.link(t, label), h("span", { class: "muted" }, ` ${pct(after)} left`));
    })),
  ];
  return parts.filter((x): x is HTMLElement => x !== null);
}

/** The plan's targets as CSV, in order: the name, the share of the network left
 *  connected after each arrest, the score and the reason the server gives, and the id. */
function targetsFile(chosen: ChosenPlan): { blob: Blob; name: string; what: string; rows: number } {
  const rows = chosen.targets.map((t, i) => {
    const detail = chosen.details.get(t);
    const after = typeof detail?.lcc_after === "number" ? detail.lcc_after : chosen.curve[i + 1];
    return [i + 1, detail?.label ?? chosen.labels[i] ?? t, after === undefined ? "" : after.toFixed(4),
      typeof detail?.score === "number" ? detail.score.toFixed(4) : "", detail?.reason ?? "", t];
  });
  const blob = csvBlob(["Order", "Name", "Share left connected after", "Score", "Reason", "Id"], rows);
  return { blob, name: "disruption-plan-targets.csv", what: `disruption plan targets (${chosen.name})`, rows: rows.length };
}

/** The name to list; a person known by no name shows the start of their id (the link
 *  opens their profile, where the whole id is), not 40-odd characters that wrap. */
function shortLabel(id: string, label: string): string {
  return label === id && id.length > 12 ? `(no name) ${id.slice(0, 8)}…` : label;
}

function series(chosen: ChosenPlan, compare: PlanCompareResponse | null): CurveSeries[] {
  const lines: CurveSeries[] = (compare?.strategies ?? []).map((p) => ({
    key: p.strategy, name: STRATEGY_WORDS[p.strategy] ?? p.strategy, values: p.curve,
    color: COLOURS[p.strategy] ?? OWN_COLOUR, strong: p.strategy === chosen.key,
  }));
  if (!lines.some((x) => x.strong)) {
    lines.push({ key: chosen.key, name: chosen.name, values: chosen.curve, color: chosen.key === "analyst" ? OWN_COLOUR : COLOURS[chosen.key], strong: true });
  }
  if (chosen.unhealed) {
    lines.push({ key: "unhealed", name: `${chosen.name}, if the network did not rewire`, values: chosen.unhealed, color: OWN_COLOUR, dashed: true });
  }
  if (compare) lines.push({ key: "random", name: randomName(compare.random.runs), values: compare.random.mean, color: RANDOM_COLOUR, dashed: true });
  return lines;
}

function describe(chosen: ChosenPlan, compare: PlanCompareResponse | null): string {
  const k = chosen.curve.length - 1;
  const lines = (compare?.strategies ?? []).map((p) => `${STRATEGY_WORDS[p.strategy] ?? p.strategy} ${pct(p.curve[k])}`);
  const chance = compare ? ` ${randomName(compare.random.runs)}: ${pct(compare.random.mean[k])} (lowest ${pct(compare.random.low[k])}, highest ${pct(compare.random.high[k])}).` : "";
  return `The relative size of the largest connected part of the network after 0 to ${k} arrests; lower is more disruptive. ` +
    `After ${k}: ${chosen.name} ${pct(chosen.curve[k])}` + (lines.length ? `; ${lines.join("; ")}.` : ".") + chance;
}

function summary(chosen: ChosenPlan, compare: PlanCompareResponse | null): string {
  const k = chosen.curve.length - 1;
  const own = `${chosen.name}: after ${k} arrest${k === 1 ? "" : "s"} the largest connected part is ${pct(chosen.curve[k])} of the original`;
  if (!compare) return `${own}.`;
  const r = compare.random;
  const at = Math.min(k, r.mean.length - 1);
  return `${own}; ${at} random arrests leave ${pct(r.mean[at])} on average (${pct(r.low[at])} to ${pct(r.high[at])} over ${r.runs} runs).`;
}
