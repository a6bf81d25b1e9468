// Money view: a Sankey of the money between the parties the reader can see, the
// laundering alerts with the payments behind each, and a trace of money between two
// people (GET /api/money/flows, /alerts, /payments, /trace).

import { api, type MoneyAlert, type MoneyPayment, type MoneyTrace, type TraceStep } from "../api";
import { h, replace, loading, empty, thead, entityLink } from "../dom";
import { money, requestError, partyName } from "../moneyfmt";
import { drawSankey } from "../sankey";

const MAX_PAYMENTS = 200; // an alert opened shows at most these (one request, a short URL)

export const TYPOLOGIES = ["fan_in", "fan_out", "scatter_gather", "gather_scatter", "cycle", "structuring", "escrow_release", "settlement"];

export async function moneyView(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const trace = tracePanel(params);
  const flows = flowsPanel((ref) => trace.fill(ref));
  replace(root,
    h("h1", null, "Money"),
    h("p", { class: "muted small", testid: "money-intro" },
      "Payments you may see, between the parties your resolution makes of them. Amounts are in the base currency of the workspace's rates."),
    flows.el, alertsPanel(), trace.el);
  await flows.load();
}

// ---------- flows ----------

function flowsPanel(onParty: (ref: string) => void): { el: HTMLElement; load: () => Promise<void> } {
  const out = h("div", { testid: "money-sankey" });
  const note = h("p", { class: "small muted", testid: "money-base" });
  const top = h("select", { id: "money-top", testid: "money-top" },
    ...[10, 25, 50, 100].map((n) => h("option", { value: n, selected: n === 25 }, String(n))));
  const load = async () => {
    replace(out, loading("Loading money flows"));
    try {
      const flows = await api.moneyFlows(Number(top.value));
      replace(note, `In ${flows.base} (rates: ${flows.rates}). Click a party to trace its money.`);
      const names = new Map<string, number>();
      for (const n of flows.nodes) names.set(n.label, (names.get(n.label) ?? 0) + 1);
      // A name two parties share cannot pick one: the start of the id does.
      const ref = (id: string, name: string) => ((names.get(name) ?? 0) === 1 ? name : id.slice(0, 12));
      replace(out, flows.links.length
        ? drawSankey(flows, (id, name) => onParty(ref(id, name)))
        : empty("No payments between parties are visible to you.", "money-sankey-empty"));
    } catch (err) {
      replace(out, requestError(err, () => void load()));
    }
  };
  top.addEventListener("change", () => void load());
  const el = h("section", { class: "card", "aria-labelledby": "money-flows-title", testid: "money-flows" },
    h("h2", { id: "money-flows-title" }, "Flows"),
    h("div", { class: "toolbar" }, h("label", { for: "money-top" }, "Parties by volume"), top), note, out);
  return { el, load };
}

// ---------- alerts ----------

function alertsPanel(): HTMLElement {
  const out = h("div", { testid: "money-alerts-result" });
  const pick = h("select", { id: "money-typology", testid: "money-typology" },
    h("option", { value: "" }, "All typologies"), ...TYPOLOGIES.map((t) => h("option", { value: t }, t.replace(/_/g, " "))));
  const load = async () => {
    replace(out, loading("Looking for typologies"));
    try {
      const found = await api.moneyAlerts(pick.value || undefined);
      replace(out, found.alerts.length
        ? h("div", { class: "table-wrap" }, h("table", { class: "alerts", testid: "money-alerts-table" },
          thead(["Typology", "Score", "Why", "Parties", "Total", "Dates", "Grading / handling", "Payments"]),
          ...found.alerts.map((a) => alertRows(a, found.base))))
        : empty(pick.value ? `No ${pick.value.replace(/_/g, " ")} alerts in the payments you may see.` : "No alerts in the payments you may see.", "money-alerts-empty"));
    } catch (err) {
      replace(out, requestError(err, () => void load()));
    }
  };
  pick.addEventListener("change", () => void load());
  void load();
  return h("section", { class: "card", "aria-labelledby": "money-alerts-title", testid: "money-alerts" },
    h("h2", { id: "money-alerts-title" }, "Alerts"),
    h("div", { class: "toolbar" }, h("label", { for: "money-typology" }, "Typology"), pick), out);
}

