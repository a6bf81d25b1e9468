"""The display name's rule (`pinchpoint.model.display_name`, issue 19): the name stated
by the most records, spellings folded; ties to the better grade, then the earliest seen,
then the alphabetically first; properties tried in order, a phone-only contact named by
its number; a withheld name said so."""

from __future__ import annotations

from pinchpoint.model.display_name import (
    Tallies,
    Tally,
    choose,
    display_name,
    fold,
    grade,
    withheld_label,
)


def test_fold_takes_case_width_and_spacing_as_one() -> None:
    assert fold("  DARIUS\u3000 Rostami ") == fold("darius rostami")
    assert fold("\uff21\uff2d\uff21\uff2e\uff2a") == fold("Amanj")  # full-width letters
    assert fold("Dara Rostami") != fold("Darius Rostami")


def test_most_records_win_over_the_first_seen() -> None:
    assert choose({"Dara Rostami": Tally(1, "1A", "2024-01-01"),
                   "Darius Rostami": Tally(2, "3E", "2025-01-01")}) == "Darius Rostami"


def test_spellings_add_up_and_the_commonest_spelling_is_shown() -> None:
    found = {"Dara Rostami": Tally(2), "Darius Rostami": Tally(2),
             "DARIUS ROSTAMI": Tally(1)}
    assert choose(found) == "Darius Rostami"  # 3 records folded against 2
    assert choose({"darius rostami": Tally(1), "Darius Rostami": Tally(3)}) == "Darius Rostami"


def test_ties_go_to_grade_then_first_seen_then_alphabet() -> None:
    early, late = "2024-01-01 00:00:00", "2024-06-01 00:00:00"
    assert choose({"Zed": Tally(2, "1A", late), "Abe": Tally(2, "2A", early)}) == "Zed"
    assert choose({"Zed": Tally(2, "1B", late), "Abe": Tally(2, "1C", early)}) == "Zed"
    assert choose({"Zed": Tally(2, "1A", early), "Abe": Tally(2, "1A", late)}) == "Zed"
    assert choose({"Zed": Tally(2, "1A", early), "Abe": Tally(2, "1A", early)}) == "Abe"
    assert choose({"Zed": Tally(1), "Abe": Tally(1)}) == "Abe"  # nothing else known
    assert grade("1", "A") < grade("1", "B") < grade("2", "A") < grade(None, None)


def test_properties_in_order_then_the_phone() -> None:
    assert display_name({"title": {"Boss": Tally(5)}, "name": {"Rebin": Tally(1)}}) == "Rebin"
    assert display_name({"phone": {"+447700900123": Tally(1)},
                         "email": {"a@example.org": Tally(3)}}) == "+447700900123"
    assert display_name({"name": {"  ": Tally(4)}, "phone": {"+1": Tally(1)}}) == "+1"
    assert display_name({}) is None
    assert display_name({"alias": {"Kak": Tally(1)}}) is None  # an alias is no label
    assert display_name({"alias": {"Kak": Tally(1)}}, ("name", "alias")) == "Kak"


def test_tallies_count_distinct_records() -> None:
    tallies = Tallies()
    for record, value in (("r1", "Dara Rostami"), ("r1", "Dara Rostami"),
                          ("r1", "Dara Rostami"), ("r2", "Darius Rostami"),
                          ("r3", "darius rostami")):
        tallies.add("name", value, record, "2B", "2024-01-01")
    tallies.add("birthDate", "1979", "r1")  # not a label property: ignored
    assert tallies.by_prop["name"]["Dara Rostami"] == Tally(1, "2B", "2024-01-01")
    assert set(tallies.by_prop) == {"name"}
    assert tallies.name() == "Darius Rostami"  # two records to one, however often said


def test_a_withheld_name_says_what_and_whose() -> None:
    assert withheld_label("witness", "Border Force") == \
        "witness (identity withheld, Border Force)"
    assert withheld_label(None, "SURREY") == "person (identity withheld, SURREY)"
    assert withheld_label("Victim", None) == "victim (identity withheld)"
