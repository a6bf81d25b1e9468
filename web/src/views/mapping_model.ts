// The mapping editor's state, and what can be worked out from it without touching the page.
//
// The editor's modules (mapping.ts and its mapping_*.ts parts) share one EditorState object:
// the mapping document being edited, whether the text is the mapping ("Edit as text"), the
// file's first rows, and the server's schemata. The functions here read or change the
// document only; rendering and wiring live in the modules that draw the page.

import type { ColumnSuggestion, InspectResult, SchemaInfo, SchemaProperty } from "../api";
import { mappingToYaml, type EntitySpec, type MappingDoc, type PropSpec } from "./mapping_yaml";

/** Column prefixes that say nothing about whose value it is ("full_name", "birth_date"). */
const GENERIC_PREFIX = /^(full|first|last|given|family|middle|sur|maiden|birth|date|phone|mobile|cell|tel|contact|home|work|main|primary|e|email|account|bank|country|nat)$/i;

export interface EditorState {
  /** Prefix of the editor's element ids (several editors may share a page). */
  id: string;
  doc: MappingDoc;
  /** "Edit as text": `text` is the mapping and the form is switched off. */
  textMode: boolean;
  text: string;
  /** The file's header, first rows and suggestions (null: no file inspected yet). */
  sample: InspectResult | null;
  /** The user (or a file's suggestions) has started a mapping. */
  started: boolean;
  schemata: SchemaInfo[];
  schemaByName: Map<string, SchemaInfo>;
  /** The data-fk of the control to focus after the next re-render. */
  pendingFocus: string | null;
  /** The mapping as started automatically from a file's suggestions (null: edited since, or none). */
  autoYaml: string | null;
}

/** What the parts that draw the form get from the editor: its state, and what to call on a change. */
export interface Editing {
  state: EditorState;
  /** The document changed: the YAML and preview follow; `structural` re-renders the form. */
  changed: (structural: boolean) => void;
  setStatus: (msg: string) => void;
}

export function newState(id: string): EditorState {
  return {
    id, doc: { entities: {} }, textMode: false, text: "", sample: null, started: false,
    schemata: [], schemaByName: new Map(), pendingFocus: null, autoYaml: null,
  };
}

export const header = (s: EditorState): string[] => s.sample?.header ?? [];
export const entityNames = (s: EditorState): string[] => Object.keys(s.doc.entities);
/** The mapping text to preview, save and ingest. */
export const currentYaml = (s: EditorState): string => (s.textMode ? s.text : mappingToYaml(s.doc));
export const schemaOf = (s: EditorState, e: EntitySpec): SchemaInfo | undefined => s.schemaByName.get(e.schema);
export const propOf = (s: EditorState, e: EntitySpec, prop: string): SchemaProperty | undefined =>
  schemaOf(s, e)?.properties.find((p) => p.name === prop);

/** A schema typed by the user (name or label, any case) as a schema's name, or null. */
export function resolveSchema(s: EditorState, v: string): string | null {
  const t = v.trim();
  if (!t) return null;
  if (!s.schemata.length) return t; // schemata not loaded: trust the text, the server checks
  if (s.schemaByName.has(t)) return t;
  const low = t.toLowerCase();
  const hit = s.schemata.find((x) => x.name.toLowerCase() === low || x.label.toLowerCase() === low);
  return hit ? hit.name : null;
}

/** An entity name not yet in the mapping, made from `base`. */
export function uniqueName(doc: MappingDoc, base: string): string {
  const clean = base.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "") || "entity";
  if (!(clean in doc.entities)) return clean;
  for (let n = 2; ; n++) if (!(`${clean}${n}` in doc.entities)) return `${clean}${n}`;
}

/** Rebuilds an object with one key renamed, keeping the order of keys. */
export function renamed<T>(obj: Record<string, T>, from: string, to: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(obj)) out[k === from ? to : k] = v;
  return out;
}

/** Renames an entity, and the links and `requires` that name it. */
export function renameEntity(doc: MappingDoc, from: string, to: string): void {
  doc.entities = renamed(doc.entities, from, to);
  for (const e of Object.values(doc.entities)) {
    for (const p of Object.values(e.properties)) if (p.entity === from) p.entity = to;
    const req = e.requires;
    if (Array.isArray(req)) e.requires = req.map((r) => (r === from ? to : r));
  }
}

