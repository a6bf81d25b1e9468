// Suggested roles (GET /api/network/leaders): each group's members with the role the
// evidence suggests, one fixed colour per role so a kingpin is the same red everywhere.

import { api } from "./api";
import { h } from "./dom";

export const ROLE_COLOURS: Record<string, string> = {
  kingpin: "#c92a2a",
  lieutenant: "#e8590c",
  hawaladar: "#2b8a3e",
  recruiter: "#7048e8",
  driver: "#1c7ed6",
  supplier: "#0c8599",
  broker: "#d6336c",
  facilitator: "#f08c00",
};
export const NO_ROLE = "#ced4da";
const NEVER = new Set(["victim", "witness"]);

/** Each member's suggested role, by node id (victims and witnesses are never listed by
 *  the API, and are left out here too should one ever be). */
export async function suggestedRoles(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const group of await api.leaders()) {
    for (const m of group.members) if (m.role && m.role in ROLE_COLOURS && !found.has(m.id)) found.set(m.id, m.role);
  }
  return found;
}

/** The role a node is shown with: none for a victim or witness, whatever the data says. */
export function shownRole(role: string | undefined, category: string): string {
  return NEVER.has(category) || !role || !(role in ROLE_COLOURS) ? "" : role;
}

/** A node's colour by suggested role: grey without one, and always for a victim or witness. */
export function roleColour(role: string | undefined, category: string): string {
  const shown = shownRole(role, category);
  return shown ? ROLE_COLOURS[shown] : NO_ROLE;
}

/** The legend: every role with its colour and how many nodes on screen have it. */
export function roleLegend(counts: Map<string, number>): HTMLElement {
  const rows = [...Object.keys(ROLE_COLOURS), ""].map((role) => [role, counts.get(role) ?? 0] as const);
  return h("ul", { testid: "network-role-legend" }, ...rows.map(([role, n]) => h("li", { testid: "network-role-legend-item", "data-role": role || "none", "data-count": n },
    h("span", { class: "swatch", style: `background:${role ? ROLE_COLOURS[role] : NO_ROLE}` }), ` ${role || "no role suggested"} `,
    h("span", { class: "muted small" }, `(${n})`))));
}
