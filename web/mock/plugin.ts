// Development-only mock of the Pinchpoint REST API, used by `npm run dev` when
// PINCHPOINT_API is not set. Never part of the build output.
import type { Plugin } from "vite";
import type { IncomingMessage, ServerResponse } from "node:http";
import { moneyRoute } from "./money.ts";
import { MockFile, mapPeriod, recentRoute, summary, trends } from "./recent.ts";

const roles = ["organiser", "recruiter", "broker", "driver", "pilot", "supplier", "money"];
const groups = ["OCG-Kurdish-North", "OCG-Albanian-Coast", "OCG-Balkan-Route"];
const nodes = Array.from({ length: 120 }, (_v, i) => ({
  id: `e${i}`, label: i % 7 === 0 ? `كاوه ${i}` : `Person ${i}`, category: i % 11 === 0 ? "victim" : "suspect",
  role: roles[i % roles.length], group: groups[i % groups.length], score: i % 9 === 0 ? 0.9 - i / 400 : Math.random() * 0.3,
}));
const edges = Array.from({ length: 260 }, (_v, i) => {
  const a = i % 120, b = (i * 7 + 3) % 120;
  const d = new Date(Date.UTC(2023, 0, 1) + i * 3 * 86400000).toISOString().slice(0, 10);
  return { source: `e${a}`, target: `e${b}`, type: ["call", "payment", "crossing"][i % 3], weight: 1, evidence: [`rec-${i}`], first_seen: d, last_seen: d };
}).filter((e) => e.source !== e.target);

function neighbourhood(id: string) {
  const es = edges.filter((e) => e.source === id || e.target === id);
  const ids = new Set([id, ...es.flatMap((e) => [e.source, e.target])]);
  return { nodes: nodes.filter((n) => ids.has(n.id)).map((n) => ({ ...n, protected: n.category === "victim", broker_role: n.category === "victim" ? null : "liaison" })), edges: es };
}