/** Removes an entity; links to it are left to be chosen again, `requires` forget it. */
export function removeEntity(doc: MappingDoc, name: string): void {
  delete doc.entities[name];
  for (const other of Object.values(doc.entities)) {
    for (const p of Object.values(other.properties)) if (p.entity === name) p.entity = "";
    if (Array.isArray(other.requires)) other.requires = other.requires.filter((r) => r !== name);
  }
}

/** A property's spec when it becomes `prop`: a link to another entity, or a column. */
export function specFor(s: EditorState, prop: SchemaProperty | undefined, self: string, old: PropSpec): PropSpec {
  if (prop?.type === "entity") {
    const others = entityNames(s).filter((n) => n !== self);
    return { entity: old.entity && old.entity !== self ? old.entity : others[0] ?? "" };
  }
  const cols = header(s);
  const spec: PropSpec = {
    column: old.column ?? cols.find((c) => prop && c.toLowerCase() === prop.name.toLowerCase()) ?? cols[0] ?? "",
  };
  for (const k of ["split", "format", "region"]) if (old[k] !== undefined) spec[k] = old[k];
  return spec;
}

/** The property "Add property" adds: one named like a column, else "name", else the first free one. */
export function nextProperty(s: EditorState, e: EntitySpec): SchemaProperty | undefined {
  const used = new Set(Object.keys(e.properties));
  const cols = header(s);
  const free = (schemaOf(s, e)?.properties ?? []).filter((p) => !used.has(p.name));
  return free.find((p) => cols.some((c) => c.toLowerCase() === p.name.toLowerCase()))
    ?? free.find((p) => p.name === "name") ?? free.find((p) => !["url", "entity"].includes(p.type)) ?? free[0];
}

/** Whether the mapping already maps a suggestion's column to its schema's property. */
export function accepted(doc: MappingDoc, s: ColumnSuggestion): boolean {
  return Object.values(doc.entities).some((e) => e.schema === s.schema && e.properties[s.prop]?.column === s.column);
}

/** Maps a suggestion's column into the document; returns the entity that took it. */
export function acceptSuggestion(doc: MappingDoc, s: ColumnSuggestion): string {
  let target = Object.entries(doc.entities).find(([, e]) => e.schema === s.schema && !(s.prop in e.properties))?.[0];
  if (!target) {
    // caller_number -> "caller"; a column without a prefix -> the schema's name
    const m = /^(.+?)[_\s-]+(number|no|num|name|phone|tel|msisdn|id|date|time|dob|country|iban)$/i.exec(s.column);
    const prefix = m && !GENERIC_PREFIX.test(m[1]) ? m[1].toLowerCase() : "";
    target = uniqueName(doc, prefix || s.schema.toLowerCase());
    doc.entities[target] = { schema: s.schema, keys: [s.column], properties: {} };
  }
  const spec: PropSpec = { column: s.column };
  if (s.format) spec.format = s.format;
  doc.entities[target].properties[s.prop] = spec;
  return target;
}

/** Why the mapping cannot be previewed or ingested yet, in the analyst's words. */
export function mappingProblem(s: EditorState): string | null {
  if (s.textMode) return s.text.trim() ? null : "The mapping text is empty.";
  const names = entityNames(s);
  if (!names.length) return "Add at least one entity.";
  for (const n of names) {
    const why = entityProblem(s, n);
    if (why) return why;
  }
  return null;
}

function entityProblem(s: EditorState, n: string): string | null {
  const e = s.doc.entities[n];
  if (!e.schema) return `Entity ${n} needs a schema.`;
  if (s.schemata.length && !s.schemaByName.has(e.schema)) return `Entity ${n}: ${e.schema} is not a schema.`;
  if (!(e.keys ?? []).length && !e.id_column) return `Entity ${n} needs keys: tick the columns that identify it.`;
  for (const [p, spec] of Object.entries(e.properties)) {
    if (spec.entity !== undefined && !spec.entity) return `${n}.${p} needs the entity it links to.`;
    if (spec.entity && !(spec.entity in s.doc.entities)) return `${n}.${p} links to ${spec.entity}, which is not in the mapping.`;
    if (spec.column !== undefined && !spec.column) return `${n}.${p} needs a column.`;
  }
  return null;
}
