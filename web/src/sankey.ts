// The Sankey of money between parties (d3-sankey's layout, drawn as plain SVG): each
// band a payer-to-beneficiary sum in the base currency, each node a party by its name.

import { sankey, sankeyLinkHorizontal, type SankeyGraph, type SankeyLink, type SankeyNode } from "d3-sankey";
import type { MoneyFlows } from "./api";
import { h, svgEl } from "./dom";
import { money, partyName } from "./moneyfmt";

interface PartyNode {
  id: string;
  name: string;
  volume: number;
}

interface Flow {
  source: string;
  target: string;
  value: number;
  payments: number;
}

type Node = SankeyNode<PartyNode, Flow>;
type Link = SankeyLink<PartyNode, Flow>;

const COLOURS = ["#1c7ed6", "#e8590c", "#2f9e44", "#ae3ec9", "#f08c00", "#0c8599", "#d6336c", "#5c940d", "#7048e8", "#a61e4d"];
const WIDTH = 1000;

/** The links a Sankey can draw: largest first, leaving out each link that would close a
 *  cycle (a Sankey has no loops; the cycles themselves are the "cycle" alerts). */
export function acyclic(links: Flow[]): { kept: Flow[]; left: Flow[] } {
  const out = new Map<string, Set<string>>();
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set<string>([from]);
    const todo = [from];
    while (todo.length) {
      const at = todo.pop() as string;
      if (at === to) return true;
      for (const next of out.get(at) ?? []) if (!seen.has(next)) { seen.add(next); todo.push(next); }
    }
    return false;
  };
  const kept: Flow[] = [], left: Flow[] = [];
  for (const link of [...links].sort((a, b) => b.value - a.value)) {
    if (reaches(link.target, link.source)) { left.push(link); continue; }
    if (!out.has(link.source)) out.set(link.source, new Set());
    out.get(link.source)?.add(link.target);
    kept.push(link);
  }
  return { kept, left };
}

/** The Sankey as an SVG (and a note of the links left out); `onParty` is called with a
 *  party's id when its node is clicked. */
export function drawSankey(flows: MoneyFlows, onParty: (id: string, name: string) => void): HTMLElement {
  const { kept, left } = acyclic(flows.links.map((l) => ({ source: l.source, target: l.target, value: Number(l.value), payments: l.payments })));
  const used = new Set(kept.flatMap((l) => [l.source, l.target]));
  const nodes: PartyNode[] = flows.nodes.filter((n) => used.has(n.id))
    .map((n) => ({ id: n.id, name: partyName(n.id, n.label), volume: Number(n.volume) }));
  const height = Math.max(240, Math.min(900, nodes.length * 28));
  const layout = sankey<PartyNode, Flow>().nodeId((n) => n.id).nodeWidth(14).nodePadding(12)
    .extent([[1, 8], [WIDTH - 1, height - 8]]);
  const graph: SankeyGraph<PartyNode, Flow> = layout({ nodes: nodes.map((n) => ({ ...n })), links: kept.map((l) => ({ ...l })) });
  const svg = svgEl("svg", { viewBox: `0 0 ${WIDTH} ${height}`, class: "sankey-svg", role: "img", "data-testid": "money-sankey-svg",
    "aria-label": `Money between ${nodes.length} parties, in ${flows.base}` });
  const colour = new Map(graph.nodes.map((n, i) => [(n as Node).id, COLOURS[i % COLOURS.length]]));
  const bands = svgEl("g", { class: "sankey-links", fill: "none" });
  for (const link of graph.links as Link[]) {
    const from = link.source as Node, to = link.target as Node;
    const path = svgEl("path", { d: sankeyLinkHorizontal()(link) ?? "", stroke: colour.get(from.id) ?? "#adb5bd",
      "stroke-width": Math.max(1, link.width ?? 1), "stroke-opacity": 0.35, "data-testid": "money-sankey-link" });
    path.append(svgEl("title", {}, `${from.name} → ${to.name}: ${money(link.value, flows.base)} (${link.payments} payment${link.payments === 1 ? "" : "s"})`));
    bands.append(path);
  }
  const parties = svgEl("g", { class: "sankey-nodes" });
  for (const node of graph.nodes as Node[]) {
    const x0 = node.x0 ?? 0, x1 = node.x1 ?? 0, y0 = node.y0 ?? 0, y1 = node.y1 ?? 0;
    const g = svgEl("g", { class: "sankey-node", "data-testid": "money-sankey-node", "data-id": node.id, tabindex: 0, role: "button" });
    g.append(svgEl("rect", { x: x0, y: y0, width: x1 - x0, height: Math.max(1, y1 - y0), fill: colour.get(node.id) ?? "#868e96" }),
      svgEl("title", {}, `${node.name}: ${money(node.volume, flows.base)} in and out; click to trace`));
    const right = x0 < WIDTH / 2;
    g.append(svgEl("text", { x: right ? x1 + 6 : x0 - 6, y: (y0 + y1) / 2, dy: "0.35em", "text-anchor": right ? "start" : "end",
      class: "sankey-label", "data-testid": "money-sankey-label" }, node.name));
    const pick = () => onParty(node.id, node.name);
    g.addEventListener("click", pick);
    g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
    parties.append(g);
  }
  svg.append(bands, parties);
  return h("div", { class: "sankey" }, svg,
    left.length ? h("p", { class: "small muted", testid: "money-sankey-cycles" },
      `${left.length} link${left.length === 1 ? "" : "s"} closing a cycle not drawn (a Sankey has no loops); see the cycle alerts.`) : null);
}
