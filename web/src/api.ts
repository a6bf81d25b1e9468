// Typed client for the Pinchpoint REST API. Every request except login carries
// the bearer token (kept in sessionStorage) and the X-Purpose header.

export interface Me {
  user: string;
  agency: string;
  role: string;
  clearance?: string;
}

export interface LoginResponse extends Me {
  token: string;
}

/** [statements, entities] in the contract; {statements, entities} from the server. */
export type Count = [number, number] | { statements: number; entities: number };

export interface Status {
  statements: number;
  entities: number;
  quarantined: number;
  batches: number;
  by_source?: Record<string, Count>;
  by_schema?: Record<string, Count>;
  by_owner?: Record<string, Count>;
  resolved?: boolean | number | string;
  [extra: string]: unknown;
}

export interface SearchHit {
  id: string;
  schema: string;
  label: string;
  names?: string[];
  score?: number;
  match?: string;
}

export interface NameValue {
  value: string;
  lang?: string | null;
  script?: string | null;
  prop?: string | null;
  owner?: string | null;
  source?: string | null;
}

export interface Statement {
  prop: string;
  value: string;
  original_value?: string | null;
  owner?: string | null;
  source?: string | null;
  record?: string | null;
  source_grade?: string | number | null;
  info_grade?: string | number | null;
  grade_original?: string | null;
  handling?: string | null;
  handling_conditions?: string | string[] | null;
  classification?: string | null;
  first_seen?: string | null;
  last_seen?: string | null;
}

export interface Banners {
  classification?: string | null;
  handling?: { code: string; conditions?: string | string[] | null }[];
}

export interface Entity {
  id: string;
  schema: string;
  label: string;
  names?: NameValue[];
  records?: string[];
  statements?: Statement[];
  first_seen?: string | null;
  last_seen?: string | null;
  /** When the records say it was active (dates of the events naming it; docs/api.md). */
  active_first?: string | null;
  active_last?: string | null;
  active_events?: number;
  category?: string | null;
  banners?: Banners;
  /** The profile card's names with counts, key facts and network standing (docs/api.md). */
  summary?: EntitySummary;
}

/** One name of an entity, its spellings deduplicated, with how many statements give it. */
export interface SummaryName {
  value: string;
  count: number;
  script?: string;
  props?: string[];
  spellings?: string[];
}

/** A key fact (date of birth, nationality, phones, documents...), each value counted. */
export interface SummaryFact {
  key: string;
  label: string;
  values: { value: string; text: string; count: number; kinds: string[] }[];
}

/** Where the entity stands in the caller's whole network (`status` "ranked" when in it). */
export interface SummaryNetwork {
  status: "ranked" | "not resolved" | "not in the network" | "unavailable";
  reason?: string;
  group?: { id: string; name: string; size: number };
  score?: number | null;
  rank?: number | null;
  ranked?: number;
  broker_role?: string | null;
  suggested_role?: string | null;
  protected?: boolean;
  linked?: number;
  links?: { type: string; links: number; records: number }[];
}

export interface EntitySummary {
  names: SummaryName[];
  facts: SummaryFact[];
  withheld: boolean;
  network: SummaryNetwork;
}

/** One of the agency's judgements (GET /api/judgements), its two records named. */
export interface Judgement {
  id: string;
  left: string;
  right: string;
  verdict: "same" | "different" | "unsure";
  reason: string;
  user: string;
  agency: string;
  created_at: string;
  undone_at: string | null;
  undone_by: string | null;
  undo_reason: string | null;
  active?: boolean;
  left_label?: string | null;
  right_label?: string | null;
}

export interface NetNode {
  id: string;
  label?: string;
  category?: string | null;
  role?: string | null;
  group?: string | number | null;
  score?: number | null;
  /** The broker role (Gould-Fernandez) the neighbourhood gives; none for a victim or witness. */
  broker_role?: string | null;
  /** A victim or witness (recorded so, or details withheld): never a target. */
  protected?: boolean;
}

export interface NetEdge {
  source: string;
  target: string;
  type?: string;
  weight?: number;
  evidence?: unknown;
  first_seen?: string | null;
  last_seen?: string | null;
}

export interface Neighbourhood {
  nodes: NetNode[];
  edges: NetEdge[];
}

