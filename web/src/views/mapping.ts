// The table-mapping editor of the Ingest page (kind "table", issue 18).
//
// The model is the mapping document itself (`entities: {name: {schema, keys, optional?,
// properties: {prop: {column | entity, split?, format?, region?}}}}`); the YAML box always
// shows its serialisation, and that text is what is previewed, saved and ingested. A saved
// mapping (or the server's suggested one) is read back into the model when it uses only
// what the form shows; otherwise it opens in "Edit as text", where the text is the mapping
// and the form is switched off until the text reads back into it.
//
// This module builds the editor's page and holds it together: the state, how a change
// propagates (YAML box, re-render with focus kept, preview), text mode, and the toolbar.
// Its parts: mapping_model.ts (the state and operations on the document), mapping_sample.ts
// (first rows and suggestion chips), mapping_entities.ts (the entity cards),
// mapping_preview.ts (the live preview), mapping_saved.ts (saved mappings, download).

import { api, type InspectResult } from "../api";
import { h, replace } from "../dom";
import { renderEntities } from "./mapping_entities";
import {
  currentYaml, entityNames, mappingProblem, newState, uniqueName, type Editing,
} from "./mapping_model";
import { mappingPreview, type MappingPreview } from "./mapping_preview";
import { renderSample } from "./mapping_sample";
import { wireSavedMappings } from "./mapping_saved";
import { docFromValue, mappingToYaml, type MappingDoc } from "./mapping_yaml";

export { saveBlob } from "./mapping_saved";

export interface MappingContext {
  /** The chosen file (null: none yet). */
  file: () => File | null;
  /** The workbook sheet chosen ("" for CSV). */
  sheet: () => string;
  /** The phone region for numbers written without "+" ("" for none). */
  phoneRegion: () => string;
}

export interface MappingEditor {
  el: HTMLElement;
  /** A new file (or sheet) was inspected: its header, first rows and suggestions. */
  setSample: (found: InspectResult) => void;
  /** The mapping text to ingest. */
  yaml: () => string;
  /** Why the mapping cannot be used yet (a sentence), or null. */
  problem: () => string | null;
  /** Something the preview depends on changed outside the editor (phone region). */
  refresh: () => void;
}

const DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
  "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%Y%m%d"];

let uid = 0;

/** The editor as its functions see it: the shared state and callbacks, the page, the preview. */
interface Editor extends Editing {
  els: Elements;
  preview: MappingPreview;
}

type Elements = ReturnType<typeof editorElements>;

export function mappingEditor(ctx: MappingContext): MappingEditor {
  const state = newState(`me${++uid}`);
  const els = editorElements(state.id);
  const ed: Editor = {
    state, els,
    preview: mappingPreview(ctx, state, els.errorBox, els.previewBox),
    changed: (structural) => changed(ed, structural),
    setStatus: (msg) => { els.status.textContent = msg; },
  };
  const refreshSaved = wireSavedMappings(els, {
    yaml: () => currentYaml(state),
    setStatus: ed.setStatus,
    open: (m) => { state.started = true; return useText(ed, m.yaml, `Loaded ${m.name} (saved by ${m.saved_by})`); },
  });
  wireToolbar(ed);
  loadSchemata(ed);
  void refreshSaved();

  setMode(ed, false);
  renderEntities(ed, els.entitiesBox, els.addEntity);
  els.yamlBox.value = mappingToYaml(state.doc);

  return {
    el: els.el,
    setSample: (found) => setSample(ed, found),
    yaml: () => currentYaml(state),
    problem: () => mappingProblem(state),
    refresh: ed.preview.schedule,
  };
}

// ---- the page ----------------------------------------------------------------------------

