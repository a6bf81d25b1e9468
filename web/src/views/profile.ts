import { api, type Entity, type EntitySummary, type PartyMoney, type Statement, type SummaryNetwork } from "../api";
import { brokerWords } from "../brokerRoles";
import { money, requestError, partyName } from "../moneyfmt";
import { h, replace, loading, empty, errorState, entityLink, thead } from "../dom";
import { exportButton } from "../exports";
import { partnersPanel } from "./partners";
import { classificationBanner, conditionsText, gradeBadge, handlingBanners, highestClassification, scriptOf } from "../provenance";

const NAME_PROPS = new Set(["name", "alias", "weakAlias", "previousName", "firstName", "lastName", "fatherName", "middleName"]);

export function profileView(root: HTMLElement, _params: URLSearchParams, path: string[]): void {
  const id = path[0];
  if (!id) {
    replace(root, empty("No entity selected. Use search to find one."));
    return;
  }
  const load = async () => {
    replace(root, loading("Loading entity"));
    try {
      const e = await api.entity(id);
      replace(root, render(e));
    } catch (err) {
      replace(root, errorState(err, () => void load()));
    }
  };
  void load();
}

function render(e: Entity): HTMLElement {
  const statements = e.statements ?? [];
  const top = highestClassification(e.banners, statements);
  const byProp = new Map<string, Statement[]>();
  for (const s of statements) {
    const list = byProp.get(s.prop) ?? [];
    list.push(s);
    byProp.set(s.prop, list);
  }
  const aliases = statements.filter((s) => s.prop !== "name" && NAME_PROPS.has(s.prop));
  const moneyOnce = onceAtATime(() => api.partyMoney(e.id));
  return h("article", { class: "profile", testid: "entity-profile", "aria-labelledby": "entity-title" },
    classificationBanner(top),
    handlingBanners(e.banners, statements),
    h("header", { class: "profile-header", testid: "profile-header" },
      h("h1", { id: "entity-title", dir: "auto", testid: "profile-title" }, e.label || e.id),
      h("div", { class: "profile-meta" },
        h("span", { class: "badge" }, e.schema),
        e.category ? h("span", { class: `badge category-${e.category}`, testid: "profile-category" }, e.category) : null,
        h("span", { class: "muted" }, " id ", h("code", { "data-id-field": "" }, e.id)),
        activeLine(e)),
      h("nav", { class: "profile-actions", "aria-label": "Entity actions" },
        h("a", { class: "button secondary", href: `#/network?id=${encodeURIComponent(e.id)}`, testid: "profile-network-link" }, "Network"),
        h("a", { class: "button secondary", href: `#/timeline?party=${encodeURIComponent(e.id)}` }, "Timeline"),
        briefingButton(e))),
    summaryCard(e, moneyOnce),
    partnersPanel(e.id),
    moneySection(moneyOnce),
    // The long lists, closed by default: every name with its source, every statement with
    // its provenance, every source record (the card above says what they add up to).
    h("details", { class: "card profile-details", testid: "profile-details" },
      h("summary", { testid: "profile-details-toggle" },
        `All names, facts and provenance (${statements.length} statement${statements.length === 1 ? "" : "s"}, ${e.records?.length ?? 0} source record${e.records?.length === 1 ? "" : "s"})`),
      namesSection(e, aliases),
      h("section", { "aria-labelledby": "prov-title" },
        h("h2", { id: "prov-title" }, "Facts and provenance"),
        ingestedLine(e),
        statements.length
          ? h("div", { class: "table-wrap" }, provenanceTable(byProp))
          : empty("No statements visible to you.")),
      e.records && e.records.length
        ? h("section", { "aria-labelledby": "rec-title" },
          h("h2", { id: "rec-title" }, `Source records (${e.records.length})`),
          h("ul", { class: "records", testid: "profile-records" }, ...e.records.map((r) => h("li", { title: r }, recordName(e, r)))))
        : null));
}

/** A source record as the analyst knows it, by its source and line, not its id (issue 19);
 * the id stays in the tooltip. The answer's statements name their record as `entity`. */
function recordName(e: Entity, record: string): string {
  const s = (e.statements ?? []).find((x) => (x as Statement & { entity?: string }).entity === record && (x.source || x.record));
  return s ? [s.source, s.record].filter(Boolean).join(", ") : "a source record";
}

const ACTIVE_RULE = "The earliest and latest dates of the payments, calls, messages, crossings, seizures and other events "
  + "that name it, and of its own event dates; never a birth date, nor when the records were ingested.";

