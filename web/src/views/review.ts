// Review queue: candidate pairs side by side, the match explanation as a waterfall,
// and Same / Different judgements with a reason.
import { api, type ReviewItem, type Statement, type ExplanationStep } from "../api";
import { h, append, replace, loading, empty, errorState, fmt, entityLink, thead, svgEl } from "../dom";
import { gradeBadge } from "../provenance";

export function reviewView(root: HTMLElement): void {
  const out = h("div", { class: "review-out", testid: "review-queue" });
  replace(root, h("h1", null, "Review queue"), h("p", { class: "muted" }, "Pairs the resolver is unsure about. Decide; every judgement is recorded and reversible."), out);
  const load = async () => {
    replace(out, loading("Loading review queue", "review-loading"));
    try {
      const items = await api.review(20);
      if (!items.length) { replace(out, empty("Nothing to review.", "review-empty")); return; }
      replace(out, ...items.map((it, i) => card(it, i)));
      out.querySelector<HTMLTextAreaElement>("textarea")?.focus();
    } catch (err) {
      replace(out, errorState(err, () => void load()));
    }
  };
  void load();
}

function statementsTable(list: Statement[] | undefined, testid: string): HTMLElement {
  if (!list || !list.length) return empty("No statements visible.");
  return h("table", { class: "compact statements", testid },
    thead(["Property", "Value", "Agency", "Grade"]),
    h("tbody", null, ...list.map((s) => h("tr", null, h("td", null, s.prop), h("td", { dir: "auto" }, s.value), h("td", null, s.owner ?? "–"), h("td", null, gradeBadge(s))))));
}

function waterfall(steps: ExplanationStep[], total?: number, probability?: number): HTMLElement {
  const W = 680, rowH = 22, m = { l: 240, r: 120, t: 6, b: 22 };
  const rows = steps.map((s) => ({
    label: s.label ?? ([s.comparison, s.level].filter(Boolean).join(": ") || "step"),
    detail: s.left !== undefined || s.right !== undefined ? `${s.left ?? ""} | ${s.right ?? ""}` : "",
    w: Number(s.weight) || 0,
  }));
  let acc = 0;
  const spans = rows.map((r) => { const from = acc; acc += r.w; return { ...r, from, to: acc }; });
  const final = total ?? acc;
  const lo = Math.min(0, ...spans.map((s) => Math.min(s.from, s.to)), final);
  const hi = Math.max(0, ...spans.map((s) => Math.max(s.from, s.to)), final);
  const x = (v: number) => m.l + ((v - lo) / (hi - lo || 1)) * (W - m.l - m.r);
  const H = m.t + (spans.length + 1) * rowH + m.b;
  const svg = svgEl("svg", {
    viewBox: `0 0 ${W} ${H}`, class: "waterfall-svg", role: "img",
    "aria-label": `Match explanation: ${spans.map((s) => `${s.label} ${s.w >= 0 ? "+" : ""}${s.w.toFixed(2)}`).join(", ")}; total ${final.toFixed(2)}`,
  });
  const add = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string) => {
    const el = svgEl(tag, attrs, text);
    svg.append(el);
    return el;
  };
  add("line", { x1: x(0), x2: x(0), y1: m.t, y2: H - m.b, class: "axis" });
  spans.forEach((s, i) => {
    const y = m.t + i * rowH;
    add("text", { x: m.l - 6, y: y + 15, "text-anchor": "end", class: "tick" }, s.label.length > 38 ? `${s.label.slice(0, 37)}…` : s.label);
    const bar = add("rect", { x: Math.min(x(s.from), x(s.to)), y: y + 4, width: Math.max(1, Math.abs(x(s.to) - x(s.from))), height: rowH - 8, fill: s.w >= 0 ? "#2f9e44" : "#e03131" });
    bar.append(svgEl("title", {}, `${s.label}: ${s.w >= 0 ? "+" : ""}${s.w.toFixed(2)}${s.detail ? ` (${s.detail})` : ""}`));
    add("text", { x: Math.max(x(s.from), x(s.to)) + 4, y: y + 15, class: "tick" }, `${s.w >= 0 ? "+" : ""}${s.w.toFixed(2)}`);
  });
  const y = m.t + spans.length * rowH;
  add("text", { x: m.l - 6, y: y + 15, "text-anchor": "end", class: "tick strong" }, "Match weight");
  add("rect", { x: Math.min(x(0), x(final)), y: y + 4, width: Math.max(1, Math.abs(x(final) - x(0))), height: rowH - 8, fill: "#1c7ed6" });
  add("text", { x: Math.max(x(0), x(final)) + 4, y: y + 15, class: "tick" }, `${final.toFixed(2)}${probability !== undefined ? ` (p=${probability.toFixed(3)})` : ""}`);
  const fig = h("figure", { class: "chart", testid: "review-waterfall" }, h("figcaption", null, "Why the resolver scored this pair (log-odds contributions)"));
  fig.append(svg);
  return fig;
}

