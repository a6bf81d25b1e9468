// Development-only mock of the endpoints the workbench gained in issue 19 (Key people,
// strategies compared, exports recorded as disclosures, the workspace's own trends, the
// briefing pack and the timeline as files, undo on the review page, the profile's summary
// card, the map's period, phones and supply, administration and ingest), over the mock's
// own people. The shapes are those web/src/api.ts reads; the numbers mean nothing.

/** A person of the mock network (plugin.ts makes them). */
export interface MockPerson {
  id: string;
  label: string;
  category: string;
  role: string;
  group: string;
  score: number;
}

/** An answer that is a file, not JSON: the handler sends `body` as `type`. */
export class MockFile {
  constructor(public type: string, public body: string) {}
}

const BROKER_ROLES = ["coordinator", "gatekeeper", "representative", "consultant", "liaison"];
const STRATEGY_ABOUT: Record<string, string> = {
  betweenness: "Most shortest paths run through them",
  degree: "Linked to the most people",
  katz: "Reach many people through short chains",
  ci: "Hold together the most of the network around them",
  pagerank: "Linked to people who are themselves well linked",
  kpp: "The set whose removal splits the network most",
};

/** Who may be ranked or targeted: never a victim or witness. */
const targetable = (p: MockPerson) => p.category !== "victim" && p.category !== "witness";

/** A falling removal curve for `k` arrests, steeper for a larger `bite`. */
function curve(k: number, bite: number): number[] {
  return Array.from({ length: k + 1 }, (_v, i) => Number(Math.max(0.05, 1 - bite * i * (1 - i / (3 * (k + 1)))).toFixed(4)));
}

/** GET /api/network/people: the ranking with group names, heads and suggested roles. */
function keyPeople(people: MockPerson[], top: number): unknown {
  const ranked = people.filter(targetable).sort((a, b) => b.score - a.score);
  const heads = new Map<string, string>();
  for (const p of ranked) if (!heads.has(p.group)) heads.set(p.group, p.id);
  const sizes = new Map<string, number>();
  for (const p of people) sizes.set(p.group, (sizes.get(p.group) ?? 0) + 1);
  const groupName = (g: string) => ranked.find((p) => p.id === heads.get(g))?.label ?? g;
  const weights = { betweenness: 0.3, brokerage: 0.2, money: 0.3, leadership: 0.2 };
  return {
    total: ranked.length, weights,
    people: ranked.slice(0, top).map((p, i) => {
      const head = heads.get(p.group) === p.id;
      return { id: p.id, label: p.label, score: p.score, rank: i + 1, group: p.group, role: p.role,
        broker_role: BROKER_ROLES[i % BROKER_ROLES.length], group_name: groupName(p.group), group_size: sizes.get(p.group) ?? 1,
        suggested_role: head ? "kingpin" : i % 3 === 0 ? "lieutenant" : null, head, why: head ? "mock: most likely head of the group" : null,
        ingredients: Object.fromEntries(Object.entries(weights).map(([k, w], j) => {
          const scaled = Number(((p.score * (j + 2)) % 1).toFixed(3));
          return [k, { value: scaled * 10, scaled, weight: w, contribution: scaled * w }];
        })) };
    }),
  };
}

/** A plan's answer for one strategy (POST /api/network/plan and each of /plan/compare). */
function planOf(people: MockPerson[], strategy: string, k: number, bite: number): Record<string, unknown> {
  const chosen = people.filter(targetable).sort((a, b) => b.score - a.score).slice(bite > 0.15 ? 0 : 1).slice(0, k);
  const line = curve(chosen.length, bite);
  return { strategy, about: STRATEGY_ABOUT[strategy] ?? strategy, targets: chosen.map((p) => p.id), curve: line,
    labels: chosen.map((p) => p.label), lcc_start: 118, fragmentation: Number((1 - line[line.length - 1]).toFixed(4)), notes: [],
    target_details: chosen.map((p, i) => ({ id: p.id, label: p.label, raid: i + 1, score: p.score, lcc_after: line[i + 1], reason: `mock: ${STRATEGY_ABOUT[strategy] ?? strategy}` })) };
}

