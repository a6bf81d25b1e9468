// Key people (#/people): the kingpin ranking as the table an analyst briefs from, one row a
// person, with their group's name (named after its head, never "G1"), their broker role in
// plain words, the parts of the score, the suggested role and whether they head their group
// (GET /api/network/people joins all of it on the server). Victims and witnesses are never
// listed by the API, so none can be picked from here as a target. Sortable columns, a filter,
// "N of M" and a CSV of exactly the rows shown, in the order shown.

import { api, ApiError, type KeyPeople, type KeyPerson } from "../api";
import { h, replace, loading, empty, fmt, entityLink } from "../dom";
import { requestError } from "../moneyfmt";
import { BROKER_ROLES, brokerWords } from "../brokerRoles";
import { exportButton } from "../exports";

const TOP_CHOICES = [25, 50, 100, 250, 1000];
const DEFAULT_TOP = 100;

/** The score's parts as the API names them (`pinchpoint.network.kingpin`): a short header
 *  and what each measures, in words, for the header's tooltip. */
const PARTS: Record<string, { label: string; words: string }> = {
  betweenness: { label: "Between", words: "Betweenness: how often the person lies on the shortest route between two others (brokers, couriers)" },
  brokerage: { label: "Across groups", words: "Brokerage: how often the person links members of different groups" },
  pagerank: { label: "PageRank", words: "PageRank: tied to people who are themselves well connected" },
  eigenvector: { label: "Eigenvector", words: "Eigenvector centrality: close to the best-connected part of the network" },
  kcore: { label: "Inner circle", words: "k-core: how deep in the network's dense inner circle the person sits" },
  money: { label: "Money kept", words: "Money kept: received less sent, in the base currency" },
  leadership: { label: "Leads group", words: "Leadership: the head-of-group score within their own group (money kept, who gives the orders, insulation, centrality)" },
};
const PART_NOTE = "each 0 to 1 (1: at the top of the network on that measure), weighted into the score";

/** One column of the table: its header, how it sorts, its cell, and its CSV text. */
interface Column {
  key: string;
  label: string;
  title?: string;
  num?: boolean;
  /** Sorted highest first on the first click (a score, a part, the heads). */
  desc?: boolean;
  sort: (p: KeyPerson) => number | string;
  cell: (p: KeyPerson) => Node | string;
  csv: (p: KeyPerson) => string;
}

interface State {
  found: KeyPeople;
  columns: Column[];
  sortBy: string;
  ascending: boolean;
  filter: string;
}

export async function peopleView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const asked = Number(params.get("top") ?? DEFAULT_TOP);
  const top = TOP_CHOICES.includes(asked) ? asked : DEFAULT_TOP;
  const choose = h("select", { id: "people-top", testid: "people-top" },
    ...TOP_CHOICES.map((n) => h("option", { value: n, selected: n === top }, String(n))));
  choose.addEventListener("change", () => {
    history.replaceState(null, "", `#/people?top=${choose.value}`);
    void load();
  });
  const out = h("div", { testid: "people-result" });
  const load = async (): Promise<void> => {
    replace(out, loading("Ranking the people in your network", "people-loading"));
    try {
      replace(out, table(await api.people(Number(choose.value))));
    } catch (err) {
      replace(out, failed(err, () => void load()));
    }
  };
  replace(root,
    h("h1", null, "Key people"),
    h("p", { class: "muted small", testid: "people-intro" },
      "The people who matter most in the network you may see, by the kingpin score: brokers and group heads near the top. ",
      "Victims and witnesses are never listed."),
    h("section", { class: "card", "aria-labelledby": "people-title" },
      h("h2", { id: "people-title", class: "visually-hidden" }, "Ranking"),
      h("div", { class: "toolbar" }, h("label", { for: "people-top" }, "Show the top"), choose),
      out));
  await load();
}

/** The 409 "not resolved" as the network view says it; other errors as everywhere else. */
function failed(err: unknown, retry: () => void): HTMLElement {
  if (err instanceof ApiError && err.status === 409) {
    return h("div", { class: "state error", role: "alert", testid: "people-not-resolved" },
      h("strong", null, "Key people not available. "), err.message || "The workspace is not resolved for you yet.",
      h("p", { class: "small" }, "Ask an administrator to run resolution, then reload."));
  }
  return requestError(err, retry);
}

