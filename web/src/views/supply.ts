// Supply view: seized boats, engines and kit linked by serial number to what else names
// them (sales, imports, storage sites, vehicle checks), the supplier hubs upstream of
// most seized items, the disruption plan, and the time from import to seizure
// (GET /api/supply/hubs, /api/supply/plan, /api/supply/chains). The chain is drawn on
// the Map page.

import { api, type SupplyChain, type SupplyHubs, type SupplyPlan, type SupplySighting } from "../api";
import { h, replace, loading, empty, thead, fmt } from "../dom";
import { requestError } from "../moneyfmt";

export async function supplyView(root: HTMLElement): Promise<void> {
  const hubs = h("section", { class: "card", "aria-labelledby": "supply-hubs-title", testid: "supply-hubs" },
    h("h2", { id: "supply-hubs-title" }, "Supplier hubs"), loading("Linking seized items"));
  const plan = h("section", { class: "card", "aria-labelledby": "supply-plan-title", testid: "supply-plan" },
    h("h2", { id: "supply-plan-title" }, "Disruption plan"), loading("Planning"));
  const chains = h("section", { class: "card", "aria-labelledby": "supply-chains-title", testid: "supply-chains" },
    h("h2", { id: "supply-chains-title" }, "Seized items and what names them"), loading("Loading chains"));
  replace(root,
    h("h1", null, "Supply"),
    h("p", { class: "muted small", testid: "supply-intro" },
      "Seized boats, engines and equipment you may see, linked by serial number to the sales, imports, storage sites and vehicles that name them. ",
      h("a", { href: "#/map" }, "The chain on the map")),
    hubs, plan, chains);
  await Promise.all([fill(hubs, "supply-hubs-title", "Supplier hubs", async () => hubsBody(await api.supplyHubs())),
    fill(plan, "supply-plan-title", "Disruption plan", async () => planBody(await api.supplyPlan(5))),
    fill(chains, "supply-chains-title", "Seized items and what names them", async () => chainsBody((await api.supplyChains(100)).chains))]);
}

async function fill(el: HTMLElement, titleId: string, title: string, body: () => Promise<HTMLElement[]>): Promise<void> {
  const heading = () => h("h2", { id: titleId }, title);
  try {
    replace(el, heading(), ...(await body()));
  } catch (err) {
    replace(el, heading(), requestError(err, () => void fill(el, titleId, title, body)));
  }
}

function hubsBody(found: SupplyHubs): HTMLElement[] {
  const lead = found.import_to_seizure;
  const parts: HTMLElement[] = [h("p", { class: "small muted", testid: "supply-lead" },
    lead.items ? `Import to seizure: median ${fmt(lead.median_days)} days over ${fmt(lead.items)} items (${fmt(lead.shortest_days)} to ${fmt(lead.longest_days)}).`
      : "No seized item has a dated import you may see.")];
  if (found.disputed.length) {
    parts.push(h("div", { class: "state error", role: "status", testid: "supply-disputed" },
      h("strong", null, "Disputed, not ranked: "),
      ...found.disputed.map((d) => h("span", null,
        `${d.label}: a victim or witness for ${d.protected_by.join(", ")}, a suspect for ${d.accused_by.join(", ")}. `))));
  }
  if (!found.hubs.length) {
    parts.push(empty("No supplier is upstream of a seized item you may see.", "supply-hubs-empty"));
    return parts;
  }
  parts.push(h("div", { class: "table-wrap" }, h("table", { testid: "supply-hubs-table" },
    thead(["Supplier", "Seized items upstream", "Seizures", "Countries", "Buyers", "Items sold or imported", "Roles"]),
    h("tbody", null, ...found.hubs.map((hub) => h("tr", { testid: "supply-hub" },
      h("td", null, hub.label), h("td", { class: "num" }, fmt(hub.seized_items)), h("td", { class: "num" }, fmt(hub.seizures)),
      h("td", null, hub.countries.join(", ").toUpperCase()), h("td", { class: "num" }, fmt(hub.buyers)),
      h("td", { class: "num" }, fmt(hub.items)), h("td", null, hub.roles.join(", "))))))));
  const makes = new Map<string, number>();
  for (const m of found.makes_over_time) makes.set(`${m.kind}: ${[m.make, m.model].filter(Boolean).join(" ")}`, (makes.get(`${m.kind}: ${[m.make, m.model].filter(Boolean).join(" ")}`) ?? 0) + m.count);
  const top = [...makes.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const months = [...new Set(found.makes_over_time.map((m) => m.month))].sort();
  if (top.length) {
    parts.push(h("h3", null, "Makes and models seized" + (months.length ? ` (${months[0]} to ${months[months.length - 1]})` : "")),
      h("ul", { testid: "supply-makes" }, ...top.map(([name, n]) => h("li", null, `${name}: ${fmt(n)}`))));
  }
  return parts;
}

function planBody(found: SupplyPlan): HTMLElement[] {
  if (!found.steps.length) return [empty("Nothing to disrupt in the chains you may see.", "supply-plan-empty")];
  return [h("p", { class: "small muted" }, `${fmt(found.boats)} boats and ${fmt(found.engines)} engines named by the records; disrupting these, in this order, removes the most:`),
    h("div", { class: "table-wrap" }, h("table", { testid: "supply-plan-table" },
      thead(["Step", "Supplier or storage site", "Kind", "Boats removed", "Engines removed", "Boats removed in all"]),
      h("tbody", null, ...found.steps.map((s) => h("tr", { testid: "supply-plan-step" },
        h("td", { class: "num" }, String(s.rank)), h("td", null, s.label), h("td", null, s.kind),
        h("td", { class: "num" }, fmt(s.boats)), h("td", { class: "num" }, fmt(s.engines)),
        h("td", { class: "num" }, `${fmt(s.cumulative_boats)} of ${fmt(found.boats)}`))))))];
}

function where(s: SupplySighting): string {
  return [s.date, s.place.name || s.country.toUpperCase()].filter(Boolean).join(", ");
}

function chainsBody(found: SupplyChain[]): HTMLElement[] {
  if (!found.length) return [empty("No seized item is named by another record you may see.", "supply-chains-empty")];
  return [h("div", { class: "table-wrap" }, h("table", { testid: "supply-chains-table" },
    thead(["Item", "Serial", "Seized", "Named by", "Suppliers", "Import to seizure"]),
    h("tbody", null, ...found.map((c) => h("tr", { testid: "supply-chain" },
      h("td", null, [c.kind, c.make, c.model].filter(Boolean).join(" ")), h("td", null, h("code", null, c.serial)),
      h("td", null, c.seizures.map(where).join("; ") || "–"),
      h("td", null, c.links.map((l) => `${l.kind} (${where(l)})`).join("; ") || "–"),
      h("td", null, c.suppliers.map((p) => p.label).join(", ") || "–"),
      h("td", { class: "num" }, c.import_to_seizure_days === null ? "–" : `${c.import_to_seizure_days} days`))))))];
}