/** POST /api/network/plan/compare: every strategy asked for and random arrests beside them. */
function compare(people: MockPerson[], body: Record<string, unknown>): unknown {
  const k = Number(body.k ?? 5);
  const strategies = Array.isArray(body.strategies) ? body.strategies.map(String) : ["betweenness"];
  const runs = Number(body.random_runs ?? 20);
  const mean = curve(k, 0.04);
  return {
    k, mode: String(body.mode ?? "sequential"), rewire: Boolean(body.rewire), lcc_start: 118,
    strategies: strategies.map((s, i) => planOf(people, s, k, 0.18 - i * 0.02)),
    random: { runs, seed: 0, mean, low: mean.map((v) => Number(Math.max(0, v - 0.06).toFixed(4))), high: mean.map((v) => Number(Math.min(1, v + 0.04).toFixed(4))) },
  };
}

/** GET /api/dashboard `trends`: 18 months, the first and last partial. */
export function trends(): unknown {
  const months = Array.from({ length: 18 }, (_v, i) => `${2024 + Math.floor((i + 6) / 12)}-${String(((i + 6) % 12) + 1).padStart(2, "0")}`);
  const count = (seed: number) => months.map((_m, i) => (i * seed + 7) % 23);
  const series = { crossings: count(5), payments: count(7), seizures: count(3).map((v) => v % 4), people: count(11) };
  const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const row = (key: string, name: string, seed: number) => {
    const counts = count(seed).map((v) => v % 9);
    return { key, name, total: total(counts), earlier: 2, counts };
  };
  return {
    months, partial: [months[0], months[months.length - 1]], current_month: months[months.length - 1],
    first_day: `${months[0]}-14`, last_day: `${months[months.length - 1]}-09`, series,
    earlier: { crossings: 3, payments: 1, seizures: 0, people: 4 },
    totals: Object.fromEntries(Object.entries(series).map(([k, v]) => [k, total(v)])), undated_people: 6,
    by_route: [row("fr-gb", "France → United Kingdom", 5), row("tr-bg", "Türkiye → Bulgaria", 3)],
    by_nationality: [row("iq", "Iraq", 7), row("af", "Afghanistan", 4), row("er", "Eritrea", 2)],
  };
}

/** The profile's summary card (names with counts, facts, network standing). */
export function summary(p: MockPerson): unknown {
  const safe = targetable(p);
  return {
    names: [{ value: p.label, count: 3, script: "Latin", props: ["name"], spellings: [p.label] }, { value: "Kawa Ahmadi", count: 1, script: "Latin", props: ["alias"] }],
    facts: [{ key: "birthDate", label: "Date of birth", values: [{ value: "1990-04-02", text: "2 April 1990", count: 2, kinds: ["record"] }] },
      { key: "nationality", label: "Nationality", values: [{ value: "iq", text: "Iraq", count: 2, kinds: ["record"] }] },
      { key: "phone", label: "Phones", values: [{ value: "+447700900123", text: "+44 7700 900123", count: 4, kinds: ["record"] }] }],
    withheld: false,
    network: { status: "ranked", group: { id: p.group, name: p.group, size: 40 }, score: safe ? p.score : null, rank: safe ? 7 : null,
      ranked: 109, broker_role: safe ? "liaison" : null, suggested_role: null, protected: !safe, linked: 5,
      links: [{ type: "call", links: 3, records: 12 }, { type: "payment", links: 2, records: 4 }] },
  };
}

