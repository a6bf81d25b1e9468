// The mapping editor's form: one card per entity (name, schema, optional, keys) with a row
// per property (which property, the column or linked entity it comes from, and its options).
//
// Every control changes the shared document in place and calls `ed.changed`; the editor
// then re-renders (for changes that alter what the form shows) and refreshes the YAML and
// the preview. Each focusable control carries a `data-fk` key, so that focus survives the
// re-render.

import type { SchemaProperty } from "../api";
import { h, replace, thead } from "../dom";
import {
  entityNames, header, nextProperty, propOf, removeEntity, renameEntity, renamed, resolveSchema, schemaOf, specFor,
  type Editing,
} from "./mapping_model";
import type { EntitySpec, PropSpec } from "./mapping_yaml";

/** Draws every entity's card into `box`; "Add entity" is off in text mode. */
export function renderEntities(ed: Editing, box: HTMLElement, addEntity: HTMLButtonElement): void {
  const names = entityNames(ed.state);
  if (!names.length) {
    replace(box, h("p", { class: "muted small", testid: "mapping-no-entities" },
      "No entities yet. Add one (a Person, a Call, ...), or accept a suggestion above."));
  } else {
    replace(box, ...names.map((n, i) => entityCard(ed, n, ed.state.doc.entities[n], i)));
  }
  addEntity.disabled = ed.state.textMode;
}

/** The focus key of entity `i`'s control `what`. */
const entityFk = (i: number, what: string): string => `e${i}:${what}`;

function entityCard(ed: Editing, name: string, e: EntitySpec, i: number): HTMLElement {
  const addProp = h("button", { type: "button", class: "secondary", testid: "mapping-add-property", "data-fk": entityFk(i, "addprop"), disabled: !e.schema }, "Add property");
  addProp.addEventListener("click", () => addProperty(ed, name, e, i));
  const extras = Object.keys(e).filter((k) => !["schema", "keys", "optional", "properties"].includes(k));

  return h("article", { class: "mapping-entity", testid: "mapping-entity", "data-name": name, "data-schema": e.schema, "aria-label": `Entity ${name}` },
    h("div", { class: "entity-head" },
      nameField(ed, name, i), schemaField(ed, e, i), optionalField(ed, e, i), removeEntityButton(ed, name, i)),
    keysField(ed, e, i),
    extras.length ? h("p", { class: "small muted" }, "Also: ", extras.map((k) => `${k}: ${JSON.stringify(e[k])}`).join("; "), " (edit as text to change)") : null,
    propertiesTable(ed, name, e, i),
    addProp);
}

/** The entity's name; a valid new name renames it (and the links to it) as it is typed. */
function nameField(ed: Editing, name: string, i: number): HTMLElement {
  const nameId = `${ed.state.id}-e${i}-name`;
  const input = h("input", { type: "text", id: nameId, value: name, size: 14, required: true, testid: "mapping-entity-name", "data-fk": entityFk(i, "name") });
  const msg = h("span", { class: "field-msg small", "aria-live": "polite" });
  input.addEventListener("input", () => {
    const v = input.value.trim();
    const problem = !v ? "a name is needed" : v !== name && v in ed.state.doc.entities ? `"${v}" is taken` : "";
    input.setAttribute("aria-invalid", problem ? "true" : "false");
    msg.textContent = problem;
    if (problem || v === name) return;
    renameEntity(ed.state.doc, name, v);
    ed.changed(true);
  });
  input.addEventListener("change", () => { if (input.getAttribute("aria-invalid") === "true") { input.value = name; msg.textContent = ""; } });
  return h("span", null, h("label", { for: nameId }, "Name"), input, msg);
}

/** The entity's schema: a name or label from the schemata list, any case. */
function schemaField(ed: Editing, e: EntitySpec, i: number): HTMLElement {
  const s = ed.state;
  const schemaId = `${s.id}-e${i}-schema`;
  const input = h("input", {
    type: "text", id: schemaId, value: e.schema, size: 18, list: `${s.id}-schemata`, required: true, autocomplete: "off",
    placeholder: "search schemata", testid: "mapping-entity-schema", "data-fk": entityFk(i, "schema"),
    "aria-invalid": e.schema && !resolveSchema(s, e.schema) ? "true" : "false",
  });
  const msg = h("span", { class: "field-msg small", "aria-live": "polite" },
    e.schema && s.schemata.length && !s.schemaByName.has(e.schema) ? `not a schema` : "");
  input.addEventListener("input", () => {
    const v = resolveSchema(s, input.value);
    input.setAttribute("aria-invalid", v ? "false" : "true");
    msg.textContent = v ? "" : input.value.trim() ? "choose a schema from the list" : "";
    if (!v || v === e.schema) return;
    e.schema = v;
    ed.changed(true);
  });
  input.addEventListener("change", () => {
    const v = resolveSchema(s, input.value);
    if (v && v !== input.value) input.value = v;
  });
  return h("span", null, h("label", { for: schemaId }, "Schema"), input, msg);
}

