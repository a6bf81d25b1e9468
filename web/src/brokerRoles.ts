// Broker roles (Gould and Fernandez), as GET /api/network/rank and the neighbourhood give
// them in `broker_role`: where a person stands between two others, said in plain words,
// with one fixed colour each so "gatekeeper" looks the same on every screen.

import { h } from "./dom";

/** Each role, what it means for an analyst, and its colour. */
export const BROKER_ROLES: Record<string, { words: string; colour: string }> = {
  coordinator: { words: "links two others in their own group", colour: "#1c7ed6" },
  gatekeeper: { words: "lets people from outside reach their group", colour: "#e8590c" },
  representative: { words: "carries their group's contacts to outsiders", colour: "#2f9e44" },
  consultant: { words: "links two members of a group they are not in", colour: "#ae3ec9" },
  liaison: { words: "links two groups, neither of them their own", colour: "#f08c00" },
};
export const NO_BROKER_ROLE = "#ced4da";

/** A role's colour: grey for none (and for a role this client does not know). */
export function brokerColour(role: string): string {
  return BROKER_ROLES[role]?.colour ?? NO_BROKER_ROLE;
}

/** The role in plain words, e.g. "gatekeeper: lets people from outside reach their group". */
export function brokerWords(role: string): string {
  const known = BROKER_ROLES[role];
  return known ? `${role}: ${known.words}` : role;
}

/** The legend: every role with its colour, meaning and how many nodes on screen have it. */
export function brokerLegend(counts: Map<string, number>): HTMLElement {
  const rows = [...Object.keys(BROKER_ROLES), ""].map((role) => [role, counts.get(role) ?? 0] as const);
  return h("ul", { testid: "network-broker-legend" }, ...rows.map(([role, n]) => h("li", {
    testid: "network-broker-legend-item", "data-role": role || "none", "data-count": n,
    title: role ? BROKER_ROLES[role].words : "not between two others who are otherwise apart",
  },
  h("span", { class: "swatch", style: `background:${brokerColour(role)}` }), ` ${role || "no broker role"} `,
  h("span", { class: "muted small" }, `(${n})`))));
}