/** GET /api/map's period fields: transit points and the months with dated events. */
export function mapPeriod(url: URL): Record<string, unknown> {
  return {
    transit: [{ name: "Gravelines", kind: "launch", lat: 50.99, lon: 2.12, country: "fr", precision: "place", count: 14, first: "2024-03-02", last: "2024-09-30" },
      { name: "Dungeness", kind: "landing", lat: 50.91, lon: 0.97, country: "gb", precision: "place", count: 9, first: "2024-04-11", last: "2024-08-20" }],
    months: ["2024-01", "2024-12"], since: url.searchParams.get("since"), until: url.searchParams.get("until"), unplaced: 2,
  };
}

interface MockJudgement {
  id: string; left: string; right: string; verdict: string; reason: string; user: string; agency: string;
  created_at: string; undone_at: string | null; undone_by: string | null; undo_reason: string | null; active: boolean;
}
const judgements: MockJudgement[] = [];

/** The review page's judgements: made (POST), listed (GET, newest first) and undone. */
function judged(method: string, p: string, body: Record<string, unknown>): unknown {
  const undo = p.match(/^\/api\/judgements\/([^/]+)\/undo$/);
  if (undo) {
    const found = judgements.find((j) => j.id === decodeURIComponent(undo[1]));
    if (!found) return 404;
    Object.assign(found, { undone_at: new Date().toISOString(), undone_by: "analyst", undo_reason: String(body.reason ?? ""), active: false });
    return found;
  }
  if (method !== "POST") return judgements.slice().reverse();
  const made: MockJudgement = { id: `j${judgements.length + 1}`, left: String(body.left), right: String(body.right), verdict: String(body.verdict),
    reason: String(body.reason ?? ""), user: "analyst", agency: "NCA", created_at: new Date().toISOString(), undone_at: null,
    undone_by: null, undo_reason: null, active: true };
  judgements.push(made);
  return made;
}

/** A one-page PDF that says it is a mock (the real pack is rendered on the server). */
const PDF = ["%PDF-1.4", "1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj", "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj",
  "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj",
  "4 0 obj<</Length 52>>stream", "BT /F1 18 Tf 72 760 Td (Mock briefing pack) Tj ET", "endstream endobj",
  "5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj", "trailer<</Root 1 0 R>>", "%%EOF", ""].join("\n");

/** Phones and supply views: one number on many phones, one boat's chain. */
function phonesAndSupply(p: string, url: URL): unknown {
  if (p === "/api/phones/common") {
    return { min_devices: Number(url.searchParams.get("min_devices") ?? 2), candidates: 1, protected: 0, disputed: [],
      ranked: [{ identifier: "+905324172290", kind: "phone", devices: 6, arrival_devices: 5, contacts: 6, first_contact: "2024-03-01",
        last_contact: "2024-09-12", dated_devices: 5, before_seizure: 5, names: [{ name: "Boxer", agency: "NCA", devices: 4 }] }] };
  }
  if (p === "/api/phones/devices") {
    return { identifier: url.searchParams.get("identifier") ?? "", devices: [{ device: "Samsung A12 (seized 2024-05-20)", seized_at: "2024-05-20" }] };
  }
  const dunkirk = { name: "Dunkirk", lat: 51.03, lon: 2.37, country: "fr", precision: "place" };
  const essen = { name: "Essen", lat: 51.46, lon: 7.01, country: "de", precision: "place" };
  const handler = { handler: "e9", label: "Person 9", role: "seller", entity: "e9" };
  if (p === "/api/supply/chains") {
    const sighting = { kind: "seizure", ref: "SZ-1", date: "2024-05-20", place: dunkirk, country: "fr", serial: "ENG-001",
      parties: [handler], plates: [], site: "beach", record: "SZ-1 line 2" };
    return { items: 1, legs: [{ from: essen, to: dunkirk, items: 1 }], places: [essen, dunkirk],
      chains: [{ id: "c1", kind: "engine", make: "Yamaha", model: "40", serial: "ENG-001", seizures: [sighting],
        links: [{ ...sighting, kind: "sale", ref: "INV-7", date: "2024-04-02", place: essen, country: "de" }], handlers: [handler], suppliers: [handler],
        import_to_seizure_days: 48 }] };
  }
  if (p === "/api/supply/hubs") {
    return { hubs: [{ id: "e9", label: "Person 9", schema: "Person", seized_items: 3, seizures: 2, countries: ["de", "fr"], buyers: 2, items: 4, roles: ["seller"], record_count: 6 }],
      makes_over_time: [{ month: "2024-05", kind: "engine", make: "Yamaha", model: "40", count: 2 }], disputed: [],
      import_to_seizure: { items: 1, median_days: 48, quartile_days: [40, 55], shortest_days: 48, longest_days: 48, distribution: { "0-30": 0, "31-90": 1 } } };
  }
  if (p === "/api/supply/plan") {
    return { boats: 3, engines: 4, unreachable_boats: 1,
      steps: [{ rank: 1, target: "e9", kind: "person", label: "Person 9", boats: 2, engines: 3, cumulative_boats: 2, cumulative_engines: 3 }] };
  }
  return undefined;
}

