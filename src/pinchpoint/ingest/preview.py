"""What a mapping would make of a table's first rows, without storing anything.

The workbench's mapping editor shows it live as the analyst edits: the entities the
first rows make (schema, caption, properties, links to the row's other entities) and
every value or row that would be quarantined, with its reason. It runs the same
reader and :class:`MappingEngine` as an ingest, so what the preview shows is what the
ingest stores.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney.exc import InvalidData

from pinchpoint.ingest.engine import MappingEngine
from pinchpoint.ingest.mapping import Mapping
from pinchpoint.ingest.records import RawRecord
from pinchpoint.ingest.run import printable_item, problem_item
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.ingest.tables import open_mapped
from pinchpoint.model.ftm import ID_PROP, get_model
from pinchpoint.store.records import QuarantineItem

PREVIEW_ROWS = 20
MAX_PREVIEW_ROWS = 200


@dataclass(frozen=True)
class PreviewProperty:
    prop: str
    label: str
    values: list[str]
    link: bool = False  # values are the captions of other entities of the row


@dataclass
class PreviewEntity:
    id: str
    schema: str
    entity: str  # the mapping's name for it
    caption: str = ""
    lines: list[int] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    properties: list[PreviewProperty] = field(default_factory=list)


@dataclass(frozen=True)
class Preview:
    rows: int
    rejected: int
    entities: list[PreviewEntity]
    quarantine: list[QuarantineItem]
    notes: list[str]


class _Collect:
    """A statement sink that keeps each entity's values, in the order they came."""

    def __init__(self, entities: dict[str, PreviewEntity]) -> None:
        self.entities = entities

    def add(self, entity_id: str, schema: str, prop: str, value: str, original: str | None,
            lang: str | None, record: str) -> None:
        if prop == ID_PROP or entity_id not in self.entities:
            return
        values = self.entities[entity_id].values.setdefault(prop, [])
        if value not in values:
            values.append(value)


def preview_table(path: Path, mapping: Mapping, options: IngestOptions,
                  rows: int = PREVIEW_ROWS) -> Preview:
    """The first `rows` rows of a CSV or XLSX through `mapping`."""
    label = options.label or path.name
    source = open_mapped(path, options, mapping, options.source or path.stem, label,
                         strict=False)
    engine = source.emitters[None]
    if not isinstance(engine, MappingEngine):  # open_mapped always makes one
        raise TypeError("a table's emitter is a MappingEngine")
    entities: dict[str, PreviewEntity] = {}
    sink = _Collect(entities)
    bad: list[QuarantineItem] = []
    read = rejected = 0
    for rec in _first(source.records, rows):
        read += 1
        if rec.problem is not None:
            bad.append(problem_item(rec.problem, rec.line, rec.locator, rec.raw, label))
            rejected += 1
            continue
        _register(engine, rec, entities)
        if not engine.map(rec, sink, bad):
            rejected += 1
    for entity in entities.values():
        _describe(entity, entities)
    made = [e for e in entities.values() if e.lines]
    return Preview(rows=read, rejected=rejected, entities=made,
                   quarantine=[printable_item(b) for b in bad], notes=source.notes)


def _first(records: Iterator[RawRecord], rows: int) -> Iterator[RawRecord]:
    try:
        for number, rec in enumerate(records):
            if number >= rows:
                return
            yield rec
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()  # the reader's file handle


def _register(engine: MappingEngine, rec: RawRecord, entities: dict[str, PreviewEntity]
              ) -> None:
    """Note which of the mapping's entities this row makes, and its line on each."""
    ids: dict[str, str] = {}
    for spec in engine.mapping.entities:
        entity_id = engine.entity_id(spec, rec.values)
        if entity_id is None:
            continue
        ids[spec.name] = entity_id
    for spec in engine.mapping.entities:
        entity_id = ids.get(spec.name)
        if entity_id is None or any(r not in ids for r in spec.requires):
            continue
        entity = entities.setdefault(entity_id, PreviewEntity(entity_id, spec.schema,
                                                              spec.name))
        if rec.line is not None and rec.line not in entity.lines:
            entity.lines.append(rec.line)


def _describe(entity: PreviewEntity, entities: dict[str, PreviewEntity]) -> None:
    """Caption and labelled properties; a link shows its target's caption."""
    schema = get_model()[entity.schema]
    proxy = get_model().make_entity(entity.schema)
    proxy.id = entity.id
    for prop, values in entity.values.items():
        if schema.properties[prop].type.name != "entity":
            try:
                proxy.add(prop, values, cleaned=True)
            except InvalidData:
                continue
    entity.caption = proxy.caption
    for prop, values in entity.values.items():
        spec = schema.properties[prop]
        link = spec.type.name == "entity"
        shown = [_target(v, entities) for v in values] if link else values
        entity.properties.append(PreviewProperty(prop, spec.label, shown, link))


def _target(entity_id: str, entities: dict[str, PreviewEntity]) -> str:
    target = entities.get(entity_id)
    if target is None:
        return entity_id
    names = target.values.get("name") or target.values.get("number") or []
    name = names[0] if names else target.entity
    return f"{name} ({target.schema}, {target.entity})"
