// Network view: sigma.js (WebGL) over a graphology multigraph, ForceAtlas2 in a web worker.
// Click a node to select and expand it; pick two nodes for a path (over the ticked link
// types only); pick targets (never a victim or witness) and run the disruption plan to see
// its removal curve against other strategies and random arrests (planner.ts). "Role" is
// the broker role the API measures (brokerRoles.ts).

import Graph from "graphology";
import Sigma from "sigma";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import forceAtlas2 from "graphology-layout-forceatlas2";
import { api, ApiError, type NetEdge, type NetNode, type Strategy, type PathResponse, type PlanTarget, type PlanResponse, type PlanCompareResponse } from "../api";
import { h, replace, loading, empty, errorState, fmt, onEscape, entityLink } from "../dom";
import { OWN_NAME, RANDOM_RUNS, STRATEGIES, STRATEGY_WORDS, planResults, type ChosenPlan } from "./planner";
import { navigate } from "../state";
import { requestError } from "../moneyfmt";
import { roleColour, roleLegend, shownRole, suggestedRoles } from "../roles";
import { BROKER_ROLES, brokerColour, brokerLegend, brokerWords } from "../brokerRoles";
import { exportButton, networkSvg, pngOf, svgBlob, type DrawnEdge, type DrawnNode, type LegendItem } from "../exports";

type ColourBy = "group" | "role" | "category" | "suggested";

interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  label: string;
  color: string;
  role: string; // the broker role (`broker_role`), "" when none
  recorded: string; // a role a membership record gives (`role`), "" when none
  group: string;
  category: string;
  score: number;
  protected: boolean; // a victim or witness: never a target
}

interface EdgeAttrs {
  kind: string;
  weight: number;
  from: number | null;
  to: number | null;
  size: number;
  color: string;
  evidence?: unknown;
}

const PALETTE = [
  "#1c7ed6", "#e8590c", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#d6336c", "#5c940d",
  "#7048e8", "#a61e4d", "#1098ad", "#862e9c", "#364fc7", "#c2255c", "#087f5b", "#e67700",
];
const GREY = "#ced4da";
const TARGET = "#e03131";
const PATH = "#f59f00";
const NEVER_TARGETS = "victims and witnesses are never targets";
/** Categories the client itself knows to be victims or witnesses (the API says `protected`). */
const PROTECTED_CATEGORIES = new Set(["victim", "witness", "migrant", "smuggled person"]);

function colourFor(value: string): string {
  if (!value) return "#868e96";
  let hsh = 0;
  for (let i = 0; i < value.length; i++) hsh = (hsh * 31 + value.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(hsh) % PALETTE.length];
}

function day(s?: string | null): number | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : Math.floor(t / 86_400_000);
}

function dayLabel(d: number): string {
  return new Date(d * 86_400_000).toISOString().slice(0, 10);
}

interface WorkbenchOptions {
  bench: boolean;
}

/** Runs `fn` in a task after the next frame has been drawn and committed (including the
 *  WebGL canvas read-back, which with software GL dominates a frame), that is when the
 *  main thread is next free. */
function afterFrame(fn: () => void): void {
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); fn(); };
    ch.port2.postMessage(0);
  });
}

// While ForceAtlas2 runs in its worker it writes positions into a private copy of the
// graph; the displayed graph takes them (one sigma render) at most once per
// SYNC_MIN_MS, and never sooner than twice the cost of the previous synced frame, so the
// page stays free for input at least two thirds of the time.
const SYNC_MIN_MS = 300;

function markReady(nodes: number, edges: number, startedAt: number): void {
  const p = window.__pinchpoint;
  p.networkReadyAt = performance.now();
  p.networkStartedAt = startedAt;
  p.networkReadyMs = p.networkReadyAt - startedAt;
  p.nodes = nodes;
  p.edges = edges;
}

