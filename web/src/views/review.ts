// Review queue: candidate pairs side by side, the match explanation as a waterfall,
// and Same / Different judgements with a reason; below, the agency's recent judgements,
// each with Undo (a reason asked for inline, recorded with the undoing).
import { api, type Judgement, type ReviewItem, type Statement, type ExplanationStep } from "../api";
import { h, append, replace, loading, empty, errorState, fmt, entityLink, thead, svgEl } from "../dom";
import { gradeBadge } from "../provenance";

/** How many of the agency's judgements the page lists, newest first. */
const RECENT = 20;
/** Sent to a queue card when its pair's judgement is undone: the pair is open again. */
const REOPENED = "judgement-undone";

export function reviewView(root: HTMLElement): void {
  const out = h("div", { class: "review-out", testid: "review-queue" });
  const recent = h("div", { testid: "review-recent-list" });
  const loadRecent = async () => {
    try {
      const list = await api.judgements(RECENT, true);
      replace(recent, list.length
        ? h("ul", { class: "judgements" }, ...list.map((j) => judgementRow(j, out)))
        : empty("No judgements yet.", "review-recent-empty"));
    } catch (err) {
      replace(recent, errorState(err, () => void loadRecent()));
    }
  };
  replace(root, h("h1", null, "Review queue"),
    h("p", { class: "muted" }, "Pairs the resolver is unsure about. Decide; every judgement is recorded and can be undone below."),
    out,
    h("section", { class: "card", testid: "review-recent", "aria-labelledby": "recent-title" },
      h("h2", { id: "recent-title" }, "Your agency's recent judgements"),
      h("p", { class: "muted small" }, "Undo one that was wrong: it stays on record as undone, with who undid it and why, and the resolver no longer follows it."),
      recent));
  const load = async () => {
    replace(out, loading("Loading review queue", "review-loading"));
    try {
      const items = await api.review(20);
      if (!items.length) { replace(out, empty("Nothing to review.", "review-empty")); return; }
      replace(out, ...items.map((it, i) => card(it, i, () => void loadRecent())));
      out.querySelector<HTMLTextAreaElement>("textarea")?.focus();
    } catch (err) {
      replace(out, errorState(err, () => void load()));
    }
  };
  void load();
  replace(recent, loading("Loading recent judgements", "review-recent-loading"));
  void loadRecent();
}

const VERDICT_WORDS: Record<string, string> = { same: "judged the same", different: "judged different", unsure: "judged unsure" };

function when(at: string | null | undefined): string {
  if (!at) return "";
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** One judgement: its two records by name, the verdict, who and why; Undo while in force. */
function judgementRow(j: Judgement, queue: HTMLElement): HTMLElement {
  const undone = j.active === false || !!j.undone_at;
  const row = h("li", { class: "judgement", testid: "judgement-item", "data-id": j.id, "data-left": j.left, "data-right": j.right, "data-state": undone ? "undone" : "active" });
  const status = h("div", { class: "small", testid: "judgement-status" });
  const controls = h("div", { class: "row" });
  const showUndone = (by: string | null, at: string | null, why: string | null) => {
    row.dataset.state = "undone";
    replace(status, h("strong", null, "Undone"), ` by ${by ?? "?"}${at ? `, ${when(at)}` : ""}${why ? `: ${why}` : ""}`);
    controls.remove();
  };
  append(row, [
    h("div", null,
      entityLink(j.left, j.left_label ?? "a record", { dir: "auto" }), " and ",
      entityLink(j.right, j.right_label ?? "a record", { dir: "auto" }), " ",
      h("span", { class: "badge", testid: "judgement-verdict" }, VERDICT_WORDS[j.verdict] ?? j.verdict)),
    h("div", { class: "muted small" }, `by ${j.user}, ${when(j.created_at)}; reason: `, h("span", { dir: "auto" }, j.reason)),
    status, controls]);
  if (undone) { showUndone(j.undone_by, j.undone_at, j.undo_reason); return row; }
  const undo = h("button", { type: "button", class: "secondary", testid: "judgement-undo" }, "Undo");
  undo.addEventListener("click", () => replace(controls, undoForm(j, queue, showUndone, () => replace(controls, undo))));
  controls.append(undo);
  return row;
}

/** The inline form that undoes a judgement: a reason (required), Undo judgement, Cancel. */
function undoForm(j: Judgement, queue: HTMLElement,
  done: (by: string | null, at: string | null, why: string | null) => void, cancel: () => void): HTMLElement {
  const inputId = `undo-reason-${j.id}`;
  const reason = h("input", { id: inputId, type: "text", maxlength: 2000, size: 48, testid: "judgement-undo-reason", placeholder: "Why undo it? (recorded)" });
  const confirm = h("button", { type: "button", class: "bad", testid: "judgement-undo-confirm" }, "Undo judgement");
  const back = h("button", { type: "button", class: "secondary", testid: "judgement-undo-cancel" }, "Cancel");
  const msg = h("div", { class: "form-message", role: "status", "aria-live": "polite", testid: "judgement-message" });
  const submit = async () => {
    const why = reason.value.trim();
    if (!why) { msg.textContent = "Give a reason: it is recorded with the undoing."; reason.focus(); return; }
    confirm.disabled = back.disabled = reason.disabled = true;
    msg.textContent = "Undoing…";
    try {
      const found = await api.undoJudgement(j.id, why);
      done(found.undone_by ?? null, found.undone_at ?? null, found.undo_reason ?? why);
      reopen(queue, j);
    } catch (err) {
      msg.textContent = `Not undone: ${err instanceof Error ? err.message : String(err)}`;
      confirm.disabled = back.disabled = reason.disabled = false;
    }
  };
  confirm.addEventListener("click", () => void submit());
  back.addEventListener("click", cancel);
  reason.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); void submit(); }
    else if (e.key === "Escape") { e.preventDefault(); cancel(); }
  });
  queueMicrotask(() => reason.focus());
  return h("div", { class: "undo-form" },
    h("label", { for: inputId }, "Reason for undoing (required) "), reason, " ", confirm, " ", back, msg);
}