function route(method: string, url: URL, body: Record<string, unknown>): unknown {
  const p = url.pathname;
  if (p === "/api/login" && method === "POST") return { token: "dev-token", user: "analyst", agency: "NCA", role: "analyst auditor", clearance: "SECRET" };
  if (p === "/api/logout") return { ok: true };
  if (p === "/api/me") return { user: "analyst", agency: "NCA", role: "analyst auditor", clearance: "SECRET" };
  if (p === "/api/status") return { statements: 12345, entities: 678, quarantined: 9, batches: 4, resolved: true,
    by_source: { "nca-cdr": [5000, 200], "europol-siena": [2000, 150] }, by_schema: { Person: [8000, 300] }, by_owner: { NCA: [9000, 400] } };
  const recent = recentRoute(method, p, url, body, nodes);
  if (recent !== undefined) return recent;
  if (p === "/api/search") {
    const q = (url.searchParams.get("q") ?? "").toLowerCase();
    return nodes.filter((n) => n.label.toLowerCase().includes(q) || n.id.includes(q)).slice(0, 20)
      .map((n) => ({ id: n.id, schema: "Person", label: n.label, names: [n.label, `${n.label} (alias)`], score: 0.9, match: "name" }));
  }
  const ent = p.match(/^\/api\/entities\/([^/]+)(\/neighbourhood)?$/);
  if (ent) {
    const id = decodeURIComponent(ent[1]);
    if (ent[2]) return neighbourhood(id);
    const n = nodes.find((x) => x.id === id);
    if (!n) return 404;
    return { id, schema: "Person", label: n.label, category: n.category, first_seen: "2023-01-02", last_seen: "2024-05-01",
      names: [{ value: n.label, lang: null, owner: "NCA", source: "nca-cdr" }, { value: "Kawa Ahmadi", lang: "en", owner: "Europol", source: "siena" }, { value: "Кава Ахмади", lang: "ru", owner: "BG-police", source: "bg" }],
      records: ["rec-1", "rec-2"],
      statements: [
        { prop: "name", value: n.label, owner: "NCA", source: "nca-cdr", record: "rec-1", source_grade: 2, info_grade: "B", handling: "P", classification: "OFFICIAL", first_seen: "2023-01-02", last_seen: "2023-03-01" },
        { prop: "alias", value: "Kawa the Boatman", owner: "Europol", source: "siena", record: "rec-2", source_grade: 1, info_grade: "C", grade_original: "B3", handling: "H3", handling_conditions: "No onward sharing without Europol consent", classification: "OFFICIAL-SENSITIVE" },
        { prop: "phone", value: "+44 7700 900123", owner: "NCA", source: "nca-cdr", record: "rec-1", source_grade: 2, info_grade: "A", handling: "C", handling_conditions: ["Not for court use"], classification: "OFFICIAL" },
      ],
      banners: { classification: "OFFICIAL-SENSITIVE", handling: [{ code: "C", conditions: "Not for court use" }] }, summary: summary(n) };
  }
  if (p === "/api/network/rank") return nodes.slice().sort((a, b) => b.score - a.score).slice(0, Number(url.searchParams.get("top") ?? 20)).map((n, i) => ({ ...n, rank: i + 1, ingredients: {}, broker_role: "liaison" }));
  if (p === "/api/network/groups") return { groups: groups.map((g) => ({ id: g, name: g, size: 40, members: [] })) };
  if (p === "/api/network/path") return { paths: [{ nodes: [url.searchParams.get("a"), "e3", url.searchParams.get("b")], hops: [] }] };
  if (p === "/api/review") return [0, 1].map((i) => ({ left: `e${i}`, right: `e${i + 50}`, probability: 0.62,
    left_statements: [{ prop: "name", value: "Kawa Ahmadi", owner: "NCA", source_grade: 2, info_grade: "B" }],
    right_statements: [{ prop: "name", value: "كاوه احمدی", owner: "Europol", source_grade: 1, info_grade: "C" }],
    explanation: { steps: [{ label: "prior", weight: -3 }, { label: "name (cross-script)", weight: 4.1 }, { label: "birth date", weight: 1.2 }, { label: "phone differs", weight: -1.5 }], match_weight: 0.8, probability: 0.62 } }));
  if (p === "/api/timeline") {
    const party = url.searchParams.get("party"), kind = url.searchParams.get("kind");
    const offset = Number(url.searchParams.get("offset") ?? 0), limit = Number(url.searchParams.get("limit") ?? 500);
    const all = edges.slice(0, 150).map((e, i) => ({ id: `ev${i}`, schema: e.type === "call" ? "Call" : e.type === "payment" ? "Payment" : "Crossing", date: e.first_seen, label: `${e.type} ${e.source} → ${e.target}`, parties: [e.source, e.target] }))
      .filter((e) => !party || e.parties.includes(party)).sort((a, b) => a.date.localeCompare(b.date));
    const kinds: Record<string, number> = {};
    for (const e of all) kinds[e.schema] = (kinds[e.schema] ?? 0) + 1;
    const matching = all.filter((e) => !kind || e.schema.toLowerCase() === kind.toLowerCase());
    return { total: matching.length, offset, limit, party, kinds, items: matching.slice(offset, offset + limit), labels: {} };
  }
  if (p === "/api/map") return { ...mapPeriod(url), places: [{ name: "Dunkirk", country: "fr", lat: 51.03, lon: 2.37, count: 40 }, { name: "Calais", country: "fr", lat: 50.95, lon: 1.86, count: 25 }, { name: "Istanbul", country: "tr", lat: 41.0, lon: 28.97, count: 12 }],
    routes: [{ from_country: "iq", to_country: "tr", count: 30 }, { from_country: "tr", to_country: "bg", count: 22 }, { from_country: "de", to_country: "fr", count: 15 }, { from_country: "fr", to_country: "gb", count: 50 }, { from_country: "XK", to_country: "de", count: 4 }, { from_country: "zz", to_country: "gb", count: 1 }],
    seizures: [{ id: "s1", date: "2024-03-02", country: "fr", location: "Gravelines" }, { id: "s2", date: "2024-04-11", country: "de", location: "Essen" }] };
  if (p === "/api/dashboard") {
    const monthly = Array.from({ length: 36 }, (_v, i) => { const y = 2022 + Math.floor(i / 12), m = (i % 12) + 1; const boats = 20 + ((i * 37) % 60); return { month: `${y}-${String(m).padStart(2, "0")}`, boats, arrivals: boats * (40 + (i % 20)) }; });
    return { small_boats: { monthly, yearly: [{ year: 2022, arrivals: 45774, boats: 1110, people_per_boat: 41 }, { year: 2023, arrivals: 29437, boats: 602, people_per_boat: 49 }, { year: 2024, arrivals: 36816, boats: 695, people_per_boat: 53 }] },
      workspace: { investigations: 12, arrests: 34, seizures: 7, posts: 210 }, trends: trends() };
  }
  if (p === "/api/audit") return [{ seq: 1, at: "2024-05-01T10:00:00Z", user: "analyst", agency: "NCA", action: "consultation", what: "GET /api/entities/0123456789abcdef0123456789abcdef01234567", why: "mock purpose", recipients: [] }];
  if (p === "/api/ingest") return { batch: { id: "b5", statements: 120 }, quarantine: [{ row: 7, reason: "unparseable date" }] };
  return moneyRoute(p, url) ?? 404;
}

export function mockApi(): Plugin {
  return {
    name: "pinchpoint-mock-api",
    apply: "serve",
    configureServer(server) {
      server.middlewares.use(handler);
    },
    configurePreviewServer(server) {
      server.middlewares.use(handler);
    },
  };
}

function handler(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (!req.url?.startsWith("/api/")) return next();
  const url = new URL(req.url, "http://localhost");
  const auth = req.headers.authorization;
  res.setHeader("Content-Type", "application/json");
  if (url.pathname !== "/api/login" && auth !== "Bearer dev-token") {
    res.statusCode = 401;
    res.end(JSON.stringify({ detail: "Not signed in" }));
    return;
  }
  void readJson(req).then((sent) => {
    const body = route(req.method ?? "GET", url, sent);
    if (body === 404) {
      res.statusCode = 404;
      res.end(JSON.stringify({ detail: "Not found" }));
      return;
    }
    if (body instanceof MockFile) {  // a CSV or PDF download
      res.setHeader("Content-Type", body.type);
      setTimeout(() => res.end(body.body), 150);
      return;
    }
    setTimeout(() => res.end(JSON.stringify(body)), 150);
  });
}

/** A request's JSON body ({} for none, or for a form such as an upload). */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers["content-type"] ?? "").includes("application/json")) return {};
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf-8"));
    return parsed && typeof parsed === "object" ? parsed as Record<string, unknown> : {};
  } catch {
    return {};
  }
}