export interface RankRow {
  id: string;
  label: string;
  score: number;
  rank: number;
  ingredients?: Record<string, { value?: number; scaled?: number; weight?: number; contribution?: number }>;
  group?: string | number | null;
  role?: string | null;
  broker_role?: string | null;
}

export interface Group {
  id: string | number;
  name?: string;
  size?: number;
  members?: (string | { id: string; [k: string]: unknown })[];
  [extra: string]: unknown;
}

export type Strategy = "betweenness" | "degree" | "katz" | "ci" | "pagerank" | "kpp";

export interface PlanRequest {
  k: number;
  strategy: Strategy;
  mode: "sequential" | "block";
  rewire: boolean;
  targets?: string[];
}

export interface PlanTarget {
  id: string;
  label?: string;
  raid?: number;
  score?: number;
  lcc_after?: number;
  reason?: string;
  [extra: string]: unknown;
}

export interface PlanResponse {
  targets: string[];
  curve: number[];
  labels?: string[];
  target_details?: PlanTarget[];
  baseline_curve?: number[] | null;
  lcc_start?: number;
  fragmentation?: number | null;
  notes?: string[];
  [extra: string]: unknown;
}

/** POST /api/network/plan/compare: several strategies and random arrests, same k. */
export interface PlanCompareRequest {
  k: number;
  strategies: Strategy[];
  mode: "sequential" | "block";
  rewire: boolean;
  random_runs: number;
}

export interface PlanCompareResponse {
  k: number;
  mode: string;
  rewire: boolean;
  lcc_start: number;
  /** One plan per strategy asked for, in that order, each with its `about` in words. */
  strategies: (PlanResponse & { strategy: Strategy; about: string })[];
  /** Random arrests: the mean curve and its lowest and highest per arrest. */
  random: { runs: number; seed: number; mean: number[]; low: number[]; high: number[] };
}

export interface PathHop {
  source: string;
  target: string;
  type?: string;
  evidence?: unknown;
  links?: NetEdge[];
  when?: string | null;
}

export interface PathItem {
  nodes: (string | NetNode)[];
  labels?: string[];
  hops?: PathHop[];
  cost?: number;
  [k: string]: unknown;
}

/** The contract says {paths: [...]}; the server returns the list itself. Both are accepted. */
export type PathResponse = { paths: PathItem[] } | PathItem[];

export interface ExplanationStep {
  label?: string;
  comparison?: string;
  level?: string;
  left?: string;
  right?: string;
  weight: number;
  [extra: string]: unknown;
}

export interface ReviewItem {
  left: string;
  right: string;
  probability?: number;
  left_statements?: Statement[];
  right_statements?: Statement[];
  why?: string;
  impact?: number;
  left_names?: string[];
  right_names?: string[];
  left_category?: string | null;
  right_category?: string | null;
  explanation?: {
    steps?: ExplanationStep[]; match_weight?: number; probability?: number; match_probability?: number;
    threshold?: number; same_entity?: boolean; held?: string; [k: string]: unknown;
  } | null;
  [extra: string]: unknown;
}

export interface TimelineEvent {
  id: string;
  schema: string | null;
  date: string;
  end?: string | null;
  label: string;
  parties?: string[];
}

/** `GET /api/timeline`'s filter: party (an entity id), kind (comma-separated), period, page. */
export type TimelineQuery = {
  party?: string;
  kind?: string;
  since?: string;
  until?: string;
  offset?: number;
  limit?: number;
};

/** One page of the filtered timeline: `total` events match, `kinds` counts each kind. */
export interface TimelinePage {
  total: number;
  offset: number;
  limit: number;
  party: string | null;
  kinds: Record<string, number>;
  items: TimelineEvent[];
  labels: Record<string, string>;
}

export interface MapData {
  places: { name: string; country?: string; lat?: number | null; lon?: number | null; count?: number }[];
  routes: { from_country: string; to_country: string; count?: number }[];
  seizures: { id: string; date?: string; country?: string; location?: string; lat?: number; lon?: number }[];
}

export interface BoatRow {
  month?: string;
  year?: number | string;
  period?: string;
  arrivals: number;
  boats: number;
  people_per_boat?: number | null;
}

export interface Dashboard {
  small_boats: { monthly: BoatRow[]; yearly: BoatRow[]; available?: boolean; source?: string | null };
  workspace: Record<string, number>;
  /** The workspace's own trends per month (issue 19); absent from an older server. */
  trends?: Trends;
}

