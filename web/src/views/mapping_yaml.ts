// The table-mapping document as YAML, and back.
//
// Writing: block style, every string a JSON string (YAML reads JSON strings as they are),
// column lists as flow sequences (`keys: ["caller", "time"]`), so what the editor writes is
// exactly what `pinchpoint ingest table --mapping` reads.
//
// Reading is the server's (`POST /api/mappings/parse`, PyYAML with the mapping's limits): the
// same parser that reads the mapping when it is ingested. Here its answer becomes the
// editor's model; what the form cannot show (a property written as a string, keys that are
// not a list of columns) is refused with a YamlSubsetError and the editor keeps the text as
// text ("Edit as text").

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export class YamlSubsetError extends Error {}

/** A mapping's property: where its value comes from, and how to read it. */
export interface PropSpec {
  column?: string;
  entity?: string;
  split?: string;
  format?: string;
  region?: string;
  [option: string]: YamlValue | undefined;
}

export interface EntitySpec {
  schema: string;
  keys?: string[];
  optional?: boolean;
  properties: Record<string, PropSpec>;
  [option: string]: YamlValue | undefined | string[] | Record<string, PropSpec>;
}

/** The whole mapping document: `entities: {name: {schema, keys, optional?, properties}}`. */
export interface MappingDoc {
  entities: Record<string, EntitySpec>;
  [other: string]: unknown;
}

// ---- writing -------------------------------------------------------------------------

const BOOLISH = /^(y|n|yes|no|true|false|on|off|null|~)$/i;

/** A string as YAML: a JSON string, with the C1 controls YAML readers refuse escaped. */
export function yamlString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function yamlKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) && !BOOLISH.test(k) ? k : yamlString(k);
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : yamlString(String(v));
  return yamlString(String(v));
}

function isScalar(v: unknown): boolean {
  return v === null || v === undefined || typeof v !== "object";
}

function orderedKeys(obj: Record<string, unknown>, order: string[]): string[] {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  return keys.map((k, i) => [k, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([k]) => k);
}

/** Any JSON-like value as block YAML at `indent` (lines end with "\n"). */
function block(value: unknown, indent: number, order: (path: string[]) => string[], path: string[]): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (!value.length) return `${pad}[]\n`;
    return value.map((v) => {
      if (isScalar(v)) return `${pad}- ${scalar(v)}\n`;
      const inner = block(v, indent + 2, order, [...path, "-"]);
      return `${pad}- ${inner.slice(indent + 2)}`;
    }).join("");
  }
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = orderedKeys(obj, order(path));
    if (!keys.length) return `${pad}{}\n`;
    return keys.map((k) => {
      const v = obj[k];
      if (isScalar(v)) return `${pad}${yamlKey(k)}: ${scalar(v)}\n`;
      if (Array.isArray(v) && (!v.length || v.every(isScalar))) return `${pad}${yamlKey(k)}: [${v.map(scalar).join(", ")}]\n`;
      if (!Array.isArray(v) && !Object.keys(v as object).some((x) => (v as Record<string, unknown>)[x] !== undefined)) return `${pad}${yamlKey(k)}: {}\n`;
      return `${pad}${yamlKey(k)}:\n${block(v, indent + 2, order, [...path, k])}`;
    }).join("");
  }
  return `${pad}${scalar(value)}\n`;
}

const ENTITY_ORDER = ["schema", "keys", "id_column", "key_literal", "optional", "requires", "properties"];
const PROP_ORDER = ["column", "columns", "join", "literal", "template", "entity", "split", "format", "region", "region_column", "lang"];

/** The mapping document as YAML text, keys of entities and properties in a fixed order. */
export function mappingToYaml(doc: MappingDoc): string {
  const order = (path: string[]): string[] => {
    if (path.length === 0) return ["entities"];
    if (path[0] === "entities" && path.length === 2) return ENTITY_ORDER;
    if (path[0] === "entities" && path.length === 4 && path[2] === "properties") return PROP_ORDER;
    return [];
  };
  return block(doc, 0, order, []);
}

// ---- reading -------------------------------------------------------------------------

function isMap(v: unknown): v is Record<string, YamlValue> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

function strings(v: YamlValue | undefined, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "string" || typeof v === "number") return [String(v)];
  if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) return v.map(String);
  throw new YamlSubsetError(`${where} must be a list of column names`);
}

/** A parsed mapping document as the editor's model; YamlSubsetError when the form cannot show it. */
export function docFromValue(v: unknown): MappingDoc {
  if (!isMap(v) || !isMap(v.entities)) throw new YamlSubsetError("a mapping needs an `entities:` mapping");
  const doc: MappingDoc = { entities: {} };
  for (const [k, val] of Object.entries(v)) if (k !== "entities") doc[k] = val;
  for (const [name, spec] of Object.entries(v.entities)) {
    if (!isMap(spec)) throw new YamlSubsetError(`entity "${name}" must be a mapping`);
    const props = spec.properties ?? {};
    if (!isMap(props)) throw new YamlSubsetError(`entity "${name}": properties must be a mapping`);
    const entity: EntitySpec = { schema: "", keys: [], properties: {} };
    for (const [k, val] of Object.entries(spec)) {
      if (k === "schema") entity.schema = typeof val === "string" ? val : String(val ?? "");
      else if (k === "keys") entity.keys = strings(val, `entity "${name}" keys`);
      else if (k === "optional") entity.optional = val === true;
      else if (k !== "properties") entity[k] = val;
    }
    if (!("keys" in spec)) delete entity.keys;
    for (const [prop, p] of Object.entries(props)) {
      if (!isMap(p)) throw new YamlSubsetError(`entity "${name}" property "${prop}" must be a mapping`);
      const ps: PropSpec = {};
      for (const [k, val] of Object.entries(p)) {
        if (["column", "entity", "split", "format", "region"].includes(k) && typeof val === "number") {
          ps[k] = String(val);
          continue;
        }
        if (["column", "entity", "split", "format", "region"].includes(k) && typeof val !== "string") {
          throw new YamlSubsetError(`entity "${name}" property "${prop}": ${k} must be text`);
        }
        ps[k] = val;
      }
      entity.properties[prop] = ps;
    }
    // keep the schema, keys, ..., properties order the writer uses
    doc.entities[name] = entity;
  }
  return doc;
}
