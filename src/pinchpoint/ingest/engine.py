"""The one mapping engine every adapter shares: records in, statements and quarantine out.

Adapters only read their file format into :class:`RawRecord` objects; this engine turns
records into statements through a :class:`Mapping`. Rules that hold for every source:

- an entity's id is a hash of its namespace, schema and key values, so the same key
  in the same source always names the same entity;
- every id a batch stores, and every entity reference, is owned by the batch's owner
  (:func:`pinchpoint.model.owned.owned_id`, applied as the buffer hands rows to the
  store), so no upload can add statements to another agency's entities;
- a row whose required entity has no key is rejected whole (quarantined as a row);
- a value that does not clean is quarantined with its field and reason, and the rest
  of the row is kept;
- an optional entity with values but no key is quarantined, not dropped;
- a JSON list in a column is several values; a nested object or list is quarantined,
  never stored as its Python spelling;
- invisible and bidirectional control characters are removed from every value before
  it is cleaned; the value is stored without them, the original in `original_value`,
  and a quarantine note (not a rejection) says which were removed.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache, lru_cache
from typing import Any

from followthemoney.exc import InvalidData
from followthemoney.types import registry

from pinchpoint.ingest.clean import Cleaner, clean_visible, make_cleaner, text_of, visible
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.mapping import EntitySpec, Mapping, PropertySpec
from pinchpoint.ingest.records import RawRecord
from pinchpoint.ingest.source import StatementSink
from pinchpoint.model.ftm import ID_PROP, get_model
from pinchpoint.model.owned import is_reference, owned_id
from pinchpoint.store.records import ROW_COLUMNS, QuarantineItem


def valid_entity_id(value: str) -> bool:
    """FtM's id syntax: ids outside it are dropped by FtM readers of our exports."""
    return registry.entity.clean(value) == value


def make_entity_id(namespace: str, schema: str, parts: list[str]) -> str:
    raw = "\x1f".join([namespace, schema, *parts])
    return hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()


_KEY_CACHE: dict[Any, str] = {}
_NESTED = (list, dict)


def _norm_key(value: Any) -> str:
    """Key values with case, spacing and invisible controls folded, so 'Ali  KHAN' keys
    like 'ali khan' and a name with a hidden U+202E names the same entity as without."""
    if type(value) is str:  # most keys, and most of them seen before
        known = _KEY_CACHE.get(value)
        if known is not None:
            return known
    if value is None or value == "":
        return ""
    if isinstance(value, _NESTED):  # JSON readers: unhashable, so never cached
        return " ".join(visible(text_of(value))[0].split()).casefold()
    hit = _KEY_CACHE.get(value)
    if hit is None:
        hit = " ".join(visible(text_of(value))[0].split()).casefold()
        if len(_KEY_CACHE) > 1_000_000:
            _KEY_CACHE.clear()
        _KEY_CACHE[value] = hit
    return hit


class StatementBuffer:
    """Column-wise statement rows waiting to be staged, for one owner.

    Adapters add the ids their files give; ``take`` hands them on owned by ``owner``
    (entity ids and the values of entity properties alike), so an adapter cannot
    forget to and a reference inside one upload still finds its target.
    """

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self._ids: dict[str, str] = {}
        self._start()

    def _start(self) -> None:
        self.columns: dict[str, list[str | None]] = {c: [] for c in ROW_COLUMNS}
        # Each column's append, in ROW_COLUMNS order: a statement is seven appends
        # and no new object, which the garbage collector would have to look at.
        self._appends = tuple(self.columns[c].append for c in ROW_COLUMNS)

    def add(self, entity_id: str, schema: str, prop: str, value: str, original: str | None,
            lang: str | None, record: str) -> None:
        to_id, to_schema, to_prop, to_value, to_original, to_lang, to_record = self._appends
        to_id(entity_id)
        to_schema(schema)
        to_prop(prop)
        to_value(value)
        to_original(original)
        to_lang(lang)
        to_record(record)

    def __len__(self) -> int:
        return len(self.columns["entity_id"])

    def take(self) -> dict[str, list[str | None]]:
        taken = self.columns
        self._start()
        own = self._own
        taken["entity_id"] = [own(v) for v in taken["entity_id"]]
        named = _reference_names()
        taken["value"] = [own(v) if v is not None and prop in named and _refers(schema, prop)
                          else v for schema, prop, v in zip(taken["schema"], taken["prop"],
                                                            taken["value"], strict=True)]
        return taken

    def _own(self, given: str | None) -> str:
        if given is None:  # adapters always give an id; typed so for the column
            raise IngestError("a statement without an entity id")
        hit = self._ids.get(given)
        if hit is None:
            if len(self._ids) > 1_000_000:
                self._ids.clear()
            hit = self._ids[given] = owned_id(self.owner, given)
        return hit