/** One breakdown row of the trends: a route or a nationality, its count per month. */
export interface TrendRow { key: string; name: string; total: number; earlier: number; counts: number[] }

/** GET /api/dashboard `trends`: counts per month of what the caller's scope sees. */
export interface Trends {
  months: string[];
  /** Months only partly covered by the data: the first, the last and the current one. */
  partial: string[];
  current_month: string;
  first_day: string | null;
  last_day: string | null;
  series: Record<"crossings" | "payments" | "seizures" | "people", number[]>;
  earlier: Record<string, number>;
  totals: Record<string, number>;
  undated_people: number;
  by_route: TrendRow[];
  by_nationality: TrendRow[];
}

/** A dated place on the map: a launch or landing point, or another place of an event. */
export interface TransitPoint {
  name: string; kind: string; lat: number; lon: number; country: string; precision: string;
  count: number; first: string; last: string;
}

/** GET /api/map?since=&until=: the map, with transit points, for a period. */
export interface MapPeriodData extends MapData {
  transit: TransitPoint[];
  months: string[];
  since: string | null;
  until: string | null;
  unplaced: number;
}

export interface AuditRow {
  seq: number;
  at: string;
  user: string;
  agency?: string;
  action: string;
  what?: unknown;
  why?: string;
  recipients?: unknown;
}

/** A user as an administrator sees them (GET /api/admin/users). */
export interface AdminUser {
  name: string;
  agency: string;
  role: string;
  clearance: string;
  disabled: boolean;
}

/** An active grant the caller's agency made or receives (GET /api/admin/grants). */
export interface AdminGrant {
  id: string;
  direction: "made" | "received";
  owner: string;
  recipient: string;
  recipient_kind: "agency" | "group";
  source: string | null;
  victim_details: boolean;
  granted_by: string;
  granted_at: string;
  reason: string;
}

/** Every money answer names the base currency its sums are in, and where the rates came from. */
export interface MoneyBase {
  base: string;
  rates: string;
}

export interface MoneyFlows extends MoneyBase {
  nodes: { id: string; label: string; volume: string }[];
  links: { source: string; target: string; value: string; payments: number }[];
}

export interface MoneyAlert {
  typology: string;
  score: number;
  why: string;
  payments: string[];
  references: string[];
  parties: { id: string; label: string }[];
  start: string;
  end: string;
  total: string;
  currency: string;
  source_grade?: string;
  info_grade?: string;
  handling?: string[];
  conditions?: string[];
  classification?: string;
  owners?: string[];
  sources?: string[];
}

export interface MoneyPayment {
  payment: string;
  payer: string;
  beneficiary: string;
  payer_label?: string;
  beneficiary_label?: string;
  date: string;
  amount: string;
  currency: string;
  value?: string | null;
  reference?: string | null;
  provenance?: { source_grade?: string; info_grade?: string; handling?: string[]; classification?: string; owners?: string[]; sources?: string[] };
}

export interface TraceStep extends MoneyPayment {
  hop: number;
  carried: string;
  from: string;
  from_label: string;
  to: string;
  to_label: string;
  parents: number[];
}

export interface MoneyTrace extends MoneyBase {
  start: string;
  direction: "out" | "in";
  steps: TraceStep[];
  labels: Record<string, string>;
  held: { party: string; label: string; amount: string }[];
  unconverted: number;
}

export interface PartyMoney extends MoneyBase {
  party: string;
  label: string;
  received: string;
  sent: string;
  kept: string;
  payments_in: number;
  payments_out: number;
  unconverted: number;
  first: string | null;
  last: string | null;
  counterparties: { party: string; label: string; received: string; sent: string; payments: number }[];
}

export interface GroupLeaders {
  group: string;
  name?: string;
  members: { id: string; label: string; score: number; role: string | null; why: string }[];
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public body?: unknown,
  ) {
    super(message);
  }
}

const TOKEN_KEY = "pinchpoint.token";
const PURPOSE_KEY = "pinchpoint.purpose";

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  /** Why the analyst is looking, as typed; "" until they type one (never a default: the
   *  audit log keeps it as the justification of every read). */
  get purpose(): string {
    return sessionStorage.getItem(PURPOSE_KEY) ?? "";
  },
  set purpose(value: string) {
    if (value.trim()) sessionStorage.setItem(PURPOSE_KEY, value.trim());
    else sessionStorage.removeItem(PURPOSE_KEY);
  },
};