function table(found: KeyPeople): HTMLElement {
  if (!found.people.length) return empty("Nothing in the network is visible to you yet.", "people-empty");
  const state: State = { found, columns: columns(found), sortBy: "rank", ascending: true, filter: "" };
  const filter = h("input", {
    id: "people-filter", type: "search", testid: "people-filter", placeholder: "name, group or role",
    autocomplete: "off", "aria-controls": "people-table",
  });
  const count = h("span", { class: "muted small", testid: "people-count", role: "status", "aria-live": "polite" });
  // Saved once recorded in the audit log as a disclosure (exports.ts).
  const downloadControl = exportButton("Download CSV", "people-download",
    () => ({ blob: csvOf(state), name: "key-people.csv", what: "key people", rows: shown(state).length }));
  const download = downloadControl.querySelector("button") as HTMLButtonElement;
  const head = h("thead");
  const body = h("tbody");
  const draw = (): void => {
    const rows = shown(state);
    replace(head, headerRow(state, (key) => {
      state.ascending = state.sortBy === key ? !state.ascending : !firstDescending(state, key);
      state.sortBy = key;
      draw();
      // the header is drawn again: keep the keyboard on the button just pressed
      head.querySelector<HTMLButtonElement>(`[data-testid="people-sort-${key}"]`)?.focus();
    }));
    replace(body, ...rows.map((p) => row(state.columns, p)));
    replace(count, `${rows.length} of ${state.found.people.length}`);
    download.disabled = !rows.length;
  };
  filter.addEventListener("input", () => {
    state.filter = filter.value;
    draw();
  });
  draw();
  return h("div", null,
    h("p", { class: "small muted", testid: "people-summary" },
      `The top ${fmt(found.people.length)} of ${fmt(found.total)} people who can be ranked. `,
      "The score's parts are each 0 to 1 (hover a header for what it measures); the score is their weighted mean."),
    h("div", { class: "toolbar" },
      h("label", { for: "people-filter" }, "Filter"), filter, count, downloadControl),
    h("div", { class: "table-wrap" }, h("table", { id: "people-table", class: "compact", testid: "people-table" }, head, body)));
}

function firstDescending(state: State, key: string): boolean {
  return Boolean(state.columns.find((c) => c.key === key)?.desc);
}

/** The rows the filter keeps, in the order chosen. */
function shown(state: State): KeyPerson[] {
  const words = state.filter.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const kept = state.found.people.filter((p) => {
    const text = [p.label, p.group_name, p.broker_role, p.suggested_role, p.head ? "head" : ""]
      .filter(Boolean).join(" ").toLocaleLowerCase();
    return words.every((w) => text.includes(w));
  });
  const column = state.columns.find((c) => c.key === state.sortBy) ?? state.columns[0];
  const sign = state.ascending ? 1 : -1;
  return kept.sort((a, b) => {
    const x = column.sort(a);
    const y = column.sort(b);
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return order * sign || a.rank - b.rank;
  });
}