@cache
def _reference_names() -> frozenset[str | None]:
    """The names a reference property has in any schema (and ``id``): a statement of
    any other property needs no look-up to know that it is no reference."""
    schemata = get_model().schemata.values()
    return frozenset({ID_PROP} | {p.name for s in schemata for p in s.properties.values()
                                  if p.type == registry.entity})


@lru_cache(maxsize=4096)
def _refers(schema: str | None, prop: str | None) -> bool:
    """`is_reference`, asked once per property rather than once per statement."""
    return is_reference(schema, prop)


class _Prepared:
    """One mapped property as an engine applies it, with what every record shares
    worked out once per file."""

    __slots__ = ("cleaner", "column", "hint", "spec")

    def __init__(self, spec: PropertySpec, cleaner: Cleaner | None,
                 default_region: str | None) -> None:
        self.spec = spec
        self.cleaner = cleaner
        self.hint = spec.region or default_region  # unless a region column gives one
        # The column of a property that takes one value from one column as it is (most
        # of them): such a value goes straight to cleaning, see MappingEngine._values.
        simple = (cleaner is not None and len(spec.columns) == 1 and spec.template is None
                  and not spec.split and not spec.region_column)
        self.column = spec.columns[0] if simple else None


class MappingEngine:
    """Applies one mapping to records from one file."""

    def __init__(self, mapping: Mapping, file_label: str, namespace: str,
                 default_region: str | None = None) -> None:
        self.mapping = mapping
        self.default_region = check_region(default_region)
        self.file_label = file_label
        self.namespace = namespace
        model = get_model()
        self._props: dict[str, list[_Prepared]] = {}
        for entity in mapping.entities:
            schema = model[entity.schema]
            prepared = []
            for spec in entity.properties:
                prop = schema.properties[spec.name]
                cleaner = None if prop.type.name == "entity" else make_cleaner(prop, spec.format)
                prepared.append(_Prepared(spec, cleaner, self.default_region))
            self._props[entity.name] = prepared
        # Columns only one entity reads: an optional entity without a key is "present"
        # (and so quarantined, not skipped) only when one of these holds a value.
        self._own: dict[str, list[str]] = {}
        read = [(entity, entity.columns()) for entity in mapping.entities]
        for entity, columns in read:
            others = set().union(*(c for e, c in read if e is not entity))
            self._own[entity.name] = sorted(columns - others)

    def _quarantine(self, rec: RawRecord, field_name: str | None, raw: str | None,
                    reason: str, row: bool = False) -> QuarantineItem:
        return QuarantineItem(file=self.file_label, line=rec.line, locator=rec.locator,
                              field=field_name, raw_value=raw, reason=reason, row_rejected=row)

    def entity_id(self, entity: EntitySpec, values: dict[str, Any]) -> str | None:
        """The id a row gives one of the mapping's entities (before its owner's
        namespace), or None when the row has no key for it."""
        if entity.id_column:
            raw = values.get(entity.id_column)
            ident = text_of(raw).strip() if raw is not None else ""
            return ident or None
        parts = [_norm_key(values.get(k)) for k in entity.keys]
        if not any(parts):
            return None
        if entity.key_literal:
            parts.insert(0, entity.key_literal)
        return make_entity_id(self.namespace, entity.schema, parts)

    def map(self, rec: RawRecord, out: StatementSink, bad: list[QuarantineItem]) -> bool:
        """Map one record; returns False when the whole row was rejected."""
        values = rec.values
        ids: dict[str, str] = {}
        pending: list[QuarantineItem] = []
        for entity in self.mapping.entities:
            entity_id = self.entity_id(entity, values)
            if entity_id is not None and entity.id_column and not valid_entity_id(entity_id):
                bad.append(self._quarantine(
                    rec, entity.id_column, entity_id,
                    f"{entity.name} ({entity.schema}): {entity_id!r} is not a valid entity id "
                    "(letters, digits, '.' and '-' only)", row=True))
                return False
            if entity_id is not None:
                ids[entity.name] = entity_id
                continue
            key_field = entity.id_column or ",".join(entity.keys)
            present = {c: text_of(values[c]) for c in self._own[entity.name]
                       if values.get(c) not in (None, "")}
            if not entity.optional:
                whole = {k: text_of(v) for k, v in values.items() if v not in (None, "")}
                bad.append(self._quarantine(
                    rec, key_field, json.dumps(whole, ensure_ascii=False) if whole else None,
                    f"missing key for {entity.name} ({entity.schema}): {key_field} is empty",
                    row=True))
                return False
            if present:
                pending.append(self._quarantine(
                    rec, key_field, json.dumps(present, ensure_ascii=False),
                    f"{entity.name} ({entity.schema}) has values but no key; not stored"))
        bad.extend(pending)
        record = rec.where(self.file_label)
        if len(set(ids.values())) < len(ids):
            # Two mapped entities are one (sender == receiver): drop repeated statements
            # here, so the store's commit never has to deduplicate.
            out = DedupSink(out)
        for entity in self.mapping.entities:
            entity_id = ids.get(entity.name)
            if entity_id is None or any(r not in ids for r in entity.requires):
                continue
            out.add(entity_id, entity.schema, ID_PROP, entity_id, None, None, record)
            self._values(rec, record, entity, entity_id, ids, out, bad)
        return True

    def _values(self, rec: RawRecord, record: str, entity: EntitySpec, entity_id: str,
                ids: dict[str, str], out: StatementSink, bad: list[QuarantineItem]) -> None:
        """The statements of one entity's properties: a text cell of a one-column
        property is cleaned here, as `_emit` would (it is most of a run's values);
        every other property goes through `_emit`."""
        values = rec.values
        for prepared in self._props[entity.name]:
            column = prepared.column
            if column is not None:
                raw = values.get(column)
                if type(raw) is str:
                    text = raw.strip()
                    if text:
                        self._value(rec, record, entity, entity_id, prepared, column, text,
                                    prepared.hint, out, bad)
                    continue
            self._emit(rec, record, entity, entity_id, prepared, ids, out, bad)

    def _emit(self, rec: RawRecord, record: str, entity: EntitySpec, entity_id: str,
              prepared: _Prepared, ids: dict[str, str], out: StatementSink,
              bad: list[QuarantineItem]) -> None:
        spec = prepared.spec
        if spec.entity is not None:
            target = ids.get(spec.entity)
            if target == entity_id:
                bad.append(self._quarantine(
                    rec, spec.entity, target,
                    f"{entity.schema}.{spec.name}: an entity cannot refer to itself"))
            elif target is not None:
                out.add(entity_id, entity.schema, spec.name, target, None, None, record)
            return
        raw_values, nested = _raw_values(spec, rec.values)
        for column, value in nested:
            kind = "list" if isinstance(value, list) else "object"
            bad.append(self._quarantine(
                rec, column, json.dumps(value, ensure_ascii=False, default=str),
                f"{entity.schema}.{spec.name}: expected text or a number, not a JSON {kind}"))
        if not raw_values:
            return
        hint = None
        if spec.region_column:
            hint_raw = rec.values.get(spec.region_column)
            hint = text_of(hint_raw).strip().lower() if hint_raw not in (None, "") else None
        hint = hint or prepared.hint
        if len(raw_values) > 1:
            out = DedupSink(out)
        for field_name, raw in raw_values:
            self._value(rec, record, entity, entity_id, prepared, field_name, raw, hint, out,
                        bad)

    def _value(self, rec: RawRecord, record: str, entity: EntitySpec, entity_id: str,
               prepared: _Prepared, field_name: str, raw: str, hint: str | None,
               out: StatementSink, bad: list[QuarantineItem]) -> None:
        """One value cleaned: its statement, or its quarantine item."""
        spec, cleaner = prepared.spec, prepared.cleaner
        if cleaner is None:  # parse_mapping only lets entity properties use `entity:`
            raise IngestError(f"{entity.schema}.{spec.name} links entities; map it with entity:")
        value, reason, note = clean_visible(cleaner, raw, hint)
        if note is not None:
            bad.append(self._quarantine(rec, field_name, raw,
                                        f"{entity.schema}.{spec.name}: {note}"))
        if value is None:
            bad.append(self._quarantine(rec, field_name, raw,
                                        f"{entity.schema}.{spec.name}: {reason}"))
            return
        original = raw if raw != value else None
        out.add(entity_id, entity.schema, spec.name, value, original, spec.lang, record)