/** When the records place the entity (docs/api.md, "Active dates"), not when it was ingested. */
function activeLine(e: Entity): HTMLElement {
  const label = h("span", { class: "active-label" }, "Active (from the records): ");
  const attrs = { class: "muted", testid: "profile-active", title: ACTIVE_RULE };
  if (!e.active_first || !e.active_last) return h("span", attrs, " · ", label, "no dated event names it");
  const span = e.active_first === e.active_last ? e.active_first : `${e.active_first} – ${e.active_last}`;
  const n = e.active_events ?? 0;
  return h("span", attrs, " · ", label, h("time", { datetime: e.active_first }, span),
    n ? ` (${n} dated event${n === 1 ? "" : "s"})` : " (its own dates)");
}

/** When its statements were ingested: a fact about the records, kept with the provenance. */
function ingestedLine(e: Entity): HTMLElement | null {
  if (!e.first_seen && !e.last_seen) return null;
  return h("p", { class: "muted small", testid: "profile-ingested" }, `Ingested: ${ingested(e.first_seen, e.last_seen)}`);
}

/** An ingest span to the minute ("2026-01-05 10:31"), once when both ends are the same. */
function ingested(first?: string | null, last?: string | null): string {
  const at = (t?: string | null) => (t ? t.slice(0, 16).replace("T", " ") : "?");
  const a = at(first ?? last), b = at(last ?? first);
  return a === b ? a : `${a} – ${b}`;
}

/** Money in and out: loaded after the profile, so a slow flow graph never delays it. */
function moneySection(fetchMoney: () => Promise<PartyMoney>): HTMLElement {
  const body = h("div", null, loading("Loading money"));
  const load = async () => {
    try {
      replace(body, moneyFacts(await fetchMoney()));
    } catch (err) {
      replace(body, requestError(err, () => { replace(body, loading("Loading money")); void load(); }));
    }
  };
  void load();
  return h("section", { class: "card", "aria-labelledby": "money-title", testid: "profile-money" },
    h("h2", { id: "money-title" }, "Money in and out"), body);
}

function moneyFacts(m: PartyMoney): HTMLElement {
  const count = m.payments_in + m.payments_out;
  if (!count && !m.unconverted) return empty("No payments to or from this party are visible to you.", "profile-money-none");
  const plural = (n: number) => `${n} payment${n === 1 ? "" : "s"}`;
  return h("div", null,
    h("dl", { class: "stats", testid: "profile-money-facts" },
      h("dt", null, "Received"), h("dd", { testid: "profile-money-received" }, `${money(m.received, m.base)} (${plural(m.payments_in)})`),
      h("dt", null, "Sent"), h("dd", { testid: "profile-money-sent" }, `${money(m.sent, m.base)} (${plural(m.payments_out)})`),
      h("dt", null, "Kept"), h("dd", { testid: "profile-money-kept" }, money(m.kept, m.base)),
      h("dt", null, "Payments"), h("dd", { testid: "profile-money-count" }, String(count),
        m.first ? ` (${m.first === m.last ? m.first : `${m.first} – ${m.last}`})` : "",
        m.unconverted ? `; ${m.unconverted} without a rate, not added in` : "")),
    m.counterparties.length ? h("table", { class: "payments", testid: "profile-money-counterparties" },
      thead(["Counterparty", `Received from (${m.base})`, `Sent to (${m.base})`, "Payments"]),
      h("tbody", null, ...m.counterparties.map((c) => h("tr", null,
        h("td", null, entityLink(c.party, partyName(c.party, c.label))),
        h("td", { class: "num" }, money(c.received, m.base)),
        h("td", { class: "num" }, money(c.sent, m.base)),
        h("td", { class: "num" }, String(c.payments)))))) : null,
    h("p", { class: "small" }, h("a", { href: `#/money?from=${encodeURIComponent(m.party.slice(0, 12))}`, testid: "profile-money-trace" }, "Trace this party's money"),
      h("span", { class: "muted" }, ` · amounts in ${m.base} (rates: ${m.rates})`)));
}

function namesSection(e: Entity, aliases: Statement[]): HTMLElement {
  const names = e.names ?? [];
  const byScript = new Map<string, typeof names>();
  for (const n of names) {
    const script = n.script || scriptOf(n.value);
    const k = n.lang ? `${script} (${n.lang})` : script;
    const list = byScript.get(k) ?? [];
    list.push(n);
    byScript.set(k, list);
  }
  return h("section", { class: "card", "aria-labelledby": "names-title", testid: "profile-names" },
    h("h2", { id: "names-title" }, "Names"),
    names.length
      ? h("dl", { class: "names" }, ...Array.from(byScript.entries()).flatMap(([script, list]) => [
        h("dt", null, script),
        h("dd", null, h("ul", null, ...list.map((n) => h("li", { testid: "profile-name" },
          h("span", { dir: "auto", lang: n.lang ?? undefined, class: "name-value" }, n.value),
          h("span", { class: "muted small" }, ` — ${[n.prop && n.prop !== "name" ? n.prop : "", n.owner, n.source].filter(Boolean).join(", ")}`))))),
      ]))
      : empty("No names visible."),
    aliases.length
      ? h("div", null, h("h3", null, "Aliases and other names"),
        h("ul", { testid: "profile-aliases" }, ...aliases.map((a) => h("li", null,
          h("span", { class: "muted small" }, `${a.prop}: `), h("span", { dir: "auto" }, a.value), " ", gradeBadge(a),
          h("span", { class: "muted small" }, ` ${a.owner ?? ""}`)))))
      : null);
}

