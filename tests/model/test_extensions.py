"""Extension schemata exist and export to stock FtM, folding what FtM lacks into notes."""

from __future__ import annotations

import pytest
from builders import stock_ftm_problems
from followthemoney import model as stock_model

from pinchpoint.model import get_model, make_entity, to_stock
from pinchpoint.model.ftm import extension_schemata, nearest_stock_schema

EXTENSIONS = {
    "Handset": "Asset",
    "Seizure": "Event",
    "SeizedItem": "Asset",
    "Crossing": "Trip",
    "SocialMediaPost": "Message",
}


def test_extension_schemata_exist_and_are_concrete() -> None:
    assert set(EXTENSIONS) <= set(extension_schemata())
    for name in EXTENSIONS:
        schema = get_model()[name]
        assert not schema.abstract
        assert stock_model.get(name) is None, "extensions must not leak into stock FtM"


def test_every_stock_schema_is_still_there() -> None:
    assert set(stock_model.schemata) <= set(get_model().schemata)


def test_person_is_augmented_with_category_not_replaced() -> None:
    person = get_model()["Person"]
    assert person.get("personCategory") is not None
    assert set(stock_model["Person"].properties) <= set(person.properties)
    assert stock_model["Person"].get("personCategory") is None


@pytest.mark.parametrize(("name", "target"), sorted(EXTENSIONS.items()))
def test_nearest_stock_schema(name: str, target: str) -> None:
    assert nearest_stock_schema(name) == target
    assert nearest_stock_schema("Person") == "Person"


def _entity(schema: str, entity_id: str, **props: list[str]):  # type: ignore[no-untyped-def]
    entity = make_entity(schema, entity_id)
    for prop, values in props.items():
        for value in values:
            entity.add(prop, value)
    return entity


SAMPLES = {
    "Handset": (
        {"name": ["Samsung A12"], "imei": ["356938035643809"], "imsi": ["234159876543210"],
         "phoneNumber": ["+447911123456"], "make": ["Samsung"], "owner": ["person-amanj"]},
        {"name": ["Samsung A12"]},
        ["IMEI: 356938035643809", "IMSI: 234159876543210", "Phone number: +447911123456"],
    ),
    "Seizure": (
        {"name": ["SZ-2024-017"], "date": ["2024-04-11"], "location": ["Gravelines beach"],
         "country": ["fr"], "seizingAgency": ["org-paf"]},
        {"name": ["SZ-2024-017"], "date": ["2024-04-11"], "country": ["fr"]},
        ["Seizing agency: org-paf"],
    ),
    "SeizedItem": (
        {"name": ["engine Yamaha F60"], "itemKind": ["engine"], "serialNumber": ["6C5-1034455"],
         "quantity": ["1"], "seizure": ["seizure-17"]},
        {"name": ["engine Yamaha F60"]},
        ["Item kind: engine", "Serial number: 6C5-1034455", "Seizure: seizure-17"],
    ),
    "Crossing": (
        {"name": ["CR-0412"], "date": ["2024-04-12"], "launchPoint": ["Gravelines"],
         "passengerCount": ["52"], "deaths": ["0"], "vessel": ["boat-88"]},
        {"name": ["CR-0412"], "date": ["2024-04-12"]},
        ["Passenger count: 52", "Deaths: 0", "Launch point: Gravelines", "Vessel: boat-88"],
    ),
    "SocialMediaPost": (
        {"bodyText": ["Trips to UK every week"], "platform": ["tiktok"],
         "postedAt": ["2024-02-01"], "account": ["account-1"]},
        {"bodyText": ["Trips to UK every week"]},
        ["Platform: tiktok", "Posted at: 2024-02-01", "Account: account-1"],
    ),
    "Person": (
        {"name": ["Amanj Hassan Zada"], "personCategory": ["suspect"],
         "phone": ["+447911123456"]},
        {"name": ["Amanj Hassan Zada"], "phone": ["+447911123456"]},
        ["Person category: suspect"],
    ),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_to_stock_exports_to_a_valid_stock_entity(name: str) -> None:
    props, kept, notes = SAMPLES[name]
    entity = _entity(name, f"{name.lower()}-1", **props)
    for prop, values in props.items():
        assert entity.get(prop) == values, f"{name}.{prop} did not clean as written"
    out = to_stock(entity)
    assert out.schema.name == nearest_stock_schema(name)
    assert stock_model.get(out.schema.name) is out.schema or out.schema.name in stock_model.schemata
    assert out.id == entity.id
    for prop, values in kept.items():
        assert out.get(prop) == values
    assert set(notes) <= set(out.get("notes"))
    data = out.to_dict()
    assert stock_ftm_problems(data) == []
    assert stock_model.get_proxy(data).to_dict() == data


def test_to_stock_keeps_existing_notes_and_loses_no_value() -> None:
    entity = _entity("Crossing", "cr-1", name=["CR-0419"], notes=["two deaths reported"],
                     passengerCount=["61"], deaths=["2"])
    out = to_stock(entity)
    assert set(out.get("notes")) == {"two deaths reported", "Passenger count: 61", "Deaths: 2"}
    n_in = sum(len(v) for v in entity.properties.values())
    n_out = sum(len(v) for v in out.properties.values())
    assert n_out == n_in