/** The header: each column a button that sorts by it (again: the other way round). */
function headerRow(state: State, sortBy: (key: string) => void): HTMLTableRowElement {
  return h("tr", null, ...state.columns.map((c) => {
    const active = c.key === state.sortBy;
    const button = h("button", { type: "button", class: "link", testid: `people-sort-${c.key}`, title: c.title ?? `Sort by ${c.label.toLowerCase()}` },
      c.label, active ? (state.ascending ? "\u00a0▲" : "\u00a0▼") : "");
    button.addEventListener("click", () => sortBy(c.key));
    return h("th", {
      scope: "col", class: c.num ? "num" : null, title: c.title ?? null, testid: `people-col-${c.key}`,
      "aria-sort": active ? (state.ascending ? "ascending" : "descending") : "none",
    }, button);
  }), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")));
}

function row(columns: Column[], p: KeyPerson): HTMLTableRowElement {
  return h("tr", { testid: "people-row", "data-id": p.id },
    ...columns.map((c) => h("td", { class: c.num ? "num" : null, "data-col": c.key }, c.cell(p))),
    h("td", null, h("a", { href: `#/network?id=${encodeURIComponent(p.id)}`, testid: "people-open-network", class: "small" }, "Open in network")));
}

function columns(found: KeyPeople): Column[] {
  const named = Object.keys(PARTS);
  const given = [...new Set([...Object.keys(found.weights), ...found.people.flatMap((p) => Object.keys(p.ingredients ?? {}))])];
  const parts = [...named.filter((k) => given.includes(k)), ...given.filter((k) => !named.includes(k))];
  const text = (v: string | null | undefined): string => v ?? "";
  return [
    { key: "rank", label: "Rank", num: true, sort: (p) => p.rank, cell: (p) => String(p.rank), csv: (p) => String(p.rank) },
    { key: "name", label: "Name", sort: (p) => p.label, cell: (p) => h("bdi", null, entityLink(p.id, p.label, { testid: "people-name" })), csv: (p) => p.label },
    {
      key: "group", label: "Group", title: "The group the person is in, named after its head and the next two", sort: (p) => text(p.group_name),
      cell: (p) => p.group_name ? groupName(p.group_name, p.group_size) : "–", csv: (p) => text(p.group_name),
    },
    {
      key: "broker", label: "Broker role", title: `Where the person stands between two others: ${Object.entries(BROKER_ROLES).map(([r, v]) => `${r}, ${v.words}`).join("; ")}`,
      sort: (p) => text(p.broker_role), cell: (p) => p.broker_role ? h("span", { class: "small", "data-role": p.broker_role }, brokerWords(p.broker_role)) : h("span", { class: "muted small" }, "none"),
      csv: (p) => p.broker_role ? brokerWords(p.broker_role) : "",
    },
    {
      key: "suggested", label: "Suggested role", title: "The role the evidence suggests (hover a role for why)", sort: (p) => text(p.suggested_role),
      cell: (p) => p.suggested_role ? h("span", { title: p.why ?? null }, p.suggested_role) : h("span", { class: "muted" }, "–"), csv: (p) => text(p.suggested_role),
    },
    {
      key: "head", label: "Head of group", title: "Whether the person is the most likely head of their group", desc: true, sort: (p) => (p.head ? 1 : 0),
      cell: (p) => p.head ? h("strong", { testid: "people-head" }, "head") : "", csv: (p) => (p.head ? "yes" : "no"),
    },
    {
      key: "score", label: "Score", num: true, title: "The kingpin score: the weighted mean of the parts, 0 to 1", desc: true, sort: (p) => p.score,
      cell: (p) => p.score.toFixed(3), csv: (p) => p.score.toFixed(4),
    },
    ...parts.map((k): Column => {
      const weight = found.weights[k];
      const known = PARTS[k] ?? { label: k, words: k };
      const scaled = (p: KeyPerson): number => p.ingredients?.[k]?.scaled ?? 0;
      return {
        key: `part-${k}`, label: known.label, num: true,
        title: `${known.words}; ${PART_NOTE}${weight !== undefined ? ` (weight ${Math.round(weight * 100)}%)` : ""}`,
        desc: true, sort: (p) => scaled(p),
        cell: (p) => h("span", { class: "small", title: `measured ${fmt(p.ingredients?.[k]?.value, 4)}` }, scaled(p).toFixed(2)),
        csv: (p) => scaled(p).toFixed(4),
      };
    }),
  ];
}

/** A group's name, each person in it isolated (`bdi`), so that an Arabic name beside a phone
 *  number does not turn the number round; the group's size in the tooltip. */
function groupName(name: string, size?: number | null): HTMLElement {
  const parts = name.split(" / ");
  return h("span", { title: size ? `${size} people in the group` : null },
    ...parts.flatMap((part, i) => [i ? " / " : "", h("bdi", null, part)]));
}

/** A CSV of the rows shown, in the order shown, with each person's id last (for copying
 *  into other tools); text that a spreadsheet would run as a formula is quoted as text. */
function csvOf(state: State): Blob {
  const cells = (values: string[]): string => values.map(csvCell).join(",");
  const lines = [cells([...state.columns.map((c) => c.label), "Id"]),
    ...shown(state).map((p) => cells([...state.columns.map((c) => c.csv(p)), p.id]))];
  return new Blob([`${lines.join("\r\n")}\r\n`], { type: "text/csv;charset=utf-8" });
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