function provenanceTable(byProp: Map<string, Statement[]>): HTMLElement {
  return h("table", { class: "provenance", testid: "provenance-table" },
    h("caption", { class: "visually-hidden" }, "Every value with the agency, record, grade, handling and classification behind it"),
    thead(["Property", "Value", "Agency", "Source / record", "Grade", "Handling", "Classification", "Ingested"]),
    h("tbody", null, ...Array.from(byProp.entries()).flatMap(([prop, list]) => list.map((s, i) =>
      h("tr", { testid: "provenance-row", "data-prop": prop },
        i === 0 ? h("th", { scope: "row", rowspan: list.length }, prop) : null,
        h("td", { dir: "auto" }, isEntityRef(s) ? entityLink(s.value) : s.value,
          s.original_value && s.original_value !== s.value ? h("div", { class: "muted small", dir: "auto" }, `original: ${s.original_value}`) : null),
        h("td", null, s.owner ?? "–"),
        h("td", null, s.source ?? "", s.record ? h("div", { class: "small" }, h("code", null, s.record)) : null),
        h("td", null, gradeBadge(s)),
        h("td", null, s.handling ?? "–", conditionsText(s.handling_conditions) ? h("div", { class: "small" }, conditionsText(s.handling_conditions)) : null),
        h("td", null, s.classification ?? "–"),
        h("td", { class: "small" }, s.first_seen || s.last_seen ? ingested(s.first_seen, s.last_seen) : "–"))))));
}

function isEntityRef(s: Statement): boolean {
  return /^(owner|asset|vessel|holder|payer|beneficiary|caller|receiver|member|organization|person|subject|object|entity|director|employer|parent|child|relative|associate)$/i.test(s.prop)
    && /^[A-Za-z0-9_.:-]{6,}$/.test(s.value);
}

/** `fetch` shared by its callers while one request is under way or has succeeded; after a
 *  failure the next call asks again (the card and the money section read one answer). */
function onceAtATime<T>(fetch: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    if (!pending) {
      pending = fetch();
      pending.catch(() => { pending = null; });
    }
    return pending;
  };
}

// -- the summary card (issue 19): what the records add up to, above the long lists -------

/** Link types (GET /api/entities/{id}/neighbourhood's `type`) in plain words. */
const LINK_WORDS: Record<string, string> = {
  payment: "Payments", call: "Calls", message: "Messages", associate: "Associates",
  family: "Family", membership: "Memberships", employment: "Employment",
  directorship: "Directorships", representation: "Representation", link: "Other links",
  shared_phone: "Shared phone", shared_email: "Shared e-mail", shared_document: "Shared document",
  co_occurrence: "Named together", co_membership: "Same organisation",
};

/** "2nd", "11th", "23rd": a place in the ranking. */
function ordinal(n: number): string {
  const tens = n % 100, ones = n % 10;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ones === 1 ? "st" : ones === 2 ? "nd" : ones === 3 ? "rd" : "th";
  return `${n}${suffix}`;
}

/** The card at the top of a profile: names with counts, key facts, category, group, score,
 *  broker role, links by type, and money in and out (GET /api/entities/{id}'s `summary`). */
