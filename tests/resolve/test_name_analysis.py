"""Skeletons, known variants and part tagging."""

from __future__ import annotations

import pytest

from pinchpoint.resolve.names import Role, analyse, latin_phones, skeleton
from pinchpoint.resolve.names.skeleton import has_edit_block, phone_similarity
from pinchpoint.resolve.names.translit import arabic_phones
from pinchpoint.resolve.names.variants import fold_arabic, load_variants


def latin_skeleton(text: str) -> str:
    return skeleton(latin_phones(text))


def arabic_skeleton(text: str) -> str:
    return skeleton(arabic_phones(text))


@pytest.mark.parametrize(("latin", "arabic", "expected"), [
    ("mohammed", "محمد", "mhmd"),
    ("hassan", "حسن", "hsn"),
    ("hussein", "حسين", "hsn"),
    ("yusuf", "یوسف", "ysf"),
    ("amanj", "أمانج", "mnj"),
    ("rebwar", "ڕێبوار", "rbr"),
])
def test_skeleton_survives_missing_short_vowels(latin: str, arabic: str, expected: str) -> None:
    assert latin_skeleton(latin) == expected
    assert arabic_skeleton(arabic) == expected


@pytest.mark.parametrize(("a", "b"), [
    ("mahmoud", "mahmood"), ("husayn", "hussein"), ("qaddafi", "gaddafi"),
    ("ahmadinejad", "ahmadinezhad"), ("bashar", "bachar"), ("vahid", "wahid"),
])
def test_spellings_share_a_skeleton(a: str, b: str) -> None:
    assert latin_skeleton(a) == latin_skeleton(b)


def test_phone_similarity_charges_little_for_unwritten_vowels() -> None:
    abjad = phone_similarity(latin_phones("hassan"), arabic_phones("حسن"), abjad=True)
    latin = phone_similarity(latin_phones("hassan"), latin_phones("hsn"), abjad=False)
    assert abjad > 0.9 > latin
    # a written long vowel the Latin side contradicts costs more than a missing one
    assert phone_similarity(latin_phones("hamid"), arabic_phones("حمود"), True) < 0.8
    assert phone_similarity("abc", "abc") == 1.0
    assert phone_similarity("", "abc") == 0.0


def test_variant_groups() -> None:
    table = load_variants()
    mohammed = {"mohammed", "muhammad", "mohamad", "mohamed"}
    groups = [table.groups(name) for name in mohammed]
    assert all(g == groups[0] and g for g in groups)
    assert table.groups("x", "محمد") == groups[0]
    assert table.groups("hasan") == table.groups("hassan") == table.groups("x", "حسن")
    assert table.groups("hassan") != table.groups("hussein")
    assert table.is_common(groups[0])
    assert fold_arabic("يوسف") == fold_arabic("یوسف")


def content(name: str) -> list[tuple[str, str]]:
    return [(p.ascii, p.role.value) for p in analyse(name).content]


def test_abd_compounds_are_one_part_with_one_spelling() -> None:
    forms = ["Abdul Rahman", "Abd al-Rahman", "Abdulrahman", "Abdurrahman", "Abd-ur-Rahman"]
    assert {analyse(f).content[0].ascii for f in forms} == {"abdrahman"}
    assert analyse("Abdullah").content[0].ascii == analyse("Abd Allah").content[0].ascii


def test_suffix_compounds() -> None:
    assert analyse("Habibullah").content[0].ascii == analyse("Habib Allah").content[0].ascii
    assert analyse("Saifuddin").content[0].ascii == analyse("Saif al-Din").content[0].ascii


def test_patronymic_markers() -> None:
    assert content("Ahmad bin Hasan") == [("ahmad", "given"), ("hasan", "patronymic")]
    assert content("Ahmad ibn Hasan") == content("Ahmad bin Hasan")
    assert analyse("Ahmad bin Hasan").structured
    assert content("Rebwar s/o Karim")[1] == ("karim", "patronymic")
    assert content("Rebwar son of Karim")[1] == ("karim", "patronymic")
    assert content("ڕێبوار کوڕی کەریم")[1][1] == "patronymic"
    assert content("Ilham Heydar oglu Aliyev")[1] == ("heydar", "patronymic")
    chain = analyse("Isa bin Tarif bin Ali")
    assert [(p.ascii, p.level) for p in chain.content if p.role == Role.PATRONYMIC] == [
        ("tarif", 1), ("ali", 2)]


def test_multiword_names_around_a_marker() -> None:
    roles = content("Gul Agha zoy Lal Mohammad Afridi")
    assert roles == [("gul", "given"), ("agha", "given"), ("lal", "patronymic"),
                     ("mohammad", "patronymic"), ("afridi", "family")]


def test_russian_patronymic_by_ending() -> None:
    part = analyse("Vladimir Vladimirovich Putin").content[1]
    assert part.role == Role.PATRONYMIC and part.derived


def test_kunya_and_honorifics() -> None:
    assert content("Abu Bakr al-Baghdadi") == [("abubakr", "kunya"), ("baghdadi", "given")]
    assert content("Umm Khalid")[0][1] == "kunya"
    assert content("Haji Mullah Omar") == [("omar", "given")]
    assert content("Kak Rebwar Karim") == [("rebwar", "given"), ("karim", "family")]
    honorifics = [p.ascii for p in analyse("Dr. Rami Makhlouf").parts
                  if p.role == Role.HONORIFIC]
    assert honorifics == ["dr"]


def test_ben_as_a_first_name_is_not_a_marker() -> None:
    assert content("Ben Netanyahu") == [("ben", "given"), ("netanyahu", "family")]


def test_comma_order_aliases_and_nicknames() -> None:
    assert content("PUTIN, Vladimir") == [("vladimir", "given"), ("putin", "family")]
    name = analyse('Ahmad "Hama" Karim AKA Ahmed Kareem')
    assert [a.display() for a in name.aliases] == ["ahmed kareem", "hama"]
    assert [p.role for p in analyse("J. Smith").content] == [Role.INITIAL, Role.GIVEN]


def test_company_legal_forms() -> None:
    ag = analyse("Siemens Aktiengesellschaft", "org")
    legal = [p for p in ag.content if p.role == Role.LEGAL_FORM]
    assert [p.ascii for p in legal] == ["ag"]
    series = analyse("Bowne Global Solutions II, Inc.", "org")
    assert [p.role for p in series.content][-2:] == [Role.NUMBER, Role.LEGAL_FORM]
    assert [p.ascii for p in analyse("Brigade Forty-Four", "org").content] == ["brigade", "44"]


def test_adjacent_sound_changes_are_told_from_typos() -> None:
    assert not has_edit_block(latin_phones("pulin"), latin_phones("putin"))
    assert not has_edit_block(latin_phones("mertz"), latin_phones("merz"))
    assert has_edit_block(latin_phones("castillo"), latin_phones("castro"))
    assert has_edit_block(latin_phones("mahir"), latin_phones("mahathir"))


def test_glued_legal_form_is_split_but_gmbh_is_not() -> None:
    assert [p.ascii for p in analyse("SiemensAG", "org").content] == ["siemens", "ag"]
    assert [p.role for p in analyse("Volkswagen GmbH", "org").content] == [
        Role.NAME, Role.LEGAL_FORM]