/** Builds the workbench UI and returns helpers to feed it data. */
function workbench(root: HTMLElement, opts: WorkbenchOptions) {
  const startedAt = performance.now();
  window.__pinchpoint.networkReadyAt = null;
  const graph = new Graph<NodeAttrs, EdgeAttrs>({ multi: true, type: "mixed", allowSelfLoops: false });
  /** The node's label where it is in the graph, else its id. */
  const labelOf = (n: string): string => (graph.hasNode(n) ? graph.getNodeAttribute(n, "label") : n);
  let renderer: Sigma<NodeAttrs, EdgeAttrs> | null = null;
  let layout: FA2Layout | null = null;
  let layoutGraph: Graph | null = null; // the worker's copy: x, y (and size) per node
  let layoutTimer: number | undefined;
  let syncTimer: number | undefined;
  let autoStart: number | undefined; // the first layout, started once the view is ready
  let disposed = false;

  let colourBy: ColourBy = "group";
  let suggested: Map<string, string> | null = null; // node id -> suggested role, once asked
  let groupNames: Map<string, string> | null = null; // group id -> its name (after its heads)
  let maxScore = 1;
  let selected: string | null = null;
  let hovered: string | null = null;
  let hoverNeighbours = new Set<string>();
  const pathPair: string[] = [];
  let pathNodes = new Set<string>();
  let pathEdges = new Set<string>();
  const targets = new Set<string>();
  let planTargets = new Set<string>();
  let hideTargets = false;
  const expanded = new Set<string>();
  const hiddenKinds = new Set<string>();
  let since: number | null = null;
  let until: number | null = null;
  let visibleEdges: Set<string> | null = null; // null: no time filter
  let visibleNodes: Set<string> | null = null;

  // ---------- layout of the page ----------
  const canvas = h("div", { class: "network-canvas", testid: "network-canvas", "aria-label": "Network graph (mouse: click a node to select and expand it; keyboard: use the node list)", role: "application" });
  const status = h("div", { class: "network-status", role: "status", "aria-live": "polite", testid: "network-status" });
  const legend = h("div", { class: "legend-list", testid: "network-legend" });
  const selection = h("section", { class: "panel", "aria-label": "Selected node", testid: "network-selection" }, empty("Click a node, or pick one from the list, to see it here."));
  const pathOut = h("div", { class: "path-result", testid: "network-path-result", "aria-live": "polite" });
  const planOut = h("div", { class: "plan-result", testid: "plan-result", "aria-live": "polite" });
  // The plan's results open over the canvas, as wide as it (planner.ts says why).
  const planClose = h("button", { type: "button", class: "secondary", testid: "plan-close" }, "Back to the network");
  const planBox = h("section", { class: "plan-overlay", testid: "plan-results", "aria-label": "Disruption plan results", tabindex: -1, hidden: true },
    h("div", { class: "plan-overlay-head" }, h("h2", null, "Disruption plan: strategies compared"), planClose), planOut);
  const targetList = h("ul", { class: "target-list", testid: "network-targets" });
  const nodeList = h("ul", { class: "node-list", testid: "network-node-list" });
  const nodeFilter = h("input", { type: "search", id: "node-filter", placeholder: "Filter nodes", testid: "network-node-filter", autocomplete: "off" });
  const kinds = h("fieldset", { class: "kinds", testid: "network-edge-types" }, h("legend", null, "Link types"));

  const colourSel = h("select", { id: "colour-by", testid: "network-colour-by" },
    h("option", { value: "group" }, "Group (OCG)"), h("option", { value: "role" }, "Role"), h("option", { value: "category" }, "Category"),
    h("option", { value: "suggested" }, "Suggested role"));
  colourSel.addEventListener("change", () => { colourBy = colourSel.value as ColourBy; void loadRoles(); refresh(); drawLegend(); });

  const sinceIn = h("input", { type: "range", id: "since", min: 0, max: 0, value: 0, testid: "network-since", disabled: true });
  const untilIn = h("input", { type: "range", id: "until", min: 0, max: 0, value: 0, testid: "network-until", disabled: true });
  const sinceOut = h("output", { for: "since", testid: "network-since-value" }, "–");
  const untilOut = h("output", { for: "until", testid: "network-until-value" }, "–");
  const onTime = () => {
    let a = Number(sinceIn.value), b = Number(untilIn.value);
    if (a > b) [a, b] = [b, a];
    since = a; until = b;
    sinceOut.textContent = dayLabel(a);
    untilOut.textContent = dayLabel(b);
    computeVisibility();
    refresh();
  };
  sinceIn.addEventListener("input", onTime);
  untilIn.addEventListener("input", onTime);

  const layoutBtn = h("button", { type: "button", class: "secondary", testid: "network-layout-toggle" }, "Stop layout");
  layoutBtn.addEventListener("click", () => (layout?.isRunning() ? stopLayout() : startLayout(4000)));
  const fitBtn = h("button", { type: "button", class: "secondary", testid: "network-fit" }, "Fit");
  fitBtn.addEventListener("click", () => renderer?.getCamera().animatedReset());
  // Shown once a graph is drawn (`mount`): an error or empty page has nothing to lay out.
  // The network as drawn (what the camera shows, colours, sizes and labels) as SVG or PNG,
  // recorded in the audit log before it is saved (exports.ts).
  const networkFile = async (format: "svg" | "png") => {
    const text = drawnSvg();
    return { blob: format === "svg" ? svgBlob(text) : await pngOf(text), name: `network.${format}`, what: "network" };
  };
  const exportRow = h("div", { class: "row small", testid: "network-export" }, "Save: ",
    exportButton("SVG", "network-export-svg", () => networkFile("svg"), "The network as drawn, as SVG"),
    exportButton("PNG", "network-export-png", () => networkFile("png"), "The network as drawn, as PNG"));
  const layoutRow = h("div", { testid: "network-layout-controls", hidden: true }, h("div", { class: "row" }, layoutBtn, fitBtn), exportRow);

  const pathBtn = h("button", { type: "button", testid: "network-path-button", disabled: true }, "Find path");
  const pathLabel = h("p", { class: "small", testid: "network-path-ends" }, "Select two nodes (A then B).");
  pathBtn.addEventListener("click", () => void findPath());
  const clearPathBtn = h("button", { type: "button", class: "link", testid: "network-path-clear" }, "Clear path");
  clearPathBtn.addEventListener("click", () => { pathNodes = new Set(); pathEdges = new Set(); replace(pathOut); refresh(); });

  const kIn = h("input", { type: "number", id: "plan-k", min: 1, max: 200, value: 10, testid: "plan-k" });
  const stratSel = h("select", { id: "plan-strategy", testid: "plan-strategy" },
    ...STRATEGIES.map((s) => h("option", { value: s }, STRATEGY_WORDS[s])));
  // The strategies drawn beside the chosen one, and how many random arrest sets.
  const compareIns = STRATEGIES.map((s) => h("input", { type: "checkbox", id: `plan-compare-${s}`, value: s, checked: true, testid: `plan-compare-${s}` }));
  const runsIn = h("input", { type: "number", id: "plan-random-runs", min: 1, max: 100, value: RANDOM_RUNS, testid: "plan-random-runs" });
  const compareSet = h("fieldset", { class: "plan-compare", testid: "plan-compare" }, h("legend", null, "Compare with"),
    ...STRATEGIES.map((s, i) => h("div", null, compareIns[i], h("label", { for: `plan-compare-${s}`, class: "inline" }, ` ${STRATEGY_WORDS[s]}`))),
    h("div", null, h("label", { for: "plan-random-runs", class: "inline" }, "Random arrests, runs "), runsIn));
  const showPlanBtn = h("button", { type: "button", class: "link", testid: "plan-show", hidden: true }, "Show the results");
  const modeSel = h("select", { id: "plan-mode", testid: "plan-mode" }, h("option", { value: "sequential" }, "sequential"), h("option", { value: "block" }, "block"));
  const rewireIn = h("input", { type: "checkbox", id: "plan-rewire", testid: "plan-rewire" });
  const useTargetsIn = h("input", { type: "checkbox", id: "plan-use-targets", testid: "plan-use-targets" });
  const planBtn = h("button", { type: "button", testid: "plan-button" }, "Plan disruption");
  planBtn.addEventListener("click", () => void runPlan());
  const showPlan = (open: boolean) => {
    planBox.hidden = !open;
    showPlanBtn.hidden = open || !planOut.hasChildNodes();
    if (open) planBox.focus(); else if (planBox.contains(document.activeElement)) showPlanBtn.focus();
  };
  planClose.addEventListener("click", () => showPlan(false));
  showPlanBtn.addEventListener("click", () => showPlan(true));
  planBox.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.stopPropagation(); showPlan(false); } });
  const hideIn = h("input", { type: "checkbox", id: "hide-targets", testid: "network-hide-targets" });
  hideIn.addEventListener("change", () => { hideTargets = hideIn.checked; refresh(); });

  nodeFilter.addEventListener("input", () => drawNodeList());

  const controls = h("aside", { class: "network-controls", "aria-label": "Network controls" },
    h("section", { class: "panel" },
      h("h2", null, "View"),
      h("label", { for: "colour-by" }, "Colour by"), colourSel,
      legend,
      h("p", { class: "small muted" }, "Node size: kingpin score."),
      layoutRow),
    h("section", { class: "panel", testid: "network-time-filter" },
      h("h2", null, "Time"),
      h("label", { for: "since" }, "Since ", sinceOut), sinceIn,
      h("label", { for: "until" }, "Until ", untilOut), untilIn,
      kinds),
    h("section", { class: "panel" },
      h("h2", null, "Path"), pathLabel, h("div", { class: "row" }, pathBtn, clearPathBtn), pathOut),
    h("section", { class: "panel", testid: "plan-panel" },
      h("h2", null, "Disruption plan"),
      h("div", { class: "grid2" },
        h("label", { for: "plan-k" }, "Arrests (k)"), kIn,
        h("label", { for: "plan-mode" }, "Mode"), modeSel),
      h("label", { for: "plan-strategy" }, "Strategy (its targets are listed)"), stratSel,
      h("div", null, rewireIn, h("label", { for: "plan-rewire", class: "inline" }, " Network rewires after arrests")),
      h("div", null, useTargetsIn, h("label", { for: "plan-use-targets", class: "inline" }, " Use my selected targets")),
      h("p", { class: "small" }, "Selected targets:"), targetList,
      opts.bench ? null : compareSet,
      h("div", { class: "row" }, planBtn, showPlanBtn),
      h("p", { class: "small muted" }, "The results open over the graph."),
      h("div", null, hideIn, h("label", { for: "hide-targets", class: "inline" }, " Hide targets (see the network after arrests)"))));

  const side = h("aside", { class: "network-side", "aria-label": "Selection and nodes" },
    selection,
    h("section", { class: "panel" }, h("h2", null, "Nodes"),
      h("label", { for: "node-filter", class: "visually-hidden" }, "Filter nodes"), nodeFilter, nodeList));

  replace(root,
    h("h1", { class: "visually-hidden" }, opts.bench ? "Network benchmark" : "Network"),
    h("div", { class: "network-layout" }, controls, h("div", { class: "network-centre" }, status, canvas, planBox), side));
  root.classList.add("network-page");

  const stopEsc = onEscape(() => {
    selected = null; pathPair.length = 0; pathNodes = new Set(); pathEdges = new Set();
    replace(pathOut); showSelection(); updatePathLabel(); refresh();
  });

  // ---------- graph data ----------
  function addData(nodes: NetNode[], edges: NetEdge[], anchor?: string): number {
    let added = 0;
    const ax = anchor && graph.hasNode(anchor) ? graph.getNodeAttribute(anchor, "x") : 0;
    const ay = anchor && graph.hasNode(anchor) ? graph.getNodeAttribute(anchor, "y") : 0;
    const spread = anchor ? 5 : Math.max(10, Math.sqrt(graph.order + nodes.length) * 3);
    const upsert = (n: NetNode) => {
      const category = n.category ?? "";
      const attrs = {
        label: n.label || n.id,
        role: n.broker_role ?? "",
        recorded: n.role ?? "",
        group: n.group === null || n.group === undefined ? "" : String(n.group),
        category,
        score: typeof n.score === "number" ? n.score : 0,
        protected: n.protected === true || PROTECTED_CATEGORIES.has(category.toLowerCase()),
      };
      if (graph.hasNode(n.id)) {
        const old = graph.getNodeAttributes(n.id);
        // Once known as a victim or witness, always one: no later answer makes them a target.
        const isProtected = old.protected || attrs.protected;
        graph.mergeNodeAttributes(n.id, {
          label: n.label ? attrs.label : old.label,
          role: isProtected ? "" : attrs.role || old.role, recorded: attrs.recorded || old.recorded,
          group: attrs.group || old.group, category: attrs.category || old.category,
          score: Math.max(old.score, attrs.score), protected: isProtected,
        });
        if (isProtected) targets.delete(n.id);
      } else {
        const a = Math.random() * Math.PI * 2, r = Math.sqrt(Math.random()) * spread;
        graph.addNode(n.id, { ...attrs, x: ax + Math.cos(a) * r, y: ay + Math.sin(a) * r, size: 3, color: "#868e96" });
        added++;
      }
    };
    for (const n of nodes) upsert(n);
    for (const e of edges) {
      if (!e.source || !e.target || e.source === e.target) continue;
      for (const id of [e.source, e.target]) if (!graph.hasNode(id)) upsert({ id });
      const kind = e.type ?? "link";
      const key = `${e.source}\u0000${e.target}\u0000${kind}`;
      graph.mergeEdgeWithKey(key, e.source, e.target, {
        kind, weight: e.weight ?? 1, from: day(e.first_seen), to: day(e.last_seen ?? e.first_seen),
        size: 1, color: "#adb5bd", evidence: e.evidence,
      });
    }
    maxScore = 0;
    graph.forEachNode((_n, a) => { if (a.score > maxScore) maxScore = a.score; });
    if (maxScore <= 0) maxScore = 1;
    updateTimeRange();
    updateKinds();
    computeVisibility();
    return added;
  }

  function updateTimeRange(): void {
    let lo = Infinity, hi = -Infinity;
    graph.forEachEdge((_e, a) => {
      for (const d of [a.from, a.to]) if (d !== null) { lo = Math.min(lo, d); hi = Math.max(hi, d); }
    });
    if (!Number.isFinite(lo)) return;
    const wasFull = since === null || (Number(sinceIn.value) === Number(sinceIn.min) && Number(untilIn.value) === Number(untilIn.max));
    for (const inp of [sinceIn, untilIn]) { inp.min = String(lo); inp.max = String(hi); inp.disabled = false; }
    if (wasFull) { sinceIn.value = String(lo); untilIn.value = String(hi); since = lo; until = hi; }
    sinceOut.textContent = dayLabel(Number(sinceIn.value));
    untilOut.textContent = dayLabel(Number(untilIn.value));
  }

  function updateKinds(): void {
    const seen = new Set<string>();
    graph.forEachEdge((_e, a) => seen.add(a.kind));
    const have = new Set(Array.from(kinds.querySelectorAll("input")).map((i) => i.value));
    for (const k of Array.from(seen).sort()) {
      if (have.has(k)) continue;
      const id = `kind-${k.replace(/[^a-z0-9]/gi, "_")}`;
      const cb = h("input", { type: "checkbox", id, value: k, checked: true, testid: `network-edge-type-${k}` });
      cb.addEventListener("change", () => {
        if (cb.checked) hiddenKinds.delete(k); else hiddenKinds.add(k);
        computeVisibility(); refresh();
      });
      kinds.append(h("div", null, cb, h("label", { for: id, class: "inline" }, ` ${k}`)));
    }
  }

  function computeVisibility(): void {
    const timeActive = since !== null && until !== null &&
      !(Number(sinceIn.value) === Number(sinceIn.min) && Number(untilIn.value) === Number(untilIn.max));
    if (!timeActive && hiddenKinds.size === 0) { visibleEdges = null; visibleNodes = null; return; }
    const ve = new Set<string>();
    const vn = new Set<string>();
    graph.forEachEdge((e, a, s, t) => {
      if (hiddenKinds.has(a.kind)) return;
      if (timeActive) {
        const from = a.from ?? a.to, to = a.to ?? a.from;
        if (from !== null && to !== null && (to < (since as number) || from > (until as number))) return;
      }
      ve.add(e); vn.add(s); vn.add(t);
    });
    if (selected) vn.add(selected);
    visibleEdges = ve; visibleNodes = vn;
  }

  function valueOf(a: NodeAttrs): string {
    return colourBy === "group" ? a.group : colourBy === "role" ? a.role : a.category;
  }

  function nodeReducer(node: string, a: NodeAttrs): Partial<NodeAttrs & { hidden: boolean; highlighted: boolean; forceLabel: boolean; zIndex: number }> {
    const res: Partial<NodeAttrs & { hidden: boolean; highlighted: boolean; forceLabel: boolean; zIndex: number }> = { ...a };
    const share = Math.max(0, a.score) / maxScore;
    res.size = graph.order > 500 ? 1.5 + 9 * share : 2.5 + 12 * Math.sqrt(share);
    res.color = colourBy === "suggested" ? roleColour(suggested?.get(node), a.category)
      : a.protected ? "#adb5bd" : colourBy === "role" ? brokerColour(a.role) : colourFor(valueOf(a));
    if (visibleNodes && !visibleNodes.has(node)) res.hidden = true;
    if (hideTargets && (targets.has(node) || planTargets.has(node))) res.hidden = true;
    if (targets.has(node) || planTargets.has(node)) { res.color = TARGET; res.forceLabel = true; res.zIndex = 2; }
    if (pathNodes.size) {
      if (pathNodes.has(node)) { res.color = PATH; res.forceLabel = true; res.zIndex = 3; res.highlighted = true; }
      else { res.color = GREY; res.label = ""; }
    }
    if (hovered && node !== hovered && !hoverNeighbours.has(node) && !pathNodes.size) { res.color = GREY; res.label = ""; }
    if (node === selected) { res.highlighted = true; res.forceLabel = true; res.zIndex = 4; }
    return res;
  }

  function edgeReducer(edge: string, a: EdgeAttrs): Partial<EdgeAttrs & { hidden: boolean; zIndex: number }> {
    const res: Partial<EdgeAttrs & { hidden: boolean; zIndex: number }> = { ...a };
    if (visibleEdges && !visibleEdges.has(edge)) { res.hidden = true; return res; }
    const [s, t] = graph.extremities(edge);
    if (hideTargets && (targets.has(s) || targets.has(t) || planTargets.has(s) || planTargets.has(t))) { res.hidden = true; return res; }
    if (pathEdges.size) {
      if (pathEdges.has(edge)) { res.color = PATH; res.size = 3; res.zIndex = 2; } else res.color = "#e9ecef";
    } else if (hovered) {
      if (s === hovered || t === hovered) { res.color = "#495057"; res.size = 1.5; } else res.hidden = graph.size > 2000;
    }
    return res;
  }

  function refresh(): void {
    renderer?.refresh({ schedule: true });
    updateStatus();
  }

  function updateStatus(): void {
    status.textContent = `${fmt(graph.order)} nodes · ${fmt(graph.size)} links` +
      (visibleNodes ? ` · ${fmt(visibleNodes.size)} shown by the filters` : "") +
      (layout?.isRunning() ? " · laying out…" : "");
  }

  /** The suggested roles, asked for once, the first time the analyst colours by them. */
  async function loadRoles(): Promise<void> {
    if (colourBy !== "suggested" || suggested) return;
    replace(legend, loading("Loading suggested roles", "network-roles-loading"));
    try {
      suggested = await suggestedRoles();
    } catch (err) {
      replace(legend, requestError(err));
      return;
    }
    refresh(); drawLegend();
  }

  function drawLegend(): void {
    if (colourBy === "suggested") {
      if (!suggested) return; // loadRoles draws it when the roles come
      const byRole = new Map<string, number>();
      graph.forEachNode((n, a) => {
        const role = shownRole(suggested?.get(n), a.category);
        byRole.set(role, (byRole.get(role) ?? 0) + 1);
      });
      replace(legend, roleLegend(byRole));
      return;
    }
    const counts = new Map<string, number>();
    graph.forEachNode((_n, a) => { const v = valueOf(a); counts.set(v, (counts.get(v) ?? 0) + 1); });
    if (colourBy === "role") { replace(legend, brokerLegend(counts)); return; }
    if (colourBy === "group" && !groupNames && !opts.bench) void loadGroupNames();
    const top = Array.from(counts.entries()).sort((x, y) => y[1] - x[1]).slice(0, 12);
    const shown = (v: string) => (colourBy === "group" ? groupNames?.get(v) ?? v : v) || "(none)";
    replace(legend, h("ul", { testid: "network-legend-list" }, ...top.map(([v, c]) => h("li", null,
      h("span", { class: "swatch", style: `background:${colourFor(v)}` }), " ", h("bdi", null, shown(v)), " ", h("span", { class: "muted small" }, `(${c})`)))));
  }

  /** The groups' names (after their heads), asked for once: the legend names a group, not "G1". */
  async function loadGroupNames(): Promise<void> {
    groupNames = new Map();
    try {
      for (const g of (await api.groups()).groups) if (g.name) groupNames.set(String(g.id), g.name);
    } catch {
      return; // the legend keeps the groups' numbers; the network itself is unaffected
    }
    drawLegend();
  }

  /** The network as the screen shows it now, as an SVG document: each shown node where
   *  the camera puts it, in its colour and size, the shown links, the labels on screen
   *  (all of them drawn, or the 30 largest nodes' while the layout runs), the legend. */
  function drawnSvg(): string {
    const r = renderer;
    if (!r) throw new Error("the network is not drawn yet");
    const { width, height } = r.getDimensions();
    const labelled = new Set(r.getNodeDisplayedLabels());
    const at = new Map<string, { x: number; y: number }>();
    const nodes: (DrawnNode & { z: number; size: number; id: string })[] = [];
    graph.forEachNode((n) => {
      const d = r.getNodeDisplayData(n);
      if (!d || d.hidden) return;
      const p = r.framedGraphToViewport(d);
      at.set(n, p);
      const radius = r.scaleSize(d.size);
      if (p.x + radius < 0 || p.y + radius < 0 || p.x - radius > width || p.y - radius > height) return;
      nodes.push({ id: n, x: p.x, y: p.y, r: radius, color: d.color, label: d.label, z: d.zIndex, size: d.size });
    });
    if (!labelled.size) [...nodes].sort((a, b) => b.size - a.size).slice(0, 30).forEach((n) => labelled.add(n.id));
    nodes.sort((a, b) => a.z - b.z);
    const edges: DrawnEdge[] = [];
    graph.forEachEdge((e, _a, source, target) => {
      const d = r.getEdgeDisplayData(e);
      const a = at.get(source), b = at.get(target);
      if (!d || d.hidden || !a || !b) return;
      edges.push({ x1: a.x, y1: a.y, x2: b.x, y2: b.y, color: d.color, width: Math.max(0.5, r.scaleSize(d.size)) });
    });
    const legendItems: LegendItem[] = Array.from(legend.querySelectorAll("li")).flatMap((li) => {
      const swatch = li.querySelector<HTMLElement>(".swatch");
      return swatch ? [{ name: (li.textContent ?? "").replace(/\s+/g, " ").trim(), color: getComputedStyle(swatch).backgroundColor }] : [];
    });
    const title = `Network: ${fmt(nodes.length)} people and things shown, coloured by ${colourSel.selectedOptions[0]?.textContent ?? colourBy}`;
    return networkSvg(width, height, title,
      nodes.map((n) => ({ x: n.x, y: n.y, r: n.r, color: n.color, label: labelled.has(n.id) ? n.label : null })), edges, legendItems);
  }

  function drawNodeList(): void {
    const q = nodeFilter.value.trim().toLowerCase();
    const rows: [string, NodeAttrs][] = [];
    graph.forEachNode((n, a) => { if (!q || a.label.toLowerCase().includes(q) || n.toLowerCase().includes(q)) rows.push([n, a]); });
    rows.sort((x, y) => y[1].score - x[1].score);
    replace(nodeList, ...rows.slice(0, 150).map(([n, a]) => h("li", null,
      h("button", { type: "button", class: "link node-button", testid: "network-node-item", "data-id": n, onclick: () => void select(n, true) },
        h("span", { dir: "auto" }, a.label), h("span", { class: "muted small" }, ` ${a.role || ""} ${a.score ? fmt(a.score, 2) : ""}`)))),
    rows.length > 150 ? h("li", { class: "muted small" }, `… ${fmt(rows.length - 150)} more; filter to narrow`) : null);
  }

  function drawTargets(): void {
    replace(targetList, ...(targets.size
      ? Array.from(targets).map((t) => h("li", null, labelOf(t), " ",
        h("button", { type: "button", class: "link", "aria-label": `Remove ${t} from targets`, onclick: () => { targets.delete(t); drawTargets(); refresh(); } }, "×")))
      : [h("li", { class: "muted small" }, "none — add from the selected node")]));
  }

  function updatePathLabel(): void {
    const name = (n?: string) => (n === undefined ? "?" : labelOf(n));
    pathLabel.textContent = pathPair.length === 2 ? `A: ${name(pathPair[0])} → B: ${name(pathPair[1])}` : pathPair.length === 1 ? `A: ${name(pathPair[0])}; now select B.` : "Select two nodes (A then B).";
    pathBtn.disabled = pathPair.length !== 2;
  }

  function showSelection(): void {
    if (!selected || !graph.hasNode(selected)) {
      replace(selection, h("h2", null, "Selection"), empty("Click a node, or pick one from the list, to see it here."));
      return;
    }
    const id = selected;
    const a = graph.getNodeAttributes(id);
    const expandBtn = h("button", { type: "button", testid: "network-expand", disabled: opts.bench }, expanded.has(id) ? "Expand again" : "Expand");
    expandBtn.addEventListener("click", () => void expand(id));
    // A victim or witness is never offered as a target (the server refuses one anyway).
    const targetBtn = a.protected
      ? h("p", { class: "small muted", testid: "network-target-refused" }, `Not a target: ${NEVER_TARGETS}.`)
      : h("button", { type: "button", class: "secondary", testid: "network-add-target" }, targets.has(id) ? "Remove from targets" : "Add to targets");
    if (!a.protected) targetBtn.addEventListener("click", () => {
      if (targets.has(id)) targets.delete(id); else targets.add(id);
      drawTargets(); showSelection(); refresh();
    });
    const role = a.protected ? "none (victim or witness)" : a.role ? brokerWords(a.role) : "no broker role";
    const kindsCount = new Map<string, number>();
    graph.forEachEdge(id, (_e, ea) => kindsCount.set(ea.kind, (kindsCount.get(ea.kind) ?? 0) + 1));
    replace(selection,
      h("h2", null, "Selection"),
      h("p", { class: "sel-label", dir: "auto", testid: "network-selected-label" }, a.label),
      h("dl", { class: "stats small" },
        h("dt", null, "Id"), h("dd", { "data-id-field": "" }, h("code", null, id)),
        h("dt", null, "Role"), h("dd", { testid: "network-selected-role", "data-role": a.role }, role),
        a.recorded ? [h("dt", null, "Recorded role"), h("dd", null, a.recorded)] : null,
        h("dt", null, "Group"), h("dd", { testid: "network-selected-group" }, h("bdi", null, groupNames?.get(a.group) ?? (a.group || "–"))),
        h("dt", null, "Category"), h("dd", null, a.category || "–"),
        h("dt", null, "Kingpin score"), h("dd", null, fmt(a.score, 3)),
        h("dt", null, "Links"), h("dd", null, `${graph.degree(id)} (${Array.from(kindsCount.entries()).map(([k, c]) => `${k} ${c}`).join(", ") || "none"})`)),
      h("div", { class: "row" }, expandBtn, targetBtn,
        opts.bench ? null : h("a", { class: "button secondary", href: `#/entity/${encodeURIComponent(id)}`, testid: "network-open-profile" }, "Profile")));
  }

  async function select(node: string, focusCamera = false): Promise<void> {
    selected = node;
    if (pathPair[pathPair.length - 1] !== node) { pathPair.push(node); if (pathPair.length > 2) pathPair.shift(); }
    updatePathLabel();
    computeVisibility();
    showSelection();
    refresh();
    if (focusCamera && renderer && graph.hasNode(node)) {
      // Camera coordinates live in sigma's "framed graph" space: convert from graph space.
      const a = graph.getNodeAttributes(node);
      const framed = renderer.viewportToFramedGraph(renderer.graphToViewport({ x: a.x, y: a.y }));
      const camera = renderer.getCamera();
      if (Number.isFinite(framed.x) && Number.isFinite(framed.y)) {
        void camera.animate({ x: framed.x, y: framed.y, ratio: Math.min(camera.ratio, 0.6) }, { duration: 400 });
      }
    }
  }

  async function expand(node: string): Promise<void> {
    if (opts.bench) return;
    status.textContent = `Expanding ${labelOf(node)}…`;
    try {
      const nb = await api.neighbourhood(node, { hops: 1 });
      const added = addData(nb.nodes ?? [], nb.edges ?? [], node);
      expanded.add(node);
      renderer?.refresh();
      drawLegend(); drawNodeList(); showSelection();
      if (added) startLayout(2000);
      refresh();
      status.textContent += ` · +${added} nodes`;
    } catch (err) {
      status.textContent = `Could not expand: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** The link types ticked in the filter, or undefined when all are (no filter). */
  function tickedKinds(): string[] | undefined {
    if (!hiddenKinds.size) return undefined;
    return Array.from(kinds.querySelectorAll("input")).map((i) => i.value).filter((k) => !hiddenKinds.has(k));
  }

  /** Fewest hops from a to b over the links on screen whose type is ticked (bench mode:
   *  the generated graph has no server). */
  function localPath(a: string, b: string): string[] {
    const came = new Map<string, string>([[a, a]]);
    const queue = [a];
    while (queue.length && !came.has(b)) {
      const at = queue.shift() as string;
      graph.forEachEdge(at, (_e, attrs, s, t) => {
        const next = s === at ? t : s;
        if (hiddenKinds.has(attrs.kind) || came.has(next)) return;
        came.set(next, at);
        queue.push(next);
      });
    }
    if (!came.has(b)) return [];
    const route = [b];
    while (route[route.length - 1] !== a) route.push(came.get(route[route.length - 1]) as string);
    return route.reverse();
  }

  async function findPath(): Promise<void> {
    const [a, b] = pathPair;
    if (!a || !b) return;
    const ticked = tickedKinds();
    if (ticked && !ticked.length) {
      replace(pathOut, empty("Tick at least one link type to find a path.", "network-no-path"));
      return;
    }
    replace(pathOut, loading("Finding path"));
    try {
      let nodesOnPath: string[] = [];
      let pathNote = "";
      // Each hop with the types of the links it crosses (only ticked types are asked for).
      let hops: { source: string; target: string; types: string[] }[] = [];
      if (opts.bench) {
        nodesOnPath = localPath(a, b);
        hops = nodesOnPath.slice(1).map((t, i) => ({ source: nodesOnPath[i], target: t, types: [] }));
      } else {
        let res: PathResponse | null = null;
        try {
          res = await api.pathOfTypes(a, b, { k: 1, types: ticked?.join(",") });
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 404)) throw err;
          pathNote = err.message;
        }
        const list = res === null ? [] : Array.isArray(res) ? res : res.paths ?? [];
        const p = list[0];
        if (p) {
          const ns: NetNode[] = p.nodes.map((n, i) => (typeof n === "string" ? { id: n, label: p.labels?.[i] } : n));
          nodesOnPath = ns.map((n) => n.id);
          hops = (p.hops ?? []).map((hop) => ({
            source: hop.source, target: hop.target,
            types: Array.from(new Set([...(hop.links ?? []).map((l) => l.type ?? "link"), ...(hop.type ? [hop.type] : [])])).sort(),
          }));
          if (!hops.length) hops = nodesOnPath.slice(1).map((t, i) => ({ source: nodesOnPath[i], target: t, types: [] }));
          const links: NetEdge[] = (p.hops ?? []).flatMap((hop) => hop.links?.length ? hop.links : [{ source: hop.source, target: hop.target, type: hop.type ?? "link" }]);
          const added = addData(ns.filter((n) => !graph.hasNode(n.id)), links, a);
          if (added) { renderer?.refresh(); startLayout(1500); drawNodeList(); }
        }
      }
      if (!nodesOnPath.length) {
        pathNodes = new Set(); pathEdges = new Set();
        const over = ticked ? ` over ${ticked.join(", ")} links` : "";
        replace(pathOut, empty(pathNote ? `No path: ${pathNote}` : `No path between these two that you can see${over}.`, "network-no-path"));
        refresh();
        return;
      }
      pathNodes = new Set(nodesOnPath);
      pathEdges = new Set();
      for (const hop of hops) {
        if (!graph.hasNode(hop.source) || !graph.hasNode(hop.target)) continue;
        for (const e of graph.edges(hop.source, hop.target).concat(graph.edges(hop.target, hop.source))) {
          const kind = graph.getEdgeAttribute(e, "kind");
          if (hiddenKinds.has(kind)) continue;
          if (!hop.types.length || hop.types.includes(kind)) pathEdges.add(e);
        }
      }
      replace(pathOut, h("ol", { class: "path-list", testid: "network-path-list" }, ...nodesOnPath.map((n, i) => h("li", { testid: "network-path-step", "data-id": n, "data-types": hops[i]?.types.join(",") ?? "" },
        opts.bench ? labelOf(n) : entityLink(n, labelOf(n)),
        hops[i] ? h("span", { class: "muted small" }, ` —${hops[i].types.join(", ")}→`) : null))));
      refresh();
    } catch (err) {
      replace(pathOut, errorState(err));
    }
  }

  function localPlan(k: number): { targets: string[]; curve: number[] } {
    // Degree-ordered removal with largest-connected-component curve (bench mode only).
    const order = graph.nodes().sort((x, y) => graph.degree(y) - graph.degree(x));
    const chosen = useTargetsIn.checked && targets.size ? Array.from(targets).slice(0, k) : order.slice(0, k);
    const removed = new Set<string>();
    const lcc = () => {
      const seen = new Set<string>();
      let best = 0;
      graph.forEachNode((start) => {
        if (seen.has(start) || removed.has(start)) return;
        let size = 0;
        const stack = [start];
        seen.add(start);
        while (stack.length) {
          const n = stack.pop() as string;
          size++;
          graph.forEachNeighbor(n, (m) => { if (!seen.has(m) && !removed.has(m)) { seen.add(m); stack.push(m); } });
        }
        best = Math.max(best, size);
      });
      return best;
    };
    const base = lcc() || 1;
    const curve = [1];
    for (const t of chosen) { removed.add(t); curve.push(lcc() / base); }
    return { targets: chosen, curve };
  }

  /** The chosen plan and, beside it, the ticked strategies and random arrests (one
   *  POST /api/network/plan/compare); with "Use my selected targets", the analyst's own
   *  order (POST /api/network/plan) against them at the same number of arrests. */
  async function runPlan(): Promise<void> {
    const k = Math.max(1, Math.min(200, Number(kIn.value) || 10));
    const strategy = stratSel.value as Strategy;
    const own = useTargetsIn.checked && targets.size ? Array.from(targets) : null;
    showPlan(true);
    replace(planOut, loading("Planning"));
    planBtn.disabled = true;
    try {
      let chosen: ChosenPlan;
      let compare: PlanCompareResponse | null = null;
      if (opts.bench) {
        const res = localPlan(k);
        chosen = { key: "degree", name: "Most connected first (degree, in the browser)", targets: res.targets,
          labels: res.targets.map(labelOf), details: new Map(), curve: res.curve, unhealed: null, notes: [] };
      } else {
        const mode = modeSel.value as "sequential" | "block";
        const rewire = rewireIn.checked;
        const ticked = STRATEGIES.filter((s, i) => compareIns[i].checked || (!own && s === strategy));
        const runs = Math.max(1, Math.min(100, Number(runsIn.value) || RANDOM_RUNS));
        const [mine, found] = await Promise.all([
          own ? api.plan({ k: own.length, strategy, mode, rewire, targets: own }) : Promise.resolve(null),
          api.planCompare({ k: own ? own.length : k, strategies: ticked, mode, rewire, random_runs: runs }),
        ]);
        compare = found;
        const picked = mine ?? found.strategies.find((p) => p.strategy === strategy);
        if (!picked) throw new Error("The plan returned no curve.");
        chosen = chosenPlan(picked, mine ? "analyst" : strategy);
      }
      planTargets = new Set(chosen.targets);
      replace(planOut, ...(chosen.curve.length
        ? planResults({ chosen, compare, link: (id, label) => (opts.bench ? document.createTextNode(label) : entityLink(id, label)) })
        : [empty("The plan returned no curve.")]));
      refresh();
    } catch (err) {
      replace(planOut, errorState(err));
    } finally {
      planBtn.disabled = false;
    }
  }

  /** What the results show of one plan answer: names, labels and reasons by target. */
  function chosenPlan(res: PlanResponse, key: Strategy | "analyst"): ChosenPlan {
    const details = new Map<string, PlanTarget>();
    for (const t of res.target_details ?? []) details.set(t.id, t);
    const shown = res.targets ?? [];
    return {
      key, name: key === "analyst" ? OWN_NAME : STRATEGY_WORDS[key], targets: shown,
      labels: shown.map((t, i) => details.get(t)?.label ?? res.labels?.[i] ?? labelOf(t)),
      details, curve: res.curve ?? [], unhealed: Array.isArray(res.baseline_curve) ? res.baseline_curve : null,
      notes: (res.notes ?? []).map(String),
    };
  }

  // ---------- rendering and layout ----------
  function startLayout(ms: number): void {
    if (autoStart !== undefined) window.clearTimeout(autoStart);
    autoStart = undefined;
    if (!graph.order || disposed) return;
    stopLayout(false);
    layout?.kill();
    // The worker works on a copy, so its many position updates a second do not each
    // trigger a sigma render on the main thread; syncPositions() copies them across.
    const lg = new Graph({ multi: true, type: "mixed", allowSelfLoops: false });
    graph.forEachNode((n, a) => { lg.addNode(n, { x: a.x, y: a.y, size: a.size }); });
    graph.forEachEdge((e, a, src, tgt, _sa, _ta, undirected) => {
      if (undirected) lg.addUndirectedEdgeWithKey(e, src, tgt, { weight: a.weight });
      else lg.addDirectedEdgeWithKey(e, src, tgt, { weight: a.weight });
    });
    layoutGraph = lg;
    const settings = forceAtlas2.inferSettings(lg);
    layout = new FA2Layout(lg, { settings: { ...settings, barnesHutOptimize: lg.order > 500, slowDown: 5 } });
    layout.start();
    // Labels are hidden while nodes move (they would be re-placed on every frame).
    renderer?.setSetting("renderLabels", false);
    layoutBtn.textContent = "Stop layout";
    updateStatus();
    layoutTimer = window.setTimeout(() => stopLayout(), ms);
    scheduleSync(SYNC_MIN_MS);
  }

  function scheduleSync(delay: number): void {
    if (syncTimer !== undefined) window.clearTimeout(syncTimer);
    syncTimer = window.setTimeout(() => {
      syncTimer = undefined;
      if (!layout?.isRunning()) return;
      const began = performance.now();
      syncPositions();
      afterFrame(() => {
        if (layout?.isRunning() && syncTimer === undefined) scheduleSync(Math.max(SYNC_MIN_MS, 2 * (performance.now() - began)));
      });
    }, delay);
  }

  function syncPositions(): void {
    const lg = layoutGraph;
    if (!lg) return;
    graph.updateEachNodeAttributes((n, a) => {
      if (lg.hasNode(n)) { a.x = lg.getNodeAttribute(n, "x"); a.y = lg.getNodeAttribute(n, "y"); }
      return a;
    }, { attributes: ["x", "y"] });
  }

  function stopLayout(render = true): void {
    if (autoStart !== undefined) window.clearTimeout(autoStart);
    autoStart = undefined;
    if (layoutTimer !== undefined) window.clearTimeout(layoutTimer);
    layoutTimer = undefined;
    if (syncTimer !== undefined) window.clearTimeout(syncTimer);
    syncTimer = undefined;
    if (layout?.isRunning()) layout.stop();
    if (layoutGraph) { syncPositions(); layoutGraph = null; }
    layoutBtn.textContent = "Run layout";
    if (!render) return;
    renderer?.setSetting("renderLabels", true);
    refresh();
  }

  function mount(): void {
    try {
      // The constructor processes the graph and draws it once, synchronously.
      renderer = new Sigma(graph, canvas, {
        nodeReducer, edgeReducer,
        zIndex: true,
        labelRenderedSizeThreshold: 8,
        labelFont: "system-ui, sans-serif",
        defaultEdgeColor: "#adb5bd",
        hideEdgesOnMove: graph.size > 3000,
        minCameraRatio: 0.02,
        maxCameraRatio: 10,
      });
    } catch (err) {
      replace(canvas, errorState(new Error(`The network view needs WebGL: ${err instanceof Error ? err.message : String(err)}`)));
      return;
    }
    layoutRow.hidden = false;
    renderer.on("clickNode", ({ node }) => { void select(node); if (!expanded.has(node)) void expand(node); });
    renderer.on("enterNode", ({ node }) => { hovered = node; hoverNeighbours = new Set(graph.neighbors(node)); refresh(); canvas.style.cursor = "pointer"; });
    renderer.on("leaveNode", () => { hovered = null; hoverNeighbours = new Set(); refresh(); canvas.style.cursor = ""; });
    renderer.on("clickStage", () => { selected = null; computeVisibility(); showSelection(); refresh(); });
    drawLegend(); drawNodeList(); drawTargets(); updatePathLabel(); updateStatus();
    // Ready once that first drawing is on screen and the main thread is free again (the
    // task after the frame's commit); ForceAtlas2 starts in the task after that.
    afterFrame(() => {
      if (disposed) return;
      markReady(graph.order, graph.size, startedAt);
      autoStart = window.setTimeout(() => startLayout(Math.min(8000, 2500 + graph.order * 2)), 0);
    });
  }

  function destroy(): void {
    stopEsc();
    disposed = true;
    if (layoutTimer !== undefined) window.clearTimeout(layoutTimer);
    if (syncTimer !== undefined) window.clearTimeout(syncTimer);
    if (autoStart !== undefined) window.clearTimeout(autoStart);
    layout?.kill();
    layoutGraph = null;
    renderer?.kill();
    layout = null;
    renderer = null;
  }

  return { graph, addData, mount, destroy, status, canvas, expanded, select };
}

// ---------- routes ----------

export async function networkView(root: HTMLElement, params: URLSearchParams): Promise<() => void> {
  const id = params.get("id");
  const wb = workbench(root, { bench: false });
  replace(wb.canvas, loading("Loading network", "network-loading"));
  try {
    if (id) {
      const nb = await api.neighbourhood(id, { hops: Number(params.get("hops") ?? 2), types: params.get("types") ?? undefined, since: params.get("since") ?? undefined, until: params.get("until") ?? undefined });
      wb.addData(nb.nodes ?? [], nb.edges ?? []);
      wb.expanded.add(id);
    } else {
      const ranked = await api.rank(20);
      const seeds = ranked.slice(0, 5);
      const results = await Promise.allSettled(seeds.map((r) => api.neighbourhood(r.id, { hops: 1 })));
      const firstError = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (firstError && results.every((r) => r.status === "rejected")) throw firstError.reason;
      wb.addData(ranked.map((r) => ({ id: r.id, label: r.label, score: r.score, group: r.group, role: r.role, broker_role: r.broker_role })), []);
      for (const r of results) if (r.status === "fulfilled") wb.addData(r.value.nodes ?? [], r.value.edges ?? []);
      seeds.forEach((s) => wb.expanded.add(s.id));
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      replace(wb.canvas, h("div", { class: "state error", role: "alert", testid: "network-not-resolved" },
        h("strong", null, "Network not available. "), err.message || "The workspace is not resolved for you yet.",
        h("p", { class: "small" }, "Ask an administrator to run resolution, then reload.")));
    } else {
      replace(wb.canvas, errorState(err, () => { wb.destroy(); navigate(location.hash); }));
    }
    return () => wb.destroy();
  }
  replace(wb.canvas);
  if (!wb.graph.order) {
    replace(wb.canvas, empty("Nothing in the network is visible to you yet.", "network-empty"));
    return () => wb.destroy();
  }
  wb.mount();
  if (id && wb.graph.hasNode(id)) void wb.select(id);
  return () => wb.destroy();
}

/** Dev route: #/network-bench?nodes=2000&edges=5000 renders a generated graph, no API call. */
export function benchView(root: HTMLElement, params: URLSearchParams): () => void {
  const n = Math.max(1, Math.min(200_000, Number(params.get("nodes") ?? 2000) || 2000));
  const m = Math.max(0, Math.min(1_000_000, Number(params.get("edges") ?? 5000) || 0));
  const wb = workbench(root, { bench: true });
  const { nodes, edges } = generate(n, m, Number(params.get("seed") ?? 1));
  wb.addData(nodes, edges);
  wb.mount();
  return () => wb.destroy();
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(n: number, m: number, seed: number): { nodes: NetNode[]; edges: NetEdge[] } {
  const rand = rng(seed);
  const roles = [...Object.keys(BROKER_ROLES), null];
  const types = ["call", "payment", "crossing", "meeting", "associate"];
  const groups = Math.max(1, Math.round(n / 100));
  const nodes: NetNode[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({ id: `n${i}`, label: `Node ${i}`, broker_role: roles[Math.floor(rand() * roles.length)], group: `OCG-${i % groups}`, category: "suspect", score: Math.pow(rand(), 4) });
  }
  const edges: NetEdge[] = [];
  const seen = new Set<string>();
  const base = Date.UTC(2022, 0, 1) / 86_400_000;
  let guard = 0;
  while (edges.length < m && guard++ < m * 20) {
    const a = Math.floor(rand() * n);
    // Mostly within the same group, sometimes across: a clustered graph like real OCGs.
    const b = rand() < 0.8 ? (a % groups) + groups * Math.floor(rand() * Math.ceil(n / groups)) : Math.floor(rand() * n);
    if (b >= n || a === b) continue;
    const type = types[Math.floor(rand() * types.length)];
    const key = `${a}|${b}|${type}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const d = base + Math.floor(rand() * 1000);
    edges.push({ source: `n${a}`, target: `n${b}`, type, weight: 1, first_seen: dayLabel(d), last_seen: dayLabel(d + Math.floor(rand() * 60)) });
  }
  return { nodes, edges };
}
