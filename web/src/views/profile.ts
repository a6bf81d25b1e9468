import { api, type Entity, type PartyMoney, type Statement } from "../api";
import { money, requestError, partyName } from "../moneyfmt";
import { h, replace, loading, empty, errorState, entityLink, thead } from "../dom";
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
  return h("article", { class: "profile", testid: "entity-profile", "aria-labelledby": "entity-title" },
    classificationBanner(top),
    handlingBanners(e.banners, statements),
    h("header", { class: "profile-header", testid: "profile-header" },
      h("h1", { id: "entity-title", dir: "auto", testid: "profile-title" }, e.label || e.id),
      h("div", { class: "profile-meta" },
        h("span", { class: "badge" }, e.schema),
        e.category ? h("span", { class: `badge category-${e.category}`, testid: "profile-category" }, e.category) : null,
        h("span", { class: "muted" }, " id ", h("code", null, e.id)),
        e.first_seen || e.last_seen ? h("span", { class: "muted" }, ` · seen ${e.first_seen ?? "?"} – ${e.last_seen ?? "?"}`) : null),
      h("nav", { class: "profile-actions", "aria-label": "Entity actions" },
        h("a", { class: "button secondary", href: `#/network?id=${encodeURIComponent(e.id)}`, testid: "profile-network-link" }, "Network"),
        h("a", { class: "button secondary", href: `#/timeline?party=${encodeURIComponent(e.id)}` }, "Timeline"))),
    namesSection(e, aliases),
    moneySection(e.id),
    h("section", { "aria-labelledby": "prov-title", class: "card" },
      h("h2", { id: "prov-title" }, "Facts and provenance"),
      statements.length
        ? h("div", { class: "table-wrap" }, provenanceTable(byProp))
        : empty("No statements visible to you.")),
    e.records && e.records.length
      ? h("section", { class: "card", "aria-labelledby": "rec-title" },
        h("h2", { id: "rec-title" }, `Source records (${e.records.length})`),
        h("ul", { class: "records", testid: "profile-records" }, ...e.records.map((r) => h("li", null, h("code", null, r)))))
      : null);
}

/** Money in and out: loaded after the profile, so a slow flow graph never delays it. */
function moneySection(id: string): HTMLElement {
  const body = h("div", null, loading("Loading money"));
  const load = async () => {
    try {
      replace(body, moneyFacts(await api.partyMoney(id)));
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
    thead(["Property", "Value", "Agency", "Source / record", "Grade", "Handling", "Classification", "Seen"]),
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
        h("td", { class: "small" }, [s.first_seen, s.last_seen].filter(Boolean).join(" – ") || "–"))))));
}

function isEntityRef(s: Statement): boolean {
  return /^(owner|asset|vessel|holder|payer|beneficiary|caller|receiver|member|organization|person|subject|object|entity|director|employer|parent|child|relative|associate)$/i.test(s.prop)
    && /^[A-Za-z0-9_.:-]{6,}$/.test(s.value);
}