function optionalField(ed: Editing, e: EntitySpec, i: number): HTMLElement {
  const optId = `${ed.state.id}-e${i}-opt`;
  const box = h("input", { type: "checkbox", id: optId, checked: e.optional === true, testid: "mapping-entity-optional", "data-fk": entityFk(i, "optional") });
  box.addEventListener("change", () => {
    if (box.checked) e.optional = true;
    else delete e.optional;
    ed.changed(false);
  });
  return h("span", { class: "entity-optional", title: "a row whose key columns are empty makes no such entity (and is not rejected)" },
    box, h("label", { for: optId, class: "inline" }, " optional"));
}

function removeEntityButton(ed: Editing, name: string, i: number): HTMLElement {
  const remove = h("button", { type: "button", class: "secondary small", testid: "mapping-remove-entity", "data-fk": entityFk(i, "remove"), "aria-label": `Remove entity ${name}` }, "Remove");
  remove.addEventListener("click", () => {
    removeEntity(ed.state.doc, name);
    ed.setStatus(`Entity ${name} removed.`);
    ed.changed(true);
  });
  return remove;
}

/** Keys: one checkbox per column; keys not in this file's header are shown too. */
function keysField(ed: Editing, e: EntitySpec, i: number): HTMLElement {
  const id = ed.state.id;
  const keys = e.keys ?? [];
  const cols = [...header(ed.state), ...keys.filter((k) => !header(ed.state).includes(k))];
  const keyBoxes = cols.map((c, j) => {
    const box = h("input", { type: "checkbox", id: `${id}-e${i}-k${j}`, checked: keys.includes(c), testid: "mapping-entity-key", "data-column": c, "data-fk": entityFk(i, `k:${c}`) });
    box.addEventListener("change", () => {
      const now = new Set(e.keys ?? []);
      if (box.checked) now.add(c);
      else now.delete(c);
      e.keys = cols.filter((x) => now.has(x));
      ed.changed(false);
    });
    return h("span", { class: "key-choice" }, box, h("label", { for: `${id}-e${i}-k${j}`, class: "inline" }, ` ${c}`));
  });
  return h("fieldset", { class: "mapping-keys" },
    h("legend", null, "Keys: the columns that identify it"),
    cols.length ? keyBoxes : h("span", { class: "muted small" }, e.id_column ? `id from column ${String(e.id_column)}` : "No columns yet."));
}

function propertiesTable(ed: Editing, name: string, e: EntitySpec, i: number): HTMLElement {
  const propNames = Object.keys(e.properties);
  return propNames.length
    ? h("table", { class: "compact mapping-props" },
      thead(["Property", "From", "Options", ""]),
      h("tbody", null, ...propNames.map((p, j) => propertyRow({ ed, name, e, i, prop: p, j }))))
    : h("p", { class: "muted small" }, e.schema ? "No properties yet." : "Choose a schema, then add properties.");
}

function addProperty(ed: Editing, name: string, e: EntitySpec, i: number): void {
  const props = schemaOf(ed.state, e)?.properties ?? [];
  const pick = nextProperty(ed.state, e);
  if (!pick) { ed.setStatus(props.length ? `Every property of ${e.schema} is mapped already.` : `Unknown schema ${e.schema}.`); return; }
  e.properties[pick.name] = specFor(ed.state, pick, name, {});
  ed.state.pendingFocus = `e${i}:p${Object.keys(e.properties).length - 1}:prop`;
  ed.changed(true);
}

// ---- a property's row ----------------------------------------------------------------------

/** Property `prop` (row `j`) of entity `name` (card `i`). */
interface PropRow {
  ed: Editing;
  name: string;
  e: EntitySpec;
  i: number;
  prop: string;
  j: number;
}

const OPTION_KEYS = new Set(["column", "entity", "split", "format", "region"]);

const rowFk = (r: PropRow, what: string): string => `e${r.i}:p${r.j}:${what}`;
const rowId = (r: PropRow): string => `${r.ed.state.id}-e${r.i}-p${r.j}`;
/** The spec's keys the form has no control for, as text. */
const otherKeys = (spec: PropSpec): string[] => Object.keys(spec).filter((k) => !OPTION_KEYS.has(k));
const otherText = (spec: PropSpec, other: string[]): string => other.map((k) => `${k}: ${JSON.stringify(spec[k])}`).join(", ");

function propertyRow(r: PropRow): HTMLTableRowElement {
  const spec = r.e.properties[r.prop];
  const info = propOf(r.ed.state, r.e, r.prop);
  const isLink = spec.entity !== undefined || (info?.type === "entity" && spec.column === undefined);
  const remove = h("button", { type: "button", class: "secondary small", testid: "mapping-remove-property", "data-fk": rowFk(r, "remove"), "aria-label": `Remove ${r.name}.${r.prop}` }, "Remove");
  remove.addEventListener("click", () => {
    delete r.e.properties[r.prop];
    r.ed.changed(true);
  });
  return h("tr", { testid: "mapping-property", "data-prop": r.prop, "data-type": info?.type ?? "" },
    h("td", null, propertySelect(r, info)),
    h("td", null, propertySource(r, isLink)),
    h("td", { class: "prop-options" }, ...propertyOptions(r, info, isLink)),
    h("td", null, remove));
}