/** One alert: its row, and a hidden row below that opens to its payments. */
function alertRows(a: MoneyAlert, base: string): HTMLTableSectionElement {
  const detail = h("td", { colspan: 8 });
  const detailRow = h("tr", { class: "alert-detail", hidden: true, testid: "money-alert-detail" }, detail);
  const toggle = h("button", { type: "button", class: "link", "aria-expanded": "false", testid: "money-alert-toggle" },
    `${a.payments.length} payment${a.payments.length === 1 ? "" : "s"}`);
  let loaded = false;
  toggle.addEventListener("click", () => {
    const open = detailRow.hidden;
    detailRow.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open && !loaded) { loaded = true; void alertPayments(a, base, detail); }
  });
  const grading = [`${a.source_grade ?? "?"}${a.info_grade ?? "?"}`, ...(a.handling ?? []), a.classification ?? ""].filter(Boolean).join(" · ");
  return h("tbody", { testid: "money-alert", "data-typology": a.typology },
    h("tr", null,
      h("td", null, h("span", { class: "badge", testid: "money-alert-typology" }, a.typology.replace(/_/g, " "))),
      h("td", { class: "num" }, a.score.toFixed(2)),
      h("td", { class: "small" }, a.why),
      h("td", null, ...a.parties.slice(0, 6).flatMap((p, i) => [i ? ", " : "", entityLink(p.id, partyName(p.id, p.label))]),
        a.parties.length > 6 ? ` and ${a.parties.length - 6} more` : ""),
      h("td", { class: "num", testid: "money-alert-total" }, money(a.total, a.currency)),
      h("td", { class: "small" }, a.start === a.end ? a.start : `${a.start} – ${a.end}`),
      h("td", { class: "small", title: (a.conditions ?? []).join("; ") }, grading),
      h("td", null, toggle)),
    detailRow);
}

async function alertPayments(a: MoneyAlert, base: string, into: HTMLElement): Promise<void> {
  replace(into, loading("Loading payments"));
  try {
    const found = await api.moneyPayments(a.payments.slice(0, MAX_PAYMENTS));
    replace(into,
      a.references.length ? h("p", { class: "small" }, "References: ", h("span", { testid: "money-alert-references" }, a.references.join(", "))) : null,
      paymentsTable(found.payments, found.base || base),
      a.payments.length > MAX_PAYMENTS ? h("p", { class: "small muted" }, `The first ${MAX_PAYMENTS} of ${a.payments.length} payments.`) : null);
  } catch (err) {
    replace(into, requestError(err, () => void alertPayments(a, base, into)));
  }
}

function paymentsTable(payments: MoneyPayment[], base: string): HTMLElement {
  if (!payments.length) return empty("None of these payments is visible to you.");
  return h("table", { class: "payments", testid: "money-payments" },
    thead(["Date", "Reference", "From", "To", "Amount", `In ${base}`, "Grade"]),
    h("tbody", null, ...payments.map((p) => h("tr", { testid: "money-payment", "data-payment": p.payment },
      h("td", null, p.date),
      h("td", null, p.reference ?? "–"),
      h("td", null, entityLink(p.payer, partyName(p.payer, p.payer_label))),
      h("td", null, entityLink(p.beneficiary, partyName(p.beneficiary, p.beneficiary_label))),
      h("td", { class: "num" }, money(p.amount, p.currency)),
      h("td", { class: "num" }, p.value === null || p.value === undefined ? "no rate" : money(p.value, base)),
      h("td", { class: "small" }, `${p.provenance?.source_grade ?? "?"}${p.provenance?.info_grade ?? "?"}`)))));
}

// ---------- trace ----------