function card(it: ReviewItem, i: number): HTMLElement {
  const reasonId = `reason-${i}`;
  const reason = h("textarea", { id: reasonId, rows: 2, testid: "review-reason", placeholder: "Why? (recorded with your judgement)" });
  const msg = h("div", { class: "form-message", role: "status", "aria-live": "polite", testid: "review-message" });
  const same = h("button", { type: "button", class: "good", testid: "review-same" }, "Same");
  const different = h("button", { type: "button", class: "bad", testid: "review-different" }, "Different");
  const unsure = h("button", { type: "button", class: "secondary", testid: "review-unsure" }, "Unsure");
  const article = h("article", { class: "card review-item", testid: "review-item", "data-left": it.left, "data-right": it.right, "aria-labelledby": `rev-title-${i}` });
  const post = async (verdict: "same" | "different" | "unsure") => {
    if (!reason.value.trim()) {
      msg.textContent = "Give a reason: it is recorded with the judgement.";
      reason.focus();
      return;
    }
    same.disabled = different.disabled = unsure.disabled = true;
    msg.textContent = "Saving…";
    try {
      await api.judge(it.left, it.right, verdict, reason.value.trim());
      article.classList.add("judged");
      article.dataset.verdict = verdict;
      msg.textContent = `Recorded: ${verdict}.`;
      const next = article.nextElementSibling?.querySelector<HTMLTextAreaElement>("textarea");
      next?.focus();
    } catch (err) {
      msg.textContent = `Not saved: ${err instanceof Error ? err.message : String(err)}`;
      same.disabled = different.disabled = unsure.disabled = false;
    }
  };
  same.addEventListener("click", () => void post("same"));
  different.addEventListener("click", () => void post("different"));
  unsure.addEventListener("click", () => void post("unsure"));
  reason.addEventListener("keydown", (e) => {
    // Ctrl/Cmd+Enter records "same", Alt+Enter "different"; plain Enter adds a line.
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void post("same"); }
    else if (e.key === "Enter" && e.altKey) { e.preventDefault(); void post("different"); }
  });
  const ex = it.explanation;
  const prob = it.probability ?? ex?.match_probability ?? ex?.probability;
  const extra = Object.entries(ex ?? {}).filter(([k]) => !["steps", "match_weight", "probability", "match_probability"].includes(k));
  const names = (list?: string[]) => list && list.length ? h("p", { class: "small", dir: "auto" }, list.join(" · ")) : null;
  append(article, [
    h("h2", { id: `rev-title-${i}` }, `Pair ${i + 1}`, prob !== undefined ? h("span", { class: "muted small" }, ` · probability ${fmt(prob, 3)}`) : null,
      it.impact !== undefined ? h("span", { class: "muted small" }, ` · impact ${fmt(it.impact)} ties`) : null),
    it.why ? h("p", { class: "small", testid: "review-why" }, it.why) : null,
    h("div", { class: "side-by-side" },
      h("section", { "aria-label": "Left record", testid: "review-left" }, h("h3", null, entityLink(it.left, it.left_names?.[0], { dir: "auto" }), " ", it.left_category ? h("span", { class: "badge" }, it.left_category) : null), h("p", { class: "small muted" }, h("code", null, it.left)), names(it.left_names?.slice(1)), statementsTable(it.left_statements, "review-left-statements")),
      h("section", { "aria-label": "Right record", testid: "review-right" }, h("h3", null, entityLink(it.right, it.right_names?.[0], { dir: "auto" }), " ", it.right_category ? h("span", { class: "badge" }, it.right_category) : null), h("p", { class: "small muted" }, h("code", null, it.right)), names(it.right_names?.slice(1)), statementsTable(it.right_statements, "review-right-statements"))),
    ex?.steps && ex.steps.length ? waterfall(ex.steps, ex.match_weight, prob) : empty("No explanation available.", "review-no-explanation"),
    extra.length ? h("details", null, h("summary", null, "More detail"), h("pre", null, JSON.stringify(Object.fromEntries(extra), null, 2))) : null,
    h("div", { class: "judge" },
      h("label", { for: reasonId }, "Reason (required)"), reason,
      h("div", { class: "row" }, same, different, unsure, h("span", { class: "muted small" }, "Ctrl+Enter: same · Alt+Enter: different")), msg)]);
  return article;
}