function editorElements(id: string) {
  const schemaList = h("datalist", { id: `${id}-schemata` });
  const startSuggested = h("button", { type: "button", class: "secondary", testid: "mapping-start-suggested" }, "Start from suggestions");
  const startEmpty = h("button", { type: "button", class: "secondary", testid: "mapping-start-empty" }, "Start empty");
  const saved = h("select", { id: `${id}-saved`, testid: "mapping-saved" }, h("option", { value: "" }, "(saved mappings)"));
  const load = h("button", { type: "button", class: "secondary", testid: "mapping-load" }, "Load");
  const textToggle = h("input", { type: "checkbox", id: `${id}-text`, testid: "mapping-text-mode" });
  const status = h("p", { class: "small muted", role: "status", testid: "mapping-status" });
  const sampleBox = h("div", { class: "table-wrap mapping-sample-wrap" });
  const entitiesBox = h("div", { class: "mapping-entities", testid: "mapping-entities" });
  const addEntity = h("button", { type: "button", testid: "mapping-add-entity" }, "Add entity");
  const formPart = h("fieldset", { class: "mapping-form" },
    h("legend", null, "Entities each row makes"), entitiesBox, addEntity);
  const errorBox = h("div", { class: "state error", role: "alert", testid: "mapping-error", hidden: true });
  const previewBox = h("div", { class: "mapping-preview", testid: "mapping-preview", "aria-live": "polite" });
  const yamlBox = h("textarea", { id: `${id}-yaml`, class: "mapping-yaml", rows: 16, spellcheck: "false", readonly: true, testid: "mapping-yaml" });
  const saveName = h("input", { type: "text", id: `${id}-name`, size: 20, pattern: "[A-Za-z0-9_.\\-]{1,64}", placeholder: "e.g. cdr_vodafone", testid: "mapping-save-name" });
  const save = h("button", { type: "button", testid: "mapping-save" }, "Save");
  const download = h("button", { type: "button", class: "secondary", testid: "mapping-download" }, "Download YAML");
  const saveStatus = h("span", { class: "small", role: "status", testid: "mapping-save-status" });

  const el = h("section", { class: "card mapping-editor", testid: "mapping-editor", "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, "Mapping: what each row of the table makes"),
    h("div", { class: "toolbar" },
      startSuggested, startEmpty,
      h("label", { for: `${id}-saved` }, "Saved mapping"), saved, load,
      h("span", { class: "mapping-text-toggle" }, textToggle, h("label", { for: `${id}-text`, class: "inline" }, " Edit as text"))),
    status,
    h("h3", null, "First rows"),
    sampleBox,
    h("div", { class: "mapping-layout" },
      h("div", { class: "mapping-left" }, formPart, schemaList),
      h("div", { class: "mapping-right" },
        h("h3", null, "Preview of the first rows"),
        errorBox, previewBox,
        h("label", { for: `${id}-yaml` }, "Mapping (YAML)"), yamlBox,
        h("div", { class: "row" },
          h("label", { for: `${id}-name`, class: "inline" }, "Save as"), saveName, save, download, saveStatus))),
    h("datalist", { id: `${id}-formats` }, ...DATE_FORMATS.map((f) => h("option", { value: f }))));
  return {
    el, schemaList, startSuggested, startEmpty, saved, load, textToggle, status, sampleBox, entitiesBox, addEntity,
    formPart, errorBox, previewBox, yamlBox, saveName, save, download, saveStatus,
  };
}

/** The schemata for the schema inputs' list; without them schema names are taken as typed. */
function loadSchemata(ed: Editor): void {
  void api.schemata().then((list) => {
    ed.state.schemata = list;
    for (const s of list) ed.state.schemaByName.set(s.name, s);
    replace(ed.els.schemaList, ...list.map((s) => h("option", { value: s.name }, `${s.label}${s.edge ? " (a link between two entities)" : ""}`)));
    changed(ed, true);
  }, (err) => ed.setStatus(`Schemata unavailable (${err instanceof Error ? err.message : String(err)}): type schema names; the server checks them.`));
}

// ---- change propagation ----------------------------------------------------------------

/** The document changed: the YAML box follows, the form is re-rendered when `structural`, the preview is asked again. */
function changed(ed: Editor, structural: boolean): void {
  const { state, els } = ed;
  if (!state.textMode) els.yamlBox.value = mappingToYaml(state.doc);
  if (structural) {
    keepFocus(els.entitiesBox, () => renderEntities(ed, els.entitiesBox, els.addEntity));
    keepFocus(els.sampleBox, () => renderSample(ed, els.sampleBox));
  }
  if (state.pendingFocus) {
    els.entitiesBox.querySelector<HTMLElement>(`[data-fk="${CSS.escape(state.pendingFocus)}"]`)?.focus();
    state.pendingFocus = null;
  }
  ed.preview.schedule();
}

/** Text mode on (the text is the mapping, the form is off) or off (the form is the mapping). */
function setMode(ed: Editor, on: boolean): void {
  const { state, els } = ed;
  state.textMode = on;
  els.textToggle.checked = on;
  els.yamlBox.readOnly = !on;
  els.formPart.disabled = on;
  els.startSuggested.disabled = on || !state.sample?.mapping;
  els.startEmpty.disabled = on;
  els.el.classList.toggle("text-mode", on);
  if (!on) els.yamlBox.value = mappingToYaml(state.doc);
  renderSample(ed, els.sampleBox);
}

/** YAML text as the editor's model, read by the server's YAML parser. */
async function docFromYaml(yaml: string): Promise<MappingDoc> {
  return docFromValue((await api.parseMapping(yaml)).document);
}

/** YAML text into the editor: the form when it can show it, else text mode. */
async function useText(ed: Editor, yaml: string, what: string): Promise<void> {
  try {
    ed.state.doc = await docFromYaml(yaml);
    setMode(ed, false);
    ed.setStatus(`${what}.`);
  } catch (err) {
    ed.state.text = yaml;
    ed.els.yamlBox.value = yaml;
    setMode(ed, true);
    ed.setStatus(`${what}, as text: the form cannot show it (${err instanceof Error ? err.message : String(err)}).`);
  }
  changed(ed, true);
}

async function startFromSuggestions(ed: Editor): Promise<void> {
  const sample = ed.state.sample;
  if (sample?.mapping) await useText(ed, sample.mapping, "Started from the suggested mapping");
  else {
    ed.state.doc = { entities: {} };
    ed.setStatus("No suggested mapping for this file: add entities below.");
    changed(ed, true);
  }
}

/** A new file (or sheet): start from its suggestions unless the user has a mapping of their own. */
function setSample(ed: Editor, found: InspectResult): void {
  const s = ed.state;
  s.sample = found;
  ed.els.startSuggested.disabled = s.textMode || !found.mapping;
  const untouched = s.autoYaml !== null && !s.textMode && mappingToYaml(s.doc) === s.autoYaml;
  if ((!s.started && !entityNames(s).length && !s.textMode) || untouched) {
    s.started = true;
    void startFromSuggestions(ed).then(() => { s.autoYaml = s.textMode ? null : mappingToYaml(s.doc); });
  } else {
    changed(ed, true);
  }
}

// ---- the toolbar, "Add entity" and the text box -------------------------------------------

function wireToolbar(ed: Editor): void {
  const { state, els } = ed;
  els.startSuggested.addEventListener("click", () => { state.started = true; void startFromSuggestions(ed); });
  els.startEmpty.addEventListener("click", () => {
    state.started = true;
    state.doc = { entities: {} };
    ed.setStatus("Started empty: add entities below.");
    changed(ed, true);
  });
  els.addEntity.addEventListener("click", () => {
    const name = uniqueName(state.doc, `entity${entityNames(state).length + 1}`);
    state.doc.entities[name] = { schema: "", keys: [], properties: {} };
    state.started = true;
    state.pendingFocus = `e${entityNames(state).length - 1}:name`;
    changed(ed, true);
  });
  els.textToggle.addEventListener("change", () => void toggleText(ed));
  els.yamlBox.addEventListener("input", () => {
    if (!state.textMode) return;
    state.text = els.yamlBox.value;
    ed.preview.schedule();
  });
}

/** "Edit as text" ticked or unticked; unticking keeps text mode when the form cannot show the text. */
async function toggleText(ed: Editor): Promise<void> {
  const { state, els } = ed;
  if (els.textToggle.checked) {
    state.text = mappingToYaml(state.doc);
    setMode(ed, true);
    ed.setStatus("Editing as text: the text is what is previewed, saved and ingested.");
    changed(ed, false);
    return;
  }
  try {
    state.doc = await docFromYaml(els.yamlBox.value);
    setMode(ed, false);
    ed.setStatus("Back to the form.");
    changed(ed, true);
  } catch (err) {
    els.textToggle.checked = true;
    ed.preview.showError(`the text cannot be shown in the form (${err instanceof Error ? err.message : String(err)}); keep editing it as text.`);
  }
}

/** Re-renders part of the page, putting the focus (and caret) back on the same control. */
function keepFocus(container: HTMLElement, render: () => void): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? active.dataset.fk : undefined;
  const caret = active instanceof HTMLInputElement && active.type === "text" ? [active.selectionStart, active.selectionEnd] : null;
  render();
  if (!key) return;
  const next = container.querySelector<HTMLElement>(`[data-fk="${CSS.escape(key)}"]`);
  if (!next) return;
  next.focus();
  if (caret && next instanceof HTMLInputElement && caret[0] !== null && caret[1] !== null) {
    try { next.setSelectionRange(caret[0], caret[1]); } catch { /* not a text control */ }
  }
}