/** Thrown, before anything is sent, by a request made while no purpose is typed. */
export class PurposeNeeded extends Error {
  constructor() {
    super("Type a purpose (why you are looking) in the Purpose field at the top first: nothing is fetched without one.");
    this.name = "PurposeNeeded";
  }
}

/** The only requests sent without a purpose: signing in and out, and asking who the token's
 *  user is (to draw the header that holds the Purpose field). */
const NO_PURPOSE_NEEDED = new Set(["/api/login", "/api/logout", "/api/me"]);

/** The X-Purpose header for a request to `path`; PurposeNeeded when it needs one and none is typed. */
function purposeHeader(path: string): Record<string, string> {
  const purpose = session.purpose;
  if (purpose) return { "X-Purpose": purpose };
  if (NO_PURPOSE_NEEDED.has(path)) return {};
  throw new PurposeNeeded();
}

/** Called when the server says the token is no longer valid. */
let onUnauthorised: () => void = () => undefined;
export function setUnauthorisedHandler(fn: () => void): void {
  onUnauthorised = fn;
}

function detailOf(body: unknown, fallback: string): string {
  if (body && typeof body === "object" && "detail" in body) {
    const d = (body as { detail: unknown }).detail;
    if (typeof d === "string") return d;
    return JSON.stringify(d);
  }
  if (typeof body === "string" && body.trim()) return body.slice(0, 300);
  return fallback;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: { signal?: AbortSignal; auth?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...purposeHeader(path) };
  const auth = opts.auth ?? true;
  if (auth && session.token) headers.Authorization = `Bearer ${session.token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "The server could not be reached.");
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && auth) onUnauthorised();
    throw new ApiError(res.status, detailOf(parsed, `${res.status} ${res.statusText}`), parsed);
  }
  return parsed as T;
}

function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    u.set(k, String(v));
  }
  const s = u.toString();
  return s ? `?${s}` : "";
}

/** One number, e-mail address or handle found on many seized phones (GET /api/phones/common). */
export interface PhoneCommon {
  identifier: string;
  kind: string;
  devices: number;
  arrival_devices: number;
  contacts: number;
  first_contact: string | null;
  last_contact: string | null;
  dated_devices: number;
  before_seizure: number;
  names: { name: string; agency: string; devices: number }[];
}

export interface PhonesCommonality {
  min_devices: number;
  candidates: number;
  protected: number;
  disputed: { identifier: string; devices: number; protected_by: string[]; accused_by: string[] }[];
  ranked: PhoneCommon[];
}

export interface PhoneDevices {
  identifier: string;
  devices: { device: string; seized_at: string | null }[];
}

/** A place of the supply chain as the records write it; coordinates only where known. */
export interface SupplyPlace { name: string; lat: number | null; lon: number | null; country: string; precision: string }

export interface SupplyParty { handler: string; label: string; role: string; entity: string }

export interface SupplySighting {
  kind: string; ref: string; date: string; place: SupplyPlace; country: string; serial: string;
  parties: SupplyParty[]; plates: string[]; site: string; record: string;
}

export interface SupplyChain {
  id: string; kind: string; make: string; model: string; serial: string;
  seizures: SupplySighting[]; links: SupplySighting[]; handlers: SupplyParty[]; suppliers: SupplyParty[];
  import_to_seizure_days: number | null;
}

export interface SupplyChains {
  items: number;
  chains: SupplyChain[];
  legs: { from: SupplyPlace; to: SupplyPlace; items: number }[];
  places: SupplyPlace[];
}

export interface SupplyHub {
  id: string; label: string; schema: string; seized_items: number; seizures: number; countries: string[];
  buyers: number; items: number; roles: string[]; record_count: number;
}

export interface SupplyHubs {
  hubs: SupplyHub[];
  makes_over_time: { month: string; kind: string; make: string; model: string; count: number }[];
  disputed: { handler: string; label: string; protected_by: string[]; accused_by: string[] }[];
  import_to_seizure: { items: number; median_days: number | null; quartile_days: number[] | null; shortest_days: number | null; longest_days: number | null; distribution: Record<string, number> };
}

export interface SupplyPlan {
  boats: number; engines: number; unreachable_boats: number;
  steps: { rank: number; target: string; kind: string; label: string; boats: number; engines: number; cumulative_boats: number; cumulative_engines: number }[];
}

/** One kind the server can ingest (GET /api/ingest/kinds), in the server's order. */
export interface IngestKind {
  name: string;
  description: string;
  tabular: boolean;
  needs_mapping: boolean;
  columns: string[];
  required: string[];
  extensions: string[];
}

/** A column's suggested property: "19 of 20 values are phone numbers". */
export interface ColumnSuggestion {
  column: string;
  kind: string;
  schema: string;
  prop: string;
  share: number;
  format: string | null;
  examples: string[];
  reason: string;
}

/** What an uploaded file looks like (POST /api/ingest/inspect). */
export interface InspectResult {
  file: string;
  kind: string | null;
  kind_reason: string;
  tabular: boolean;
  sheets: string[] | null;
  sheet: string | null;
  header: string[];
  rows: string[][];
  lines: number[];
  suggestions: ColumnSuggestion[];
  mapping: string;
}

export interface PreviewProperty { prop: string; label: string; values: string[]; link?: boolean }

export interface PreviewEntity {
  id: string;
  schema: string;
  caption: string;
  entity: string;
  lines: number[];
  properties: PreviewProperty[];
}

export interface QuarantineEntry {
  file: string;
  line: number | null;
  locator?: string | null;
  field: string | null;
  raw_value: string | null;
  reason: string;
  row_rejected: boolean;
  batch?: string;
  [extra: string]: unknown;
}

/** The entities a mapping makes from the file's first rows (POST /api/ingest/preview). */
export interface PreviewResult {
  rows: number;
  rejected: number;
  notes?: string[];
  entities: PreviewEntity[];
  quarantine: QuarantineEntry[];
}

export interface SchemaProperty { name: string; label: string; type: string; range: string | null }

/** A schema a mapping may make (GET /api/schemata): non-abstract, settable properties only. */
export interface SchemaInfo {
  name: string;
  label: string;
  plural: string;
  edge: boolean;
  matchable: boolean;
  properties: SchemaProperty[];
}

export interface SavedMappingSummary { name: string; saved_by: string; saved_at: string; entities: string[] }
export interface SavedMapping { name: string; yaml: string; saved_by: string; saved_at: string }

/** A batch's collection record (one file ingested once). */
export interface BatchInfo {
  id: string;
  kind: string;
  path: string;
  file_hash?: string;
  source: string;
  owner: string;
  user: string;
  reason: string | null;
  started_at: string;
  finished_at: string;
  rows_read: number;
  rows_stored: number;
  rows_rejected: number;
  values_quarantined: number;
  statements_added: number;
  statements_seen: number;
  entities: number;
}

export interface IngestResult {
  batch: BatchInfo;
  notes?: unknown[];
  quarantine?: QuarantineEntry[];
  quarantine_total?: number;
}

export interface QuarantinePage { total: number; items: QuarantineEntry[] }

/** GET a file (CSV, ...) with the same headers as `request`; a Blob for a download link. */
function fetchBlob(path: string): Promise<Blob> {
  return blobOf(path, "GET");
}

/** POST JSON and take a file back (a match filter), with the same headers as `request`. */
function postBlob(path: string, body: unknown): Promise<Blob> {
  return blobOf(path, "POST", body);
}

async function blobOf(path: string, method: "GET" | "POST", body?: unknown): Promise<Blob> {
  const headers: Record<string, string> = { ...purposeHeader(path) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "The server could not be reached.");
  }
  if (!res.ok) {
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* plain text */
    }
    if (res.status === 401) onUnauthorised();
    throw new ApiError(res.status, detailOf(parsed, `${res.status} ${res.statusText}`), parsed);
  }
  return res.blob();
}

function formOf(fields: Record<string, string | Blob | null | undefined>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined || v === "") continue;
    if (v instanceof File) fd.append(k, v, v.name);
    else fd.append(k, v);
  }
  return fd;
}

/** A text table's first megabyte, cut after its last whole line: what a first look and a
 * preview read (20 to 200 rows), without sending a large file again on every edit. A
 * workbook (a zip) cannot be cut, and goes whole; so does any file of that size or less. */
const HEAD_BYTES = 1 << 20;
async function headOf(file: File): Promise<File> {
  if (file.size <= HEAD_BYTES || !/\.(csv|tsv|txt)$/i.test(file.name)) return file;
  const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
  const end = head.lastIndexOf(0x0a);
  return new File([head.subarray(0, end > 0 ? end + 1 : head.length)], file.name, { type: file.type });
}

/** One person of GET /api/network/people: a kingpin-ranking row with its group's name,
 *  the suggested role and whether the person heads the group (`head`, `why`). */
export interface KeyPerson extends RankRow {
  group_name?: string | null;
  group_size?: number | null;
  suggested_role?: string | null;
  head: boolean;
  why?: string | null;
}

/** GET /api/network/people: the top people, how many could be ranked, each part's weight. */
export interface KeyPeople {
  total: number;
  weights: Record<string, number>;
  people: KeyPerson[];
}

export const api = {
  login: (username: string, password: string) =>
    request<LoginResponse>("POST", "/api/login", { username, password }, { auth: false }),
  logout: () => request<unknown>("POST", "/api/logout"),
  me: () => request<Me>("GET", "/api/me"),
  status: () => request<Status>("GET", "/api/status"),
  search: (q: string, limit = 20, signal?: AbortSignal) =>
    request<SearchHit[]>("GET", `/api/search${qs({ q, limit })}`, undefined, { signal }),
  entity: (id: string) => request<Entity>("GET", `/api/entities/${encodeURIComponent(id)}`),
  neighbourhood: (id: string, p: { hops?: number; types?: string; since?: string; until?: string } = {}) =>
    request<Neighbourhood>("GET", `/api/entities/${encodeURIComponent(id)}/neighbourhood${qs(p)}`),
  rank: (top = 20) => request<RankRow[]>("GET", `/api/network/rank${qs({ top })}`),
  groups: () => request<{ groups: Group[]; [k: string]: unknown }>("GET", "/api/network/groups"),
  plan: (p: PlanRequest) => request<PlanResponse>("POST", "/api/network/plan", p),
  planCompare: (p: PlanCompareRequest) => request<PlanCompareResponse>("POST", "/api/network/plan/compare", p),
  path: (a: string, b: string, k = 1) => request<PathResponse>("GET", `/api/network/path${qs({ a, b, k })}`),
  /** A path over links of `types` only (comma-separated; all types when left out). */
  pathOfTypes: (a: string, b: string, p: { k?: number; types?: string } = {}) =>
    request<PathResponse>("GET", `/api/network/path${qs({ a, b, k: p.k ?? 1, types: p.types })}`),
  review: (limit = 20) => request<ReviewItem[]>("GET", `/api/review${qs({ limit })}`),
  judge: (left: string, right: string, verdict: "same" | "different" | "unsure", reason: string) =>
    request<unknown>("POST", "/api/judgements", { left, right, verdict, reason }),
  /** The agency's newest judgements first (undone ones too with `all`). */
  judgements: (limit = 20, all = true) => request<Judgement[]>("GET", `/api/judgements${qs({ limit, all })}`),
  undoJudgement: (id: string, reason: string) =>
    request<Judgement>("POST", `/api/judgements/${encodeURIComponent(id)}/undo`, { reason }),
  timeline: (p: TimelineQuery) =>
    request<TimelinePage>("GET", `/api/timeline${qs(p)}`),
  map: () => request<MapData>("GET", "/api/map"),
  mapPeriod: (since?: string, until?: string) => {
    const q = new URLSearchParams();
    if (since) q.set("since", since);
    if (until) q.set("until", until);
    const text = q.toString();
    return request<MapPeriodData>("GET", text ? `/api/map?${text}` : "/api/map");
  },
  dashboard: () => request<Dashboard>("GET", "/api/dashboard"),
  audit: (p: { action?: string; limit?: number }) => request<AuditRow[]>("GET", `/api/audit${qs(p)}`),
  leaders: () => request<GroupLeaders[]>("GET", "/api/network/leaders"),
  people: (top = 100) => request<KeyPeople>("GET", `/api/network/people${qs({ top })}`),
  moneyFlows: (top = 25) => request<MoneyFlows>("GET", `/api/money/flows${qs({ top })}`),
  moneyAlerts: (typology?: string) => request<MoneyBase & { alerts: MoneyAlert[] }>("GET", `/api/money/alerts${qs({ typology, top: 200 })}`),
  moneyPayments: (ids: string[]) =>
    request<MoneyBase & { payments: MoneyPayment[] }>("GET", `/api/money/payments?${ids.map((i) => `id=${encodeURIComponent(i)}`).join("&")}`),
  moneyTrace: (p: { from: string; to?: string; since?: string; until?: string; back?: boolean }) =>
    request<MoneyTrace>("GET", `/api/money/trace${qs(p)}`),
  phonesCommon: (minDevices = 2, top = 50) =>
    request<PhonesCommonality>("GET", `/api/phones/common${qs({ min_devices: minDevices, top })}`),
  phoneDevices: (identifier: string) => request<PhoneDevices>("GET", `/api/phones/devices${qs({ identifier })}`),
  supplyChains: (top = 50) => request<SupplyChains>("GET", `/api/supply/chains${qs({ top })}`),
  supplyHubs: (top = 20) => request<SupplyHubs>("GET", `/api/supply/hubs${qs({ top })}`),
  supplyPlan: (steps = 5) => request<SupplyPlan>("GET", `/api/supply/plan${qs({ steps })}`),
  partyMoney: (id: string, top = 5) => request<PartyMoney>("GET", `/api/money/party/${encodeURIComponent(id)}${qs({ top })}`),
  adminUsers: () => request<AdminUser[]>("GET", "/api/admin/users"),
  adminGrants: () => request<AdminGrant[]>("GET", "/api/admin/grants"),
  /** Disable or enable a user; the reason goes into the audit log. */
  setUserEnabled: (name: string, enabled: boolean, reason: string) =>
    request<unknown>("POST", `/api/users/${encodeURIComponent(name)}/${enabled ? "enable" : "disable"}`, { reason }),
  revokeGrant: (id: string, reason: string) =>
    request<AdminGrant>("POST", `/api/admin/grants/${encodeURIComponent(id)}/revoke`, { reason }),
  ingest: (form: FormData) => request<{ batch: Record<string, unknown>; quarantine: unknown[]; notes?: unknown[] }>("POST", "/api/ingest", form),
  /** The same POST /api/ingest, typed as the issue-18 contract describes the answer. */
  ingestBatch: (form: FormData) => request<IngestResult>("POST", "/api/ingest", form),
  resolve: () => request<Record<string, unknown>>("POST", "/api/resolve"),
  parseMapping: (yaml: string) => request<{ document: unknown; problem: string | null }>("POST", "/api/mappings/parse", { yaml }),
  ingestKinds: () => request<IngestKind[]>("GET", "/api/ingest/kinds"),
  inspect: async (file: File, p: { sheet?: string; phone_region?: string } = {}, signal?: AbortSignal) =>
    request<InspectResult>("POST", "/api/ingest/inspect", formOf({ file: await headOf(file), sheet: p.sheet, phone_region: p.phone_region }), { signal }),
  preview: async (file: File, mapping: string, p: { sheet?: string; phone_region?: string; rows?: number } = {}, signal?: AbortSignal) =>
    request<PreviewResult>("POST", "/api/ingest/preview",
      formOf({ file: await headOf(file), mapping, sheet: p.sheet, phone_region: p.phone_region, rows: p.rows === undefined ? undefined : String(p.rows) }), { signal }),
  schemata: () => request<SchemaInfo[]>("GET", "/api/schemata"),
  mappings: () => request<SavedMappingSummary[]>("GET", "/api/mappings"),
  mapping: (name: string) => request<SavedMapping>("GET", `/api/mappings/${encodeURIComponent(name)}`),
  saveMapping: (name: string, yaml: string, reason?: string) =>
    request<SavedMapping>("PUT", `/api/mappings/${encodeURIComponent(name)}`, reason ? { yaml, reason } : { yaml }),
  deleteMapping: (name: string) => request<{ deleted: string }>("DELETE", `/api/mappings/${encodeURIComponent(name)}`),
  batches: () => request<BatchInfo[]>("GET", "/api/batches"),
  quarantine: (batch: string, offset = 0, limit = 100) =>
    request<QuarantinePage>("GET", `/api/quarantine${qs({ batch, offset, limit })}`),
  quarantineCsv: (batch: string) => fetchBlob(`/api/quarantine.csv${qs({ batch })}`),
  /** Record a file about to be saved as a disclosure (exports.ts saves it only once this answers). */
  recordExport: (e: ExportRequest) => request<ExportRecord>("POST", "/api/exports", e),
  /** The whole filtered timeline as CSV (every page; the server records the disclosure). */
  timelineCsv: (p: TimelineQuery) => fetchBlob(`/api/timeline.csv${qs({ party: p.party, kind: p.kind, since: p.since, until: p.until })}`),
  /** A person's briefing pack as PDF, marked on every page (the server records the disclosure). */
  briefingPdf: (id: string) => fetchBlob(`/api/entities/${encodeURIComponent(id)}/briefing.pdf`),
  /** Hit/no-hit (issue 20): the agency's hits on partners' filters (of one entity, with `entity`). */
  matchHits: (entity?: string) => request<MatchHit[]>("GET", `/api/match/hits${qs({ entity })}`),
  /** The agency's sharing groups and their other members (whom a filter is made for). */
  matchGroups: () => request<MatchGroup[]>("GET", "/api/match/groups"),
  /** Check our own people against a partner's filter file; the hits are kept. */
  matchCheck: (file: File, reason: string) => request<MatchCheck>("POST", "/api/match/check", formOf({ file, reason })),
  /** A filter of our shareable people for a sharing group, as a file (supervisors). */
  matchFilter: (group: string, reason: string) => postBlob("/api/match/filter", { group, reason }),
  matchRequests: () => request<MatchRequest[]>("GET", "/api/match/requests"),
  /** Ask a filter's owner about our hits on its filter (of `entities`, or all). */
  matchAsk: (to: string, reason: string, entities?: string[]) =>
    request<MatchRequest>("POST", "/api/match/requests", { to, reason, entities }),
  /** The owner's answer: disclose the matched people, or decline (supervisors). */
  matchAnswer: (id: string, disclose: boolean, reason: string) =>
    request<MatchRequest>("POST", `/api/match/requests/${encodeURIComponent(id)}/answer`, { disclose, reason }),
  /** A request or answer file from a partner on another instance. */
  matchReceive: (file: File, reason: string) => request<MatchRequest>("POST", "/api/match/receive", formOf({ file, reason })),
};

/** `POST /api/exports`: what the browser is about to save (routes_exports.py). */
export interface ExportRequest {
  what: string;
  format: "csv" | "svg" | "png";
  rows?: number;
  purpose?: string;
  to?: string;
  file?: string;
}

/** The disclosure as the audit log keeps it. */
export interface ExportRecord {
  what: string;
  format: "csv" | "svg" | "png";
  rows: number | null;
  purpose: string;
  recipients: string[];
}

/** One hit on a partner's filter (GET /api/match/hits): who holds something, on what kinds. */
export interface MatchHit {
  entity?: string;
  label?: string;
  sender: string;
  sender_name: string;
  group: string;
  kinds: string[];
  strength: number;
  grade: "strong" | "medium" | "weak";
  exact?: Record<string, boolean>;
  checked_at: string;
}

export interface MatchGroup {
  group: string;
  members: { agency: string; name: string }[];
}

/** POST /api/match/check: which of our people a partner's filter holds something on. */
export interface MatchCheck {
  sender: string;
  sender_name: string;
  group: string;
  people: number;
  kinds: string[];
  names_comparable: boolean;
  hits: { entity: string; label: string; kinds: string[]; strength: number; grade: string }[];
}

/** One of our people a request names (ours only: never the other agency's). */
export interface MatchPerson {
  id: string;
  label: string;
}

/** A request as our side sees it: as requester the person each item is about (`entity`),
 *  as owner which of our people each item matches (`matches`). */
export interface MatchRequest {
  id: string;
  side: "sent" | "received";
  requester: string;
  owner: string;
  requester_name: string;
  owner_name: string;
  group: string;
  created_at: string;
  created_by: string;
  reason: string;
  status: "open" | "disclosed" | "declined";
  decided_at: string | null;
  decided_by: string | null;
  decision_reason: string | null;
  remote: boolean;
  items: { ref: string; kinds: string[]; strength: number; grade: string; entity?: MatchPerson | null; matches?: MatchPerson[] }[];
  matched: number | null;
  shared: { sources: string[]; entities?: number | null; package: boolean } | null;
  /** The signed request (sent to an owner elsewhere) or answer (to a requester elsewhere), base64. */
  file?: string;
  /** A disclosure's signed share package for a requester elsewhere, base64. */
  package?: string;
}
