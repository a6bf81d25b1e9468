"""The FollowTheMoney model with Pinchpoint's extension schemata.

Extension schemata (a handset, a seizure, a crossing, a social-media post) live as
YAML next to this module, in FtM's own format, so the schema stays data. A YAML file
naming a schema that FtM already has (``Person``) augments it with extra properties
instead of replacing it. Every extension exports to its nearest stock FtM ancestor,
so Aleph, OpenAleph and OpenSanctions tools can read what we write.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml
from followthemoney import model as stock_model
from followthemoney.model import Model
from followthemoney.property import Property
from followthemoney.proxy import EntityProxy
from followthemoney.schema import Schema, SchemaSpec
from followthemoney.settings import MODEL_PATH
from followthemoney.statement.util import BASE_ID
from followthemoney.types import registry
from followthemoney.util import const

EXTENSION_PATH = Path(__file__).parent / "schemata"
# FtM's statement model: the statement with this property registers the entity itself.
ID_PROP = BASE_ID


def _read_specs(path: str | Path) -> dict[str, dict[str, Any]]:
    specs: dict[str, dict[str, Any]] = {}
    for dirpath, _, filenames in os.walk(path):
        for filename in sorted(filenames):
            if not filename.endswith(".yaml"):
                continue
            with open(os.path.join(dirpath, filename), encoding="utf-8") as fh:
                data = yaml.safe_load(fh)
            for name, spec in (data or {}).items():
                specs[const(name)] = spec
    return specs


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    props = dict(base.get("properties") or {})
    props.update(extra.get("properties") or {})
    merged["properties"] = props
    return merged


class PinchpointModel(Model):
    """FtM's model plus the YAML files in ``schemata/``."""

    def __init__(self) -> None:
        self.path = MODEL_PATH
        self.schemata: dict[str, Schema] = {}
        self.properties = set()
        self.qnames = {}
        specs = _read_specs(MODEL_PATH)
        for name, spec in _read_specs(EXTENSION_PATH).items():
            specs[name] = _merge(specs[name], spec) if name in specs else spec
        for name, spec in specs.items():
            self.schemata[name] = Schema(self, name, cast(SchemaSpec, spec))
        self.generate()


@cache
def get_model() -> PinchpointModel:
    return PinchpointModel()


def extension_schemata() -> list[str]:
    """Names of the schemata Pinchpoint adds to FtM."""
    return sorted(set(get_model().schemata) - set(stock_model.schemata))


def nearest_stock_schema(name: str) -> str:
    """The closest stock FtM schema an extension schema exports to."""
    if name in stock_model.schemata:
        return name
    schema = get_model()[name]
    for parent in schema.extends:
        return nearest_stock_schema(parent.name)
    return "Thing"


def make_entity(schema: str, entity_id: str | None = None) -> EntityProxy:
    entity = get_model().make_entity(schema)
    entity.id = entity_id
    return entity


def _stock_accepts(prop: Property, value: str, entity_id: str | None) -> bool:
    """Whether stock FtM keeps this value on reading (it drops 'ckb', self-links...)."""
    if prop.type == registry.language:
        return registry.language.clean(value) == value
    if prop.type == registry.entity:
        return value != entity_id
    return True


def to_stock(entity: EntityProxy) -> EntityProxy:
    """Down-cast an entity to stock FtM; properties FtM lacks become notes.

    Nothing is lost: ``passengerCount: 52`` on a Crossing becomes the note
    ``Passenger count: 52`` on the exported Trip.
    """
    target = stock_model[nearest_stock_schema(entity.schema.name)]
    out = stock_model.make_entity(target)
    out.id = entity.id
    notes: list[str] = []
    for prop, value in entity.itervalues():
        stock_prop = target.get(prop.name)
        if (stock_prop is not None and stock_prop.type == prop.type and not stock_prop.stub
                and _stock_accepts(stock_prop, value, entity.id)):
            out.unsafe_add(stock_prop, value, cleaned=True)
        else:
            notes.append(f"{prop.label}: {value}")
    for note in sorted(notes):
        out.add("notes", note, cleaned=True)
    return out