function tracePanel(params: URLSearchParams): { el: HTMLElement; fill: (ref: string) => void } {
  const field = (id: string, label: string, type = "text", value = "") => {
    const input = h("input", { id, type, value, testid: id, autocomplete: "off" });
    return { input, row: [h("label", { for: id }, label), input] };
  };
  const from = field("money-trace-from", "From (name or id)", "text", params.get("from") ?? "");
  const to = field("money-trace-to", "To (optional)", "text", params.get("to") ?? "");
  const since = field("money-trace-since", "Since", "date");
  const until = field("money-trace-until", "Until", "date");
  const back = h("input", { type: "checkbox", id: "money-trace-back", testid: "money-trace-back" });
  const out = h("div", { testid: "money-trace-result", "aria-live": "polite" });
  const form = h("form", { class: "form-grid", testid: "money-trace-form" },
    ...from.row, ...to.row, ...since.row, ...until.row,
    h("span", null), h("div", null, back, h("label", { for: "money-trace-back", class: "inline" }, " Where the money came from (backwards)")),
    h("span", null), h("button", { type: "submit", testid: "money-trace-submit" }, "Trace"));
  const run = async () => {
    if (!from.input.value.trim()) { replace(out, empty("Name the party to trace from.")); return; }
    replace(out, loading("Tracing"));
    try {
      const found = await api.moneyTrace({ from: from.input.value.trim(), to: to.input.value.trim() || undefined,
        since: since.input.value || undefined, until: until.input.value || undefined, back: back.checked || undefined });
      replace(out, drawTrace(found));
    } catch (err) {
      replace(out, requestError(err, () => void run()));
    }
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); void run(); });
  if (from.input.value) void run();
  const el = h("section", { class: "card", "aria-labelledby": "money-trace-title", testid: "money-trace" },
    h("h2", { id: "money-trace-title" }, "Trace"),
    h("p", { class: "small muted" }, "Where money from a party went, hop by hop in time order: each hop passes on only money its sender already held from the trace."),
    form, out);
  const fill = (ref: string) => { from.input.value = ref; from.input.focus(); el.scrollIntoView({ block: "nearest" }); };
  return { el, fill };
}

function drawTrace(t: MoneyTrace): HTMLElement {
  const name = (id: string) => partyName(id, t.labels[id]);
  if (!t.steps.length) return empty(`No money ${t.direction === "in" ? "reached" : "left"} ${name(t.start)} in that window, or none reached the other party.`, "money-trace-empty");
  const hops = new Map<number, TraceStep[]>();
  for (const s of t.steps) hops.set(s.hop, [...(hops.get(s.hop) ?? []), s]);
  const ordered = Array.from(hops.entries()).sort((a, b) => a[0] - b[0]);
  return h("div", null,
    h("p", { testid: "money-trace-summary" }, `${t.direction === "in" ? "Money that reached" : "Money from"} ${name(t.start)}: `,
      `${t.steps.length} payment${t.steps.length === 1 ? "" : "s"} over ${ordered.length} hop${ordered.length === 1 ? "" : "s"}, in ${t.base}.`,
      t.unconverted ? ` ${t.unconverted} without a rate carried nothing.` : ""),
    ...ordered.map(([hop, steps]) => h("section", { class: "trace-hop", testid: "money-trace-hop", "data-hop": hop },
      h("h3", null, `Hop ${hop}`, h("span", { class: "muted small" }, ` · ${money(steps.reduce((n, s) => n + Number(s.carried), 0), t.base)} carried`)),
      h("table", { class: "payments" },
        thead(["Date", "From", "To", "Carried", "Payment", "Reference"]),
        h("tbody", null, ...[...steps].sort((a, b) => a.date.localeCompare(b.date)).map((s) => h("tr", { testid: "money-trace-step" },
          h("td", null, s.date),
          h("td", null, entityLink(s.from, name(s.from))),
          h("td", null, entityLink(s.to, name(s.to))),
          h("td", { class: "num" }, money(s.carried, t.base)),
          h("td", { class: "num" }, money(s.amount, s.currency)),
          h("td", null, s.reference ?? "–"))))))),
    t.held.length ? h("p", { class: "small", testid: "money-trace-held" }, "Still held at the end: ",
      t.held.slice(0, 8).map((x) => `${partyName(x.party, x.label)} ${money(x.amount, t.base)}`).join("; ")) : null);
}
