"""FollowTheMoney entities as JSON lines (what `ftm` and Aleph export).

Entity ids are the uploader's, namespaced by the owning agency as every ingest's are
(`pinchpoint.model.owned`): an id the owner already owns is kept, so an exported
workspace re-imports to the same entities, and an id of another agency's never reaches
that agency's entities. Every value is cleaned by its property's type; what fails is
quarantined. A line that is not JSON, nests too deeply or is over MAX_LINE characters is
one quarantined row: the lines around it are still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from followthemoney.property import Property

from pinchpoint.ingest.clean import Cleaner, clean_visible, make_cleaner, text_of
from pinchpoint.ingest.engine import DedupSink, valid_entity_id
from pinchpoint.ingest.jsontext import loads_bounded
from pinchpoint.ingest.limits import MAX_LINE, excerpt, shorten, too_long
from pinchpoint.ingest.records import RawRecord
from pinchpoint.ingest.source import IngestOptions, Source, StatementSink
from pinchpoint.ingest.tabular import ByteCounter
from pinchpoint.model.ftm import ID_PROP, get_model
from pinchpoint.store.records import QuarantineItem


def _lines(path: Path, counter: ByteCounter) -> Iterator[RawRecord]:
    with open(path, encoding="utf-8", errors="surrogateescape") as fh:
        for number, line in enumerate(fh, start=1):
            counter.done += len(line)
            if not line.strip():
                continue
            if len(line) > MAX_LINE:
                yield RawRecord({}, line=number, raw=line,
                                problem=f"the line is {too_long(line, MAX_LINE, 'one line')}")
                continue
            try:
                data = loads_bounded(line)
            except ValueError as exc:
                yield RawRecord({}, line=number, raw=line, problem=f"not valid JSON: {exc}")
                continue
            if not isinstance(data, dict):
                yield RawRecord({}, line=number, raw=line[:2000],
                                problem="a line must be one JSON object (an entity)")
                continue
            yield RawRecord(data, line=number)


class FtmEmitter:
    def __init__(self, file_label: str) -> None:
        self.file_label = file_label
        self.model = get_model()
        self._cleaners: dict[str, Cleaner] = {}

    def _cleaner(self, prop: Property) -> Cleaner:
        cleaner = self._cleaners.get(prop.qname)
        if cleaner is None:
            cleaner = self._cleaners[prop.qname] = make_cleaner(prop)
        return cleaner

    def _bad(self, rec: RawRecord, field: str | None, raw: Any, reason: str,
             row: bool = False) -> QuarantineItem:
        raw_text = None if raw is None else (raw if isinstance(raw, str) else json.dumps(raw))
        return QuarantineItem(self.file_label, rec.line, None, field, raw_text, reason, row)

    def map(self, rec: RawRecord, out: StatementSink, bad: list[QuarantineItem]) -> bool:
        data = rec.values
        entity_id, schema_name = data.get("id"), data.get("schema")
        if not isinstance(entity_id, str) or not entity_id.strip():
            bad.append(self._bad(rec, "id", entity_id, "entity has no id", row=True))
            return False
        if not valid_entity_id(entity_id.strip()):
            bad.append(self._bad(rec, "id", entity_id,
                                 "not a valid entity id (letters, digits, '.' and '-' only)",
                                 row=True))
            return False
        schema = self.model.get(schema_name) if isinstance(schema_name, str) else None
        if schema is None or schema.abstract:
            bad.append(self._bad(rec, "schema", schema_name,
                                 f"unknown or abstract schema {excerpt(schema_name)}", row=True))
            return False
        props = data.get("properties") or {}
        if not isinstance(props, dict):
            bad.append(self._bad(rec, "properties", props, "properties must be an object",
                                 row=True))
            return False
        entity_id = entity_id.strip()
        record = rec.where(self.file_label)
        out = DedupSink(out)  # a value listed twice is one statement
        out.add(entity_id, schema.name, ID_PROP, entity_id, None, None, record)
        for name, values in props.items():
            prop = schema.get(name)
            if prop is None or prop.stub:
                bad.append(self._bad(rec, name, values,
                                     f"{schema.name} has no property {shorten(name, 80)}"))
                continue
            for value in values if isinstance(values, list) else [values]:
                self._value(rec, record, entity_id, schema.name, prop, value, out, bad)
        return True

    def _value(self, rec: RawRecord, record: str, entity_id: str, schema: str, prop: Property,
               value: Any, out: StatementSink, bad: list[QuarantineItem]) -> None:
        if value is None or isinstance(value, dict | list):
            bad.append(self._bad(rec, prop.name, value, "a value must be text or a number"))
            return
        raw = text_of(value).strip()
        if not raw:
            return
        cleaned, reason, note = clean_visible(self._cleaner(prop), raw, None)
        if note is not None:
            bad.append(self._bad(rec, prop.name, raw, f"{schema}.{prop.name}: {note}"))
        if cleaned is not None and prop.type.name == "entity" and cleaned == entity_id:
            cleaned, reason = None, "an entity cannot refer to itself"
        if cleaned is None:
            bad.append(self._bad(rec, prop.name, raw, f"{schema}.{prop.name}: {reason}"))
            return
        out.add(entity_id, schema, prop.name, cleaned, raw if raw != cleaned else None, None,
                record)


def open_ftm(path: Path, options: IngestOptions, namespace: str, file_label: str) -> Source:
    counter = ByteCounter()
    return Source(records=_lines(path, counter), emitters={None: FtmEmitter(file_label)},
                  progress_total=path.stat().st_size, counter=counter)
