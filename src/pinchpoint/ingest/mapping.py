"""Mapping files: how the columns of a table become FtM entities and properties.

The layout follows FtM's own mapping format (``entities`` with ``schema``, ``keys``
and ``properties`` taking ``column``, ``columns`` + ``join``, ``literal`` or
``entity``), so analysts who know ``ftm map`` can write one. Unlike FtM, a mapping is
validated up front and every value that does not clean is quarantined, not dropped.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import string
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from pinchpoint.ingest.clean import Memo
from pinchpoint.ingest.errors import MappingError
from pinchpoint.ingest.limits import excerpt
from pinchpoint.model.ftm import get_model
from pinchpoint.model.textfiles import TextFileError, read_bounded

PROPERTY_KEYS = {"column", "columns", "join", "literal", "entity", "format", "region",
                 "region_column", "lang", "split", "template"}
ENTITY_KEYS = {"schema", "keys", "id_column", "key_literal", "properties", "optional",
               "requires"}


@dataclass(frozen=True)
class PropertySpec:
    name: str
    columns: tuple[str, ...] = ()
    join: str | None = None  # several columns: one value joined by this, else one each
    literal: tuple[str, ...] = ()
    entity: str | None = None
    format: str | None = None
    region: str | None = None
    region_column: str | None = None
    lang: str | None = None
    split: str | None = None
    template: str | None = None


@dataclass(frozen=True)
class EntitySpec:
    name: str
    schema: str
    keys: tuple[str, ...]
    id_column: str | None
    key_literal: str
    optional: bool
    properties: tuple[PropertySpec, ...]
    requires: tuple[str, ...] = ()  # link entities: made only when these entities exist

    def columns(self) -> set[str]:
        cols = set(self.keys)
        if self.id_column:
            cols.add(self.id_column)
        for prop in self.properties:
            cols.update(prop.columns)
            if prop.region_column:
                cols.add(prop.region_column)
        return cols


@dataclass(frozen=True)
class Mapping:
    entities: tuple[EntitySpec, ...]
    origin: str = "<mapping>"
    # Read-only, as the rest: one parsed mapping serves every file mapped through it.
    extra: MappingProxyType[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def columns(self) -> set[str]:
        return set().union(*(e.columns() for e in self.entities)) if self.entities else set()

    def ordered_columns(self) -> list[str]:
        """The columns the mapping reads, in the order it first names them."""
        found: dict[str, None] = {}
        for entity in self.entities:
            found.update(dict.fromkeys(entity.keys))
            if entity.id_column:
                found[entity.id_column] = None
            for prop in entity.properties:
                found.update(dict.fromkeys(prop.columns))
                if prop.region_column:
                    found[prop.region_column] = None
        return list(found)

    def required(self) -> set[str]:
        """The columns a file must have: the keys of the entities every row makes."""
        needed: set[str] = set()
        for entity in self.entities:
            if not entity.optional:
                needed.update(entity.keys)
                if entity.id_column:
                    needed.add(entity.id_column)
        return needed


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | float):
        return (str(value),)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return tuple(str(v) for v in value)
    raise MappingError(f"{where}: expected a string or a list of strings, got {excerpt(value)}")


def _parse_property(entity: str, schema: str, name: str, spec: Any) -> PropertySpec:
    where = f"entity {entity!r}, property {name!r}"
    prop = get_model()[schema].get(name)
    if prop is None:
        raise MappingError(f"{where}: schema {schema} has no property {name!r}")
    if prop.stub:
        raise MappingError(f"{where}: {name} is the reverse side of {prop.reverse}; map the "
                           "link on the entity that holds it")
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: expected a mapping such as {{column: NAME}}")
    unknown = set(spec) - PROPERTY_KEYS
    if unknown:
        raise MappingError(f"{where}: unknown option(s) {sorted(unknown)}")
    columns = _strings(spec.get("column"), where) + _strings(spec.get("columns"), where)
    literal = _strings(spec.get("literal"), where)
    entity_ref = spec.get("entity")
    template = spec.get("template")
    if entity_ref is not None and prop.type.name != "entity":
        raise MappingError(f"{where}: 'entity' given but {name} is not an entity property")
    if prop.type.name == "entity" and entity_ref is None:
        raise MappingError(f"{where}: {name} links to another entity; write "
                           f"{{entity: NAME}} naming one of this mapping's entities")
    if entity_ref is not None and str(entity_ref) == entity:
        raise MappingError(f"{where}: an entity cannot link to itself")
    if not (columns or literal or entity_ref or template):
        raise MappingError(f"{where}: needs one of column, columns, literal, entity, template")
    if template is not None:
        if not isinstance(template, str):
            raise MappingError(f"{where}: template must be a string")
        columns += tuple(_template_columns(template))
    return PropertySpec(
        name=name, columns=columns, join=_opt_str(spec, "join", where), literal=literal,
        entity=str(entity_ref) if entity_ref is not None else None,
        format=_opt_str(spec, "format", where), region=_opt_str(spec, "region", where),
        region_column=_opt_str(spec, "region_column", where), lang=_opt_str(spec, "lang", where),
        split=_opt_str(spec, "split", where), template=template,
    )


def _template_columns(template: str) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise MappingError(f"template {template!r} is not valid: {exc}") from None
    fields = []
    for _, column, format_spec, conversion in parsed:
        if column is None:
            continue
        if not column or any(c in column for c in ".[]") or format_spec or conversion:
            raise MappingError(f"template {template!r}: write plain column names in braces, "
                               "such as {first_name}")
        fields.append(column)
    return fields


def _flag(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise MappingError(f"{where}: expected true or false, got {excerpt(value)}")


def _opt_str(spec: dict[str, Any], key: str, where: str) -> str | None:
    value = spec.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int):
        raise MappingError(f"{where}: {key} must be a string")
    return str(value)


def _parse_entity(name: str, spec: Any) -> EntitySpec:
    if not isinstance(spec, dict):
        raise MappingError(f"entity {name!r}: expected a mapping with schema, keys, properties")
    unknown = set(spec) - ENTITY_KEYS
    if unknown:
        raise MappingError(f"entity {name!r}: unknown option(s) {sorted(unknown)}")
    schema_name = spec.get("schema")
    schema = get_model().get(schema_name) if isinstance(schema_name, str) else None
    if schema is None:
        raise MappingError(f"entity {name!r}: unknown schema {excerpt(schema_name)}")
    if schema.abstract:
        raise MappingError(f"entity {name!r}: schema {schema.name} is abstract")
    keys = _strings(spec.get("keys"), f"entity {name!r} keys")
    id_column = spec.get("id_column")
    if not keys and not id_column:
        raise MappingError(f"entity {name!r}: needs keys (columns that identify it) or id_column")
    props = spec.get("properties") or {}
    if not isinstance(props, dict):
        raise MappingError(f"entity {name!r}: properties must be a mapping")
    return EntitySpec(
        name=name, schema=schema.name, keys=keys,
        id_column=str(id_column) if id_column else None,
        key_literal=str(spec.get("key_literal", "")),
        optional=_flag(spec.get("optional", False), f"entity {name!r} optional"),
        properties=tuple(_parse_property(name, schema.name, p, s) for p, s in props.items()),
        requires=_strings(spec.get("requires"), f"entity {name!r} requires"),
    )


def parse_mapping(data: Any, origin: str = "<mapping>") -> Mapping:
    """Validate a mapping document; raises :class:`MappingError` with a clear message."""
    if not isinstance(data, dict) or not isinstance(data.get("entities"), dict):
        raise MappingError(f"{origin}: a mapping needs a top-level 'entities:' section")
    if not data["entities"]:
        raise MappingError(f"{origin}: 'entities:' is empty")
    entities = tuple(_parse_entity(str(n), s) for n, s in data["entities"].items())
    names = {e.name for e in entities}
    for entity in entities:
        for ref in entity.requires:
            if ref not in names:
                raise MappingError(f"{origin}: entity {entity.name!r} requires unknown {ref!r}")
        for prop in entity.properties:
            if prop.entity is not None and prop.entity not in names:
                raise MappingError(
                    f"{origin}: entity {entity.name!r}, property {prop.name!r} refers to "
                    f"unknown entity {prop.entity!r}"
                )
    extra = {k: v for k, v in data.items() if k != "entities"}
    return Mapping(entities=entities, origin=origin, extra=MappingProxyType(extra))


MAX_MAPPING_BYTES = 1_000_000  # the built-in mappings are under 10 KB


def load_mapping(path: str | Path) -> Mapping:
    """A mapping file, validated. Anchors and aliases (``&a``, ``*a``) are refused: a
    mapping never needs them, and nested aliases expand exponentially (a "billion
    laughs" file of a few hundred bytes becomes gigabytes once loaded)."""
    path = Path(path)  # read each time: only what it holds decides whether it is known
    try:
        text = read_bounded(path, MAX_MAPPING_BYTES)
    except TextFileError as exc:
        raise MappingError(f"cannot read mapping: {exc}") from exc
    return mapping_from_text(text, str(path))


def mapping_from_text(text: str, origin: str = "<mapping>") -> Mapping:
    """A mapping given as YAML text (a file's, or one typed in the workbench), validated
    with the same rules as a file: no anchors or aliases, at most 32 levels deep."""
    key = (origin, hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    known: Mapping | None = _LOADED.results.get(key)
    if known is None:
        known = parse_mapping(mapping_document(text, origin), origin=origin)
        _LOADED.keep(key, "", known)
    return known


def mapping_document(text: str, origin: str = "<mapping>") -> Any:
    """YAML text loaded as data, with a mapping's limits (no anchors or aliases, at most
    32 levels, 1 MB) but not yet checked as a mapping: what the workbench's editor shows
    in its form, and what `parse_mapping` then validates."""
    if len(text) > MAX_MAPPING_BYTES:
        raise MappingError(f"{origin} is larger than {MAX_MAPPING_BYTES:,} characters")
    try:
        _check_events(text, origin)
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingError(f"{origin} is not valid YAML: {exc}") from exc


# Mapping files already validated, by path and content: a run ingests hundreds of files
# through the same mapping, and a file edited in between is read and checked afresh.
# A Mapping is frozen, so every caller can share one.
_LOADED = Memo(entries=64)


MAX_MAPPING_DEPTH = 32  # a mapping nests 5 deep; PyYAML's composer recurses per level


def _check_events(text: str, path: str) -> None:
    """Refuse aliases, anchors and deep nesting before PyYAML builds anything."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise MappingError(f"{path}: YAML anchors and aliases (&name, *name) are not "
                               "allowed in a mapping; write each value out")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_MAPPING_DEPTH:
                raise MappingError(f"{path} nests more than {MAX_MAPPING_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def builtin_mapping(name: str) -> Any:
    """The raw YAML of a mapping that ships with Pinchpoint (``ledger``, ``phone``...).

    Parsed once per process (a demo scenario ingests hundreds of files); each caller
    gets its own copy, so nothing it does can change the next caller's mapping.
    """
    return copy.deepcopy(_builtin_yaml(name))


@functools.cache
def builtin_layout(name: str, origin: str) -> Mapping:
    """A built-in mapping validated once per process: every file of a layout maps
    through the same frozen Mapping."""
    return parse_mapping(builtin_mapping(name), origin=origin)


@functools.cache
def _builtin_yaml(name: str) -> Any:
    path = Path(__file__).parent / "mappings" / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