/** Scroll to a judgement in the recent list and open its Undo form (from its queue card). */
function openUndo(id: string): void {
  const row = document.querySelector<HTMLElement>(`[data-testid=judgement-item][data-id="${CSS.escape(id)}"]`);
  if (!row) return;
  row.scrollIntoView({ block: "center" });
  row.querySelector<HTMLButtonElement>("[data-testid=judgement-undo]")?.click();
}

/** Tell the queue card of the judged pair, if it is on the page, that it is open again. */
function reopen(queue: HTMLElement, j: Judgement): void {
  for (const article of Array.from(queue.querySelectorAll<HTMLElement>("[data-testid=review-item]"))) {
    const pair = [article.dataset.left, article.dataset.right];
    if (pair.includes(j.left) && pair.includes(j.right)) article.dispatchEvent(new CustomEvent(REOPENED));
  }
}

/** Where a record comes from, by source and line, not its id (issue 19; the id stays in
 * the tooltip and in the link above). */
function recordSource(list: Statement[] | undefined): string {
  const s = (list ?? []).find((x) => x.source || x.record);
  return s ? `From ${[s.source, s.record].filter(Boolean).join(", ")}` : "";
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

function card(it: ReviewItem, i: number, judged: () => void): HTMLElement {
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
      const made = await api.judge(it.left, it.right, verdict, reason.value.trim()) as Judgement;
      article.classList.add("judged");
      article.dataset.verdict = verdict;
      const undoIt = h("button", { type: "button", class: "secondary", testid: "review-undo-link" }, "Undo…");
      undoIt.addEventListener("click", () => openUndo(made.id));
      replace(msg, `Recorded: ${verdict}. `, undoIt);
      judged();
      const next = article.nextElementSibling?.querySelector<HTMLTextAreaElement>("textarea");
      next?.focus();
    } catch (err) {
      msg.textContent = `Not saved: ${err instanceof Error ? err.message : String(err)}`;
      same.disabled = different.disabled = unsure.disabled = false;
    }
  };
  article.addEventListener(REOPENED, () => {
    article.classList.remove("judged");
    delete article.dataset.verdict;
    same.disabled = different.disabled = unsure.disabled = false;
    msg.textContent = "Judgement undone: this pair is open again.";
  });
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
      h("section", { "aria-label": "Left record", testid: "review-left" }, h("h3", null, entityLink(it.left, it.left_names?.[0], { dir: "auto" }), " ", it.left_category ? h("span", { class: "badge" }, it.left_category) : null), h("p", { class: "small muted", title: it.left }, recordSource(it.left_statements)), names(it.left_names?.slice(1)), statementsTable(it.left_statements, "review-left-statements")),
      h("section", { "aria-label": "Right record", testid: "review-right" }, h("h3", null, entityLink(it.right, it.right_names?.[0], { dir: "auto" }), " ", it.right_category ? h("span", { class: "badge" }, it.right_category) : null), h("p", { class: "small muted", title: it.right }, recordSource(it.right_statements)), names(it.right_names?.slice(1)), statementsTable(it.right_statements, "review-right-statements"))),
    ex?.steps && ex.steps.length ? waterfall(ex.steps, ex.match_weight, prob) : empty("No explanation available.", "review-no-explanation"),
    extra.length ? h("details", null, h("summary", null, "More detail"), h("pre", null, JSON.stringify(Object.fromEntries(extra), null, 2))) : null,
    h("div", { class: "judge" },
      h("label", { for: reasonId }, "Reason (required)"), reason,
      h("div", { class: "row" }, same, different, unsure, h("span", { class: "muted small" }, "Ctrl+Enter: same · Alt+Enter: different")), msg)]);
  return article;
}