function summaryCard(e: Entity, fetchMoney: () => Promise<PartyMoney>): HTMLElement {
  const s: EntitySummary = e.summary ?? { names: [], facts: [], withheld: false, network: { status: "not resolved" } };
  const rows: (HTMLElement | null)[] = [
    ...row("Names", "summary-names", s.names.length
      ? inlineList(s.names.map((n) => h("li", {
        testid: "summary-name", "data-count": n.count,
        title: n.spellings && n.spellings.length > 1 ? `spelt ${n.spellings.join(" / ")}` : (n.props ?? []).join(", "),
      }, h("span", { dir: "auto", class: "name-value" }, n.value), h("span", { class: "muted" }, ` ×${n.count}`))))
      : "none visible"),
    ...row("Category", "summary-category", e.category
      ? h("span", { class: `badge category-${e.category}` }, e.category)
      : h("span", { class: "muted" }, "not recorded")),
    ...s.facts.flatMap((f) => row(f.label, "summary-fact", inlineList(f.values.map((v) =>
      h("li", { dir: "auto", "data-value": v.value, title: v.text !== v.value ? v.value : "" },
        v.text, v.kinds.length ? h("span", { class: "muted" }, ` (${v.kinds.join(", ")})`) : null,
        f.values.length > 1 ? h("span", { class: "muted" }, ` ×${v.count}`) : null))), f.key)),
    ...networkRows(s.network),
    ...row("Money", "summary-money", moneyLine(fetchMoney)),
  ];
  return h("section", { class: "card profile-summary", "aria-labelledby": "summary-title", testid: "profile-summary" },
    h("h2", { id: "summary-title" }, "Summary"),
    h("dl", { class: "summary-list" }, ...rows),
    s.withheld ? h("p", { class: "muted small", testid: "summary-withheld" }, "Some of its details are withheld from you; they are left out here.") : null);
}

/** One dt/dd pair of the card (`key`: the fact's key, for tests and styling). */
function row(label: string, testid: string, value: Node | string, key?: string): HTMLElement[] {
  return [h("dt", null, label), h("dd", { testid, "data-key": key }, value)];
}

/** Group, score, place, broker role and links, or why there are none. */
function networkRows(n: SummaryNetwork): HTMLElement[] {
  if (n.status !== "ranked") {
    const why = n.status === "not resolved"
      ? "not ranked yet: the network is built once the people you see are resolved"
      : n.status === "not in the network" ? "not in the network: no links to other people" : `not available: ${n.reason ?? "the network could not be analysed"}`;
    return row("Network", "summary-network", h("span", { class: "muted" }, why));
  }
  const group = n.group;
  const score = n.protected
    ? h("span", null, "victim or witness: never scored, ranked or a target")
    : h("span", null, (n.score ?? 0).toFixed(2), n.rank ? ` — ${ordinal(n.rank)} of ${n.ranked ?? "?"} ranked` : " — not ranked");
  const links = n.links ?? [];
  return [
    ...row("Group", "summary-group", group
      ? h("span", null, group.name, h("span", { class: "muted" }, ` (${group.id}, ${group.size} ${group.size === 1 ? "person" : "people"})`))
      : "none"),
    ...row("Score", "summary-score", score),
    ...row("Broker role", "summary-broker-role", n.broker_role ? brokerWords(n.broker_role) : h("span", { class: "muted" }, "none")),
    ...(n.suggested_role ? row("Suggested role", "summary-suggested-role", n.suggested_role) : []),
    ...row("Links", "summary-links", links.length
      ? inlineList(links.map((l) => h("li", { testid: "summary-link", "data-type": l.type, "data-links": l.links },
        `${LINK_WORDS[l.type] ?? l.type}: ${l.records} with ${l.links} ${l.links === 1 ? "person" : "people"}`)))
      : h("span", { class: "muted" }, "none")),
  ];
}

/** Received and sent, in the workspace's base currency, once the money answer comes. */
function moneyLine(fetchMoney: () => Promise<PartyMoney>): HTMLElement {
  const line = h("span", { class: "muted" }, "loading…");
  const plural = (k: number) => `${k} payment${k === 1 ? "" : "s"}`;
  fetchMoney().then((m) => {
    line.className = "";
    replace(line, m.payments_in + m.payments_out
      ? `received ${money(m.received, m.base)} (${plural(m.payments_in)}) · sent ${money(m.sent, m.base)} (${plural(m.payments_out)})`
      : "no payments visible to you");
  }, () => replace(line, "could not be loaded (see Money in and out below)"));
  return line;
}


/** Items on one line, each but the last ending in real ", " text (read aloud and copied
 *  as such, as a CSS separator would not be). */
function inlineList(items: HTMLElement[]): HTMLElement {
  items.slice(0, -1).forEach((item) => item.append(", "));
  return h("ul", { class: "inline-list" }, ...items);
}

/** "Briefing pack (PDF)": the server makes the pack from what the caller sees, marked on
 *  every page, and records the disclosure with the purpose before answering. */
function briefingButton(e: Entity): HTMLElement {
  const stem = (e.label || "person").replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60);
  return exportButton("Briefing pack (PDF)", "profile-briefing-pdf", async () => (
    { blob: await api.briefingPdf(e.id), name: `briefing-${stem}.pdf`, what: `briefing pack of ${e.label}`, recorded: true }),
  "A PDF of this person's summary, network and disruption plan, marked on every page");
}
