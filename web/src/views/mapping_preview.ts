// The mapping editor's live preview: what the first rows of the file make with the mapping
// as it stands (`POST /api/ingest/preview`), asked for 400 ms after the last change.
//
// Only the newest request's answer is shown (earlier ones are aborted or ignored); while one
// is pending the preview box is `aria-busy`. Local problems and the server's 400 are shown
// inline in the error box, and the last good preview stays, marked stale.

import { api, ApiError, type PreviewEntity, type PreviewResult, type QuarantineEntry } from "../api";
import { h, replace, thead, debounce, fmt } from "../dom";
import type { MappingContext } from "./mapping";
import { currentYaml, entityNames, mappingProblem, type EditorState } from "./mapping_model";

const PREVIEW_ROWS = 20;

export interface MappingPreview {
  /** Something the preview depends on changed: ask again once the changes settle. */
  schedule: () => void;
  /** Shows a problem with the mapping (null: none). */
  showError: (msg: string | null) => void;
}

export function mappingPreview(ctx: MappingContext, state: EditorState, errorBox: HTMLElement, previewBox: HTMLElement): MappingPreview {
  let seq = 0;
  let abort: AbortController | null = null;

  function showError(msg: string | null): void {
    errorBox.hidden = !msg;
    replace(errorBox, msg ? [h("strong", null, "Mapping: "), msg] : []);
  }

  /** Why there is nothing to preview: shown as an error once the form has entities, else as a hint. */
  function idle(file: File | null, why: string): void {
    previewBox.removeAttribute("aria-busy");
    previewBox.classList.add("stale");
    showError(file && !state.textMode && entityNames(state).length ? why : null);
    if (!file || !entityNames(state).length) replace(previewBox, h("p", { class: "muted small", testid: "preview-idle" }, why));
  }

  async function preview(): Promise<void> {
    const mine = ++seq;
    const file = ctx.file();
    const why = !file ? "Choose a file to preview the mapping." : mappingProblem(state);
    if (why) return idle(file, why);
    abort = new AbortController();
    try {
      const found = await api.preview(file!, currentYaml(state), { sheet: ctx.sheet() || undefined, phone_region: ctx.phoneRegion() || undefined, rows: PREVIEW_ROWS }, abort.signal);
      if (mine !== seq) return;
      showError(null);
      previewBox.classList.remove("stale");
      replace(previewBox, ...previewParts(found));
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") return;
      if (mine !== seq) return;
      previewBox.classList.add("stale");
      showError(err instanceof ApiError && err.status === 400 ? err.message
        : `the preview failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      if (mine === seq) previewBox.removeAttribute("aria-busy");
    }
  }

  const run = debounce(() => void preview(), 400);
  function schedule(): void {
    seq++;
    abort?.abort();
    previewBox.setAttribute("aria-busy", "true");
    run();
  }

  return { schedule, showError };
}

function previewEntityRow(e: PreviewEntity): HTMLTableRowElement {
  const props = h("ul", { class: "preview-props" }, ...e.properties.map((p) => h("li", { "data-prop": p.prop, class: p.link ? "link" : "" },
    h("span", { class: "muted" }, `${p.label}: `), p.link ? "→ " : "", p.values.join("; "))));
  return h("tr", { testid: "preview-entity", "data-entity": e.entity, "data-schema": e.schema },
    h("td", null, e.entity),
    h("td", null, h("span", { class: "badge" }, e.schema)),
    h("td", null, e.caption || "–"),
    h("td", { class: "small" }, e.lines.join(", ")),
    h("td", null, props));
}

function previewQuarantineRow(q: QuarantineEntry): HTMLTableRowElement {
  return h("tr", { testid: "preview-quarantine", "data-line": q.line ?? "", "data-field": q.field ?? "" },
    h("td", { class: "num" }, q.line === null ? "–" : String(q.line)),
    h("td", null, q.field ?? "–"),
    h("td", null, h("code", null, q.raw_value ?? "")),
    h("td", null, q.reason),
    h("td", null, q.row_rejected ? "yes" : "no"));
}

function previewSummary(found: PreviewResult): HTMLElement {
  const bySchema = new Map<string, number>();
  for (const e of found.entities) bySchema.set(e.schema, (bySchema.get(e.schema) ?? 0) + 1);
  const counts = [...bySchema.entries()].map(([s, n]) => `${fmt(n)} ${s}`).join(", ");
  return h("p", { class: "small", testid: "preview-summary" },
    `${fmt(found.rows)} rows read, ${fmt(found.rejected)} rejected whole; ${fmt(found.entities.length)} entities`,
    counts ? ` (${counts})` : "", `; ${fmt(found.quarantine.length)} values quarantined.`);
}

/** The preview's contents: summary, the server's notes, the entities, and what would be quarantined. */
function previewParts(found: PreviewResult): HTMLElement[] {
  const entities = found.entities.length
    ? h("div", { class: "table-wrap preview-entities" },
      h("table", { class: "compact", testid: "preview-entities" },
        thead(["Entity", "Schema", "Caption", "Lines", "Properties"]),
        h("tbody", null, ...found.entities.map(previewEntityRow))))
    : h("p", { class: "muted small", testid: "preview-no-entities" }, "The first rows make no entities with this mapping.");
  const quarantine = found.quarantine.length
    ? h("div", { class: "table-wrap" },
      h("h4", null, "Would be quarantined"),
      h("table", { class: "compact", testid: "preview-quarantine-table" },
        thead(["Line", "Field", "Value", "Reason", "Row rejected"]),
        h("tbody", null, ...found.quarantine.map(previewQuarantineRow))))
    : h("p", { class: "muted small", testid: "preview-no-quarantine" }, "Nothing in the first rows would be quarantined.");
  const notes = found.notes?.length
    ? h("ul", { class: "small muted", testid: "preview-notes" }, ...found.notes.map((n) => h("li", null, n)))
    : null;
  return [previewSummary(found), ...(notes ? [notes] : []), entities, quarantine];
}