/** Which property: the schema's properties, those mapped already disabled. */
function propertySelect(r: PropRow, info: SchemaProperty | undefined): HTMLSelectElement {
  const { e, prop } = r;
  const spec = e.properties[prop];
  const schemaProps = schemaOf(r.ed.state, e)?.properties ?? [];
  const sel = h("select", { id: rowId(r), testid: "mapping-property-name", "data-fk": rowFk(r, "prop"), "aria-label": `Property of ${r.name}` },
    ...(info ? [] : [h("option", { value: prop, selected: true }, `${prop} (not a property of ${e.schema || "the schema"})`)]),
    ...schemaProps.map((p) => h("option", {
      value: p.name, selected: p.name === prop, disabled: p.name !== prop && p.name in e.properties,
    }, p.label === p.name ? p.name : `${p.label} (${p.name})`)));
  sel.addEventListener("change", () => {
    const to = sel.value;
    if (to === prop || to in e.properties) return;
    const newInfo = schemaProps.find((p) => p.name === to);
    const linkNow = newInfo?.type === "entity";
    const wasLink = spec.entity !== undefined;
    const next = linkNow !== wasLink ? specFor(r.ed.state, newInfo, r.name, {}) : spec;
    e.properties = renamed(e.properties, prop, to);
    e.properties[to] = next;
    r.ed.changed(true);
  });
  return sel;
}

/** Where the value comes from: a linked entity, a column, or (options the form cannot show) their text. */
function propertySource(r: PropRow, isLink: boolean): HTMLElement {
  const spec = r.e.properties[r.prop];
  const other = otherKeys(spec);
  if (isLink) return h("span", null, "entity ", linkedEntitySelect(r, spec));
  if (spec.column !== undefined || !other.length) return h("span", null, "column ", columnSelect(r, spec));
  return h("code", { class: "small" }, otherText(spec, other));
}

function linkedEntitySelect(r: PropRow, spec: PropSpec): HTMLSelectElement {
  const { ed, name } = r;
  const others = entityNames(ed.state).filter((n) => n !== name);
  const sel = h("select", { testid: "mapping-property-entity", "data-fk": rowFk(r, "entity"), "aria-label": `${name}.${r.prop}: linked entity` },
    h("option", { value: "", selected: !spec.entity }, others.length ? "(choose an entity)" : "(add another entity first)"),
    ...others.map((n) => h("option", { value: n, selected: n === spec.entity }, `${n} (${ed.state.doc.entities[n].schema || "?"})`)));
  sel.addEventListener("change", () => { spec.entity = sel.value; ed.changed(false); });
  return sel;
}

function columnSelect(r: PropRow, spec: PropSpec): HTMLSelectElement {
  const head = header(r.ed.state);
  const cols = [...head, ...(spec.column && !head.includes(spec.column) ? [spec.column] : [])];
  const sel = h("select", { testid: "mapping-property-column", "data-fk": rowFk(r, "column"), "aria-label": `${r.name}.${r.prop}: column` },
    h("option", { value: "", selected: !spec.column }, "(choose a column)"),
    ...cols.map((c) => h("option", { value: c, selected: c === spec.column }, c)));
  sel.addEventListener("change", () => { spec.column = sel.value; r.ed.changed(true); });
  return sel;
}

/** The options of a column: split, and date format or phone region where the type has them. */
function propertyOptions(r: PropRow, info: SchemaProperty | undefined, isLink: boolean): HTMLElement[] {
  const spec = r.e.properties[r.prop];
  const other = otherKeys(spec);
  const options: HTMLElement[] = [];
  if (!isLink) {
    const type = info?.type;
    options.push(textOption(r, spec, "split", "split on", { size: 3, placeholder: ";", title: "several values in one cell, split on this text" }));
    if (!type || type === "date" || spec.format !== undefined) {
      options.push(textOption(r, spec, "format", "date format", { size: 12, list: `${r.ed.state.id}-formats`, placeholder: "%Y-%m-%d", title: "how the dates are written (strftime)" }));
    }
    if (!type || type === "phone" || spec.region !== undefined) {
      options.push(textOption(r, spec, "region", "phone region", { size: 3, placeholder: "gb", title: "country for numbers written without +" }));
    }
  }
  if (other.length && (isLink || spec.column !== undefined)) options.push(h("code", { class: "small" }, otherText(spec, other)));
  return options;
}

function textOption(r: PropRow, spec: PropSpec, key: "split" | "format" | "region", label: string, attrs: Record<string, string | number>): HTMLElement {
  const inputId = `${rowId(r)}-${key}`;
  const input = h("input", { type: "text", id: inputId, value: spec[key] ?? "", testid: `mapping-property-${key}`, "data-fk": rowFk(r, key), ...attrs });
  input.addEventListener("input", () => {
    if (input.value === "") delete spec[key];
    else spec[key] = input.value;
    r.ed.changed(false);
  });
  return h("span", { class: "prop-option" }, h("label", { for: inputId, class: "inline" }, label), " ", input);
}
