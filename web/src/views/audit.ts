// Audit log (auditors only): who read or changed what, and why.
import { api } from "../api";
import { h, replace, loading, empty, errorState, thead } from "../dom";

/** A 40-hex record or entity id, with or without its owner's `.xxxxxxxxxxxxxxxx` suffix. */
const RAW_ID = /\b[0-9a-f]{40}(?:\.[0-9a-f]{16})?\b/g;

/** An entry's What as a cell. Ids are shortened to their first eight digits, so the log reads
 *  as what was done ("GET /api/entities/47d67ce3…"), not as hashes; where there were ids, the
 *  entry's full text is one click away, in a field marked as the id on purpose
 *  (`data-id-field`), to copy. Ids are not turned into names: the log keeps what was asked,
 *  and naming would have the auditor read the people consulted. */
function whatCell(text: string): HTMLTableCellElement {
  const short = text.replace(RAW_ID, (id) => `${id.slice(0, 8)}…`);
  if (short === text) return h("td", { class: "small" }, text);
  return h("td", { class: "small" }, h("details", { class: "audit-what", testid: "audit-what" },
    h("summary", { title: "Show the full text, ids included" }, short),
    h("code", { "data-id-field": "", testid: "audit-what-full", style: "display: block; word-break: break-all" }, text)));
}

export function auditView(root: HTMLElement, params: URLSearchParams): void {
  const action = h("input", { type: "text", id: "audit-action", value: params.get("action") ?? "", testid: "audit-action" });
  const limit = h("input", { type: "number", id: "audit-limit", min: 1, max: 10000, value: 200, testid: "audit-limit" });
  const out = h("div", { testid: "audit-log" });
  const form = h("form", { class: "toolbar", "aria-label": "Audit filters" },
    h("label", { for: "audit-action" }, "Action"), action, h("label", { for: "audit-limit" }, "Limit"), limit, h("button", { type: "submit" }, "Show"));
  const show = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));
  const load = async () => {
    replace(out, loading("Loading audit log"));
    try {
      const rows = await api.audit({ action: action.value || undefined, limit: Number(limit.value) || 200 });
      replace(out, rows.length ? h("div", { class: "table-wrap" }, h("table", { class: "compact" },
        thead(["#", "At", "User", "Agency", "Action", "What", "Why", "Recipients"]),
        h("tbody", null, ...rows.map((r) => h("tr", { testid: "audit-row" }, h("td", null, String(r.seq)), h("td", null, r.at), h("td", null, r.user), h("td", null, r.agency ?? ""),
          h("td", null, r.action), whatCell(show(r.what)), h("td", null, r.why ?? ""), h("td", { class: "small" }, show(r.recipients))))))) : empty("No audit entries."));
    } catch (err) {
      replace(out, errorState(err, () => void load()));
    }
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); void load(); });
  replace(root, h("h1", null, "Audit log"), form, out);
  void load();
}
