// The mapping editor's "First rows": the file's header and first rows, each column with the
// server's suggestion chips (what the column looks like, and where it could go); accepting a
// chip maps the column into the document.

import type { ColumnSuggestion } from "../api";
import { h, replace } from "../dom";
import { accepted, acceptSuggestion, type Editing } from "./mapping_model";

/** Draws the first rows (or why there are none) into `box`. */
export function renderSample(ed: Editing, box: HTMLElement): void {
  const sample = ed.state.sample;
  if (!sample) { replace(box, h("p", { class: "muted small" }, "Choose a CSV or XLSX file to see its first rows.")); return; }
  if (!sample.header.length) { replace(box, h("p", { class: "muted small" }, "This file has no header row to map.")); return; }
  const byColumn = new Map<string, ColumnSuggestion[]>();
  for (const s of sample.suggestions) byColumn.set(s.column, [...(byColumn.get(s.column) ?? []), s]);
  replace(box, h("table", { class: "compact mapping-sample", testid: "mapping-sample" },
    h("thead", null, h("tr", null,
      h("th", { scope: "col", class: "num" }, "Line"),
      ...sample.header.map((c) => h("th", { scope: "col", "data-column": c },
        h("div", { class: "col-name" }, c), ...(byColumn.get(c) ?? []).map((s) => chip(ed, s)))))),
    h("tbody", null, ...sample.rows.map((r, i) => h("tr", { testid: "mapping-sample-row" },
      h("td", { class: "num muted" }, String(sample.lines[i] ?? "")),
      ...sample.header.map((_, j) => h("td", null, r[j] ?? "")))))));
}

function chip(ed: Editing, s: ColumnSuggestion): HTMLElement {
  const count = /^\d+ of \d+/.exec(s.reason)?.[0] ?? `${Math.round(s.share * 100)}%`;
  const done = accepted(ed.state.doc, s);
  const button = h("button", {
    type: "button", class: "chip-accept", testid: "mapping-suggestion-accept", "data-column": s.column,
    disabled: done || ed.state.textMode, "data-fk": `chip:${s.column}:${s.schema}:${s.prop}`,
    "aria-label": `Map ${s.column} to ${s.schema} ${s.prop}`,
  }, done ? "✓ mapped" : "Accept");
  button.addEventListener("click", () => accept(ed, s));
  return h("div", {
    class: `chip${done ? " done" : ""}`, testid: "mapping-suggestion", "data-column": s.column,
    "data-schema": s.schema, "data-prop": s.prop,
    title: `${s.reason}${s.examples.length ? `; e.g. ${s.examples.slice(0, 3).join(", ")}` : ""}${s.format ? `; format ${s.format}` : ""}`,
  }, h("span", null, `${s.kind} → ${s.schema}.${s.prop}, ${count}`), " ", button);
}

function accept(ed: Editing, s: ColumnSuggestion): void {
  if (ed.state.textMode) return;
  const target = acceptSuggestion(ed.state.doc, s);
  ed.setStatus(`${s.column} mapped to ${target}.${s.prop} (${s.schema}).`);
  ed.changed(true);
}
