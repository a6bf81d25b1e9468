import { api, type Count, type SearchHit, type Status } from "../api";
import { h, replace, loading, empty, errorState, debounce, fmt, thead } from "../dom";
import { navigate } from "../state";
import { csvBlob, exportButton } from "../exports";

export function searchView(root: HTMLElement, params: URLSearchParams): () => void {
  const input = h("input", {
    id: "search-input", type: "search", placeholder: "Name, phone, IBAN, vessel, place…",
    autocomplete: "off", spellcheck: "false", testid: "search-input",
    "aria-controls": "search-results", "aria-describedby": "search-help",
  });
  input.value = params.get("q") ?? "";
  const results = h("div", { id: "search-results", class: "search-results", "aria-live": "polite", testid: "search-results" });
  const status = h("section", { class: "status-panel", "aria-label": "Workspace status", testid: "status-panel" }, loading("Loading workspace status"));
  let controller: AbortController | null = null;
  let seq = 0;

  const run = async (q: string) => {
    const mine = ++seq;
    controller?.abort();
    history.replaceState(null, "", q ? `#/search?q=${encodeURIComponent(q)}` : "#/search");
    if (!q.trim()) {
      results.removeAttribute("aria-busy");
      replace(results, empty("Type to search people, organisations, phones, accounts, vessels and places."));
      return;
    }
    controller = new AbortController();
    // Keep the previous results on screen while the next ones load (no flicker as you type).
    if (results.querySelector(".result-list")) results.setAttribute("aria-busy", "true");
    else replace(results, loading("Searching"));
    try {
      const hits = await api.search(q.trim(), 20, controller.signal);
      if (mine !== seq) return;
      results.removeAttribute("aria-busy");
      if (!hits.length) replace(results, empty(`No results for “${q}” that you are entitled to see.`));
      else replace(results, resultList(hits, q), resultsExport(hits, q.trim()));
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") return;
      if (mine === seq) {
        results.removeAttribute("aria-busy");
        replace(results, errorState(err, () => void run(input.value)));
      }
    }
  };
  const debounced = debounce(run, 180);
  input.addEventListener("input", () => debounced(input.value));
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      const first = results.querySelector<HTMLAnchorElement>("a.result-link");
      if (first && results.dataset.q === input.value) first.click();
      else void run(input.value).then(() => {
        if (results.dataset.q === input.value) results.querySelector<HTMLAnchorElement>("a.result-link")?.click();
      });
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      results.querySelector<HTMLAnchorElement>("a.result-link")?.focus();
    } else if (e.key === "Escape") {
      input.value = "";
      void run("");
    }
  });
  results.addEventListener("keydown", (e) => {
    const links = Array.from(results.querySelectorAll<HTMLAnchorElement>("a.result-link"));
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (i < 0) return;
    if (e.key === "ArrowDown") { e.preventDefault(); links[Math.min(i + 1, links.length - 1)].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i === 0 ? input : links[i - 1]).focus(); }
  });

  function resultList(hits: SearchHit[], q: string): HTMLElement {
    results.dataset.q = q;
    return h("ol", { class: "result-list", "aria-label": `${hits.length} results` },
      ...hits.map((hit) => h("li", { class: "result", testid: "search-result", "data-id": hit.id },
        h("a", { href: `#/entity/${encodeURIComponent(hit.id)}`, class: "result-link", testid: "search-result-link" },
          h("span", { class: "result-label" }, hit.label || hit.id),
          h("span", { class: `badge schema-${(hit.schema || "").toLowerCase()}` }, hit.schema)),
        hit.names && hit.names.length > 1
          ? h("div", { class: "result-names", lang: "" }, hit.names.filter((n) => n !== hit.label).slice(0, 6).join(" · "))
          : null,
        h("div", { class: "result-meta muted" },
          hit.match ? `matched ${hit.match}` : "", hit.score !== undefined ? ` · score ${fmt(hit.score, 2)}` : "",
          " · ", h("a", { href: `#/network?id=${encodeURIComponent(hit.id)}` }, "network")))));
  }

  root.append(
    h("h1", { class: "visually-hidden" }, "Search"),
    h("section", { class: "search-box", role: "search", "aria-label": "Entity search" },
      h("label", { for: "search-input", class: "search-label" }, "Search the workspace"),
      input,
      h("p", { id: "search-help", class: "muted small" }, "Results appear as you type. Enter opens the first result, ↓ moves into the list, Esc clears.")),
    h("div", { class: "search-layout" }, results, status),
  );
  input.focus();
  void run(input.value);

  api.status().then((s) => replace(status, statusPanel(s)), (err) => replace(status, errorState(err)));
  return () => controller?.abort();
}

function statusPanel(s: Status): HTMLElement {
  const pair = (v: Count): [number | null, number | null] =>
    Array.isArray(v) ? [v[0], v[1]] : v && typeof v === "object" ? [v.statements, v.entities] : [Number(v), null];
  const facet = (title: string, obj?: Record<string, Count>) =>
    obj && Object.keys(obj).length
      ? h("details", null, h("summary", null, title),
        h("table", { class: "compact" }, thead(["Name", "Statements", "Entities"]),
          h("tbody", null, ...Object.entries(obj).map(([k, v]) => h("tr", null, h("td", null, k), h("td", { class: "num" }, fmt(pair(v)[0])), h("td", { class: "num" }, fmt(pair(v)[1])))))))
      : null;
  const resolved = s.resolved === true || (typeof s.resolved === "number" && s.resolved > 0);
  return h("div", null,
    h("h2", null, "Workspace"),
    h("dl", { class: "stats" },
      h("dt", null, "Statements"), h("dd", null, fmt(s.statements)),
      h("dt", null, "Entities"), h("dd", null, fmt(s.entities)),
      h("dt", null, "Quarantined"), h("dd", null, fmt(s.quarantined)),
      h("dt", null, "Batches"), h("dd", null, fmt(s.batches)),
      h("dt", null, "Resolved"), h("dd", null, s.resolved === undefined ? "–" : String(s.resolved))),
    !resolved && s.resolved !== undefined ? h("p", { class: "muted small" }, "The workspace is not resolved yet: network views may be unavailable.") : null,
    facet("By source", s.by_source), facet("By schema", s.by_schema), facet("By owner", s.by_owner),
    h("p", null, h("button", { type: "button", class: "secondary", onclick: () => navigate("#/network") }, "Open network")));
}

/** "Download CSV" of the results shown, in their order (recorded as a disclosure first). */
function resultsExport(hits: SearchHit[], q: string): HTMLElement {
  return h("p", { class: "search-export small" }, exportButton("Download these results (CSV)", "search-download", () => ({
    blob: csvBlob(["Rank", "Name", "Kind", "Other names", "Matched", "Score", "Id"],
      hits.map((hit, i) => [i + 1, hit.label || hit.id, hit.schema, (hit.names ?? []).filter((n) => n !== hit.label).join("; "),
        hit.match ?? "", hit.score === undefined ? "" : hit.score.toFixed(3), hit.id])),
    name: "search-results.csv", what: `search results for "${q.slice(0, 80)}"`, rows: hits.length,
  })));
}