def check_region(region: str | None) -> str | None:
    """Fail once, up front, on a --phone-region FtM cannot dial, instead of on every number."""
    if region is None:
        return None
    try:
        registry.phone.clean("0", format=region)
    except InvalidData:
        raise IngestError(f"unknown phone region {region!r}; give a country code such as gb"
                          ) from None
    return region


def _items(raw: Any) -> list[Any]:
    if raw is None:
        return []
    return raw if isinstance(raw, list) else [raw]


class DedupSink:
    """Forwards each distinct statement once (for the rare record that repeats one)."""

    def __init__(self, inner: StatementSink) -> None:
        self.inner = inner
        self.seen: set[tuple[str, str, str, str | None, str | None]] = set()

    def add(self, entity_id: str, schema: str, prop: str, value: str, original: str | None,
            lang: str | None, record: str) -> None:
        key = (entity_id, prop, value, original, lang)
        if key not in self.seen:
            self.seen.add(key)
            self.inner.add(entity_id, schema, prop, value, original, lang, record)


def _raw_values(spec: PropertySpec, values: dict[str, Any]
                ) -> tuple[list[tuple[str, str]], list[tuple[str, Any]]]:
    """The (field, text) pairs to clean, and the (column, value) pairs that are not text.

    The field is the column a value came from, so the quarantine names that column.
    JSON readers hand lists and objects through as they are: a list of scalars is
    several values, anything nested goes to the quarantine.
    """
    if len(spec.columns) == 1 and spec.template is None and not spec.split:
        column = spec.columns[0]  # the common case, kept fast
        raw = values.get(column)
        if type(raw) is str:
            text = raw.strip()
            return ([(column, text)] if text else []), []
    if spec.literal:
        return [(spec.name, v) for v in spec.literal], []
    nested: list[tuple[str, Any]] = []
    if spec.template is not None:
        parts: dict[str, str] = {}
        for column in spec.columns:
            raw = values.get(column)
            if isinstance(raw, dict | list):
                nested.append((column, raw))
                raw = None
            parts[column] = text_of(raw or "").strip()
        if nested or not any(parts.values()):
            return [], nested
        field = ",".join(spec.columns)
        return [(field, " ".join(spec.template.format(**parts).split()))], []
    texts: list[tuple[str, str]] = []
    for column in spec.columns:
        for raw in _items(values.get(column)):
            if isinstance(raw, dict | list):
                nested.append((column, raw))
                continue
            text = text_of(raw).strip() if raw is not None else ""
            if text:
                texts.append((column, text))
    if not texts:
        return [], nested
    if spec.join is not None and len(texts) > 1:
        texts = [(",".join(c for c, _ in texts), spec.join.join(t for _, t in texts))]
    if spec.split:
        sep = spec.split
        return [(c, p.strip()) for c, t in texts for p in t.split(sep) if p.strip()], nested
    return texts, nested