/** The administration and ingest pages' first reads: users, grants, kinds, batches. */
function adminAndIngest(p: string): unknown {
  if (p === "/api/admin/users") {
    return [{ name: "analyst", agency: "NCA", role: "analyst auditor", clearance: "SECRET", disabled: false },
      { name: "olive", agency: "NCA", role: "analyst", clearance: "OFFICIAL", disabled: false }];
  }
  if (p === "/api/admin/grants") {
    return [{ id: "g1", direction: "received", owner: "BF", recipient: "NCA", recipient_kind: "agency", source: null, victim_details: false,
      granted_by: "bfsup", granted_at: "2024-05-01T09:00:00Z", reason: "Operation Seagull" }];
  }
  if (p === "/api/ingest/kinds") {
    return [{ name: "csv", description: "A table with a mapping", tabular: true, needs_mapping: true, columns: [], required: [], extensions: [".csv", ".tsv", ".xlsx"] },
      { name: "ftm", description: "FollowTheMoney entities, one JSON a line", tabular: false, needs_mapping: false, columns: [], required: [], extensions: [".jsonl"] }];
  }
  if (p === "/api/batches") {
    return [{ id: "b1", kind: "csv", path: "people.csv", source: "nca-cdr", owner: "NCA", user: "analyst", reason: "mock", started_at: "2024-05-01T09:00:00Z",
      finished_at: "2024-05-01T09:00:02Z", rows_read: 120, rows_stored: 118, rows_rejected: 2, values_quarantined: 3, statements_added: 900,
      statements_seen: 912, entities: 118 }];
  }
  if (p === "/api/schemata" || p === "/api/mappings") return [];
  if (p === "/api/quarantine") return { total: 0, items: [] };
  return undefined;
}

/** The issue-19 endpoints; undefined for a path that is not one of them. */
export function recentRoute(method: string, p: string, url: URL, body: Record<string, unknown>, people: MockPerson[]): unknown {
  if (p === "/api/network/people") return keyPeople(people, Number(url.searchParams.get("top") ?? 100));
  if (p === "/api/network/plan/compare" && method === "POST") return compare(people, body);
  if (p === "/api/network/plan" && method === "POST") return planOf(people, String(body.strategy ?? "betweenness"), Number(body.k ?? 5), 0.18);
  if (p === "/api/exports" && method === "POST") {
    return { what: String(body.what ?? ""), format: String(body.format ?? "csv"), rows: body.rows ?? null, purpose: String(body.purpose ?? "mock purpose"),
      recipients: body.to ? [String(body.to)] : [] };
  }
  if (p === "/api/timeline.csv") return new MockFile("text/csv", "date,kind,label,parties\n2023-01-01,Call,call e0 → e3,e0;e3\n");
  if (/^\/api\/entities\/[^/]+\/briefing\.pdf$/.test(p)) return new MockFile("application/pdf", PDF);
  if (p === "/api/judgements" || p.startsWith("/api/judgements/")) return judged(method, p, body);
  return phonesAndSupply(p, url) ?? adminAndIngest(p);
}
