"""What the linkage compares: analysed-name keys across scripts, lineage, nicknames."""

from __future__ import annotations

from pinchpoint.resolve.features import name_features, record_row
from pinchpoint.store.records import EntityValues


def _key(name: str) -> str:
    found = name_features(name)
    assert found is not None
    return found.key


def test_spellings_and_scripts_share_a_key() -> None:
    assert _key("Amanj Hassan Zada") == _key("Amanj Hasan Zada") == _key("أمانج حسن زاده")
    assert _key("Hardi Hawrami") == _key("هەردی هەورامی")
    assert _key("Zada Amanj Hassan") == _key("Amanj Hassan Zada")  # part order is free


def test_father_and_son_do_not_share_a_key() -> None:
    father, son = name_features("Ahmad bin Hasan"), name_features("Hasan bin Ahmad")
    assert father is not None and son is not None
    assert father.key != son.key
    assert not father.blocks & {b for b in son.blocks if b.startswith("k:")}


def test_one_part_aliases_are_weak_and_phones_documents_block() -> None:
    row = record_row(EntityValues("e1", "fp", {
        "name": ["Hawre Rashid"], "alias": ["Papi", "Hawri Rashid Karim"],
        "phone": ["+9647817345612"], "passportNumber": ["a 123-456"],
        "birthDate": ["1990", "1990-12-15"]}))
    assert row["names"] == ["Hawre Rashid", "Hawri Rashid Karim"]
    assert row["weak_keys"] == [_key("Papi")]
    assert row["documents"] == ["A123456"]
    assert row["birth_date"] == "1990-12-15" and row["birth_year"] == "1990"
    assert "ph:+9647817345612" in row["block_keys"] and "doc:A123456" in row["block_keys"]
