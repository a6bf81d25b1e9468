"""The narrow tables every wide listing uses: short ids that stay unique, columns left
out in the order asked, one line per row within the width, and `--wide` cutting nothing."""

from __future__ import annotations

from rich.console import Console

from pinchpoint.cli.tables import Column, fit, label_columns, limited, print_fitted, short_ids

IDS = ["0e8b936d3cbf2215", "0e8b936d9a000000", "0462bd9640805856", "7"]
COLUMNS = [Column("#", justify="right"), Column("label", shrink=True), Column("id"),
           Column("score", justify="right"), Column("role", 1), Column("extra", 2),
           Column("empty", 3)]
ROWS = [[str(n), "Hewa Hamad Amin of the very long name " * 2, IDS[n % 4], "0.500", "driver",
         "x" * 20, ""] for n in range(5)]


def printed(width: int | None, columns: list[Column] = COLUMNS) -> list[str]:
    console = Console(width=80 if width is None else width, record=True)
    with console.capture() as captured:
        print_fitted(console, fit("a title", columns, ROWS, width, ids_shortened=True))
    return captured.get().splitlines()


def test_short_ids_are_unique_starts_of_at_least_eight_characters() -> None:
    short = short_ids(IDS, IDS)
    assert short == {"0e8b936d3cbf2215": "0e8b936d3", "0e8b936d9a000000": "0e8b936d9",
                     "0462bd9640805856": "0462bd96", "7": "7"}
    assert short_ids(["0e8b936d3cbf2215"], ["0e8b936d3cbf2215"]) == {
        "0e8b936d3cbf2215": "0e8b936d"}


def test_rows_fit_the_width_dropping_the_least_needed_columns_first() -> None:
    lines = printed(70)
    assert all(len(line) <= 70 for line in lines)
    assert lines[1].split() == ["#", "label", "id", "score", "role"]
    rows = lines[3:3 + len(ROWS)]  # after the title, the header and its rule
    assert [row.split()[0] for row in rows] == [row[0] for row in ROWS]  # one line each
    note = " ".join(lines[3 + len(ROWS):])
    assert note.startswith("not shown: extra; long text cut short; short ids; --wide")
    assert "…" in lines[3]
    narrow = printed(50)
    assert narrow[1].split() == ["#", "label", "id", "score"]
    assert all(len(line) <= 50 for line in narrow)


def test_wide_shows_every_column_and_cuts_nothing() -> None:
    lines = printed(None)
    assert lines[1].split() == ["#", "label", "id", "score", "role", "extra", "empty"]
    assert ROWS[0][1].strip() in lines[3] and len(lines) == 3 + len(ROWS)


def test_label_columns_put_the_label_first_and_only_where_there_is_one() -> None:
    columns, cells, shortened = label_columns(IDS, [(IDS[0], "Hewa"), (IDS[3], IDS[3])], False)
    assert [c.header for c in columns] == ["label", "id"] and shortened
    assert cells == [["Hewa", "0e8b936d3"], ["7", "7"]]
    columns, cells, shortened = label_columns(IDS, [(IDS[3], IDS[3])], False)
    assert [c.header for c in columns] == ["id"] and cells == [["7"]] and not shortened
    assert label_columns(IDS, [(IDS[0], "Hewa")], True)[1] == [["Hewa", IDS[0]]]
    paired = label_columns(IDS, [(IDS[0], "Hewa")], False, ("names A", "A"))[0]
    assert [(c.header, c.shrink) for c in paired] == [("names A", True), ("A", False)]


def test_limited_says_how_many_more() -> None:
    assert limited(["a", "b", "c", "d"], 2) == ["a", "b", "+2 more"]
    assert limited(["a", "b"], 2) == ["a", "b"] and limited(["a", "b"], None) == ["a", "b"]
