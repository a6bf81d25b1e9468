"""The rates file: dated rates, one base, and every unusable line refused with its
number and reason; the scenario's rates file is the documented example."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pinchpoint.demo.exchange import RATES_CSV
from pinchpoint.money.rates import RatesError, parse_rates, read_rates

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "rates.csv"


def test_dated_rates_apply_from_their_date() -> None:
    rates = parse_rates("# comment\ncurrency,to_base,date\nGBP,1,\nUSD,0.5,2023\n"
                        "USD,0.8,2024-06\nUSD,0.9,2024-06-15\n")
    assert rates.base == "GBP" and rates.currencies() == ["GBP", "USD"]
    value = lambda day: rates.to_base(Decimal(10), "USD", day)  # noqa: E731
    assert value("2022-01-01") == Decimal("5.0")  # before any: the earliest
    assert value("2024-05-31") == Decimal("5.0")
    assert value("2024-06-01") == Decimal("8.0")
    assert value("2024-06-15") == Decimal("9.0")
    assert rates.to_base(Decimal(1), "EUR", "2024-01-01") is None
    assert rates.to_base(Decimal(3), "GBP", None) == 3


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "no rates"),
    ("currency,rate\nGBP,1\n", "lacks to_base"),
    ("currency,to_base\nGBP,1\nEURO,2\n", "line 3: currency 'EURO'"),
    ("currency,to_base\nGBP,1\nEUR,abc\n", "line 3: to_base 'abc' is not a number"),
    ("currency,to_base\nGBP,1\nEUR,-1\n", "positive"),
    ("currency,to_base\nGBP,1\nEUR,NaN\n", "positive"),
    ("currency,to_base,date\nGBP,1,\nEUR,2,24/01/2024\n", "line 3: date"),
    ("currency,to_base\nEUR,2\n", "exactly one currency"),
    ("currency,to_base\nGBP,1\nUSD,1\n", "found GBP, USD"),
    ("currency,to_base,date\nGBP,1,\nUSD,2,2024\nUSD,3,2024\n", "two rates"),
])
def test_unusable_files_are_refused_naming_the_line(text: str, fragment: str) -> None:
    with pytest.raises(RatesError, match=fragment):
        parse_rates(text)


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(RatesError, match="cannot be read"):
        read_rates(tmp_path / "missing.csv")
    binary = tmp_path / "rates.csv"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(RatesError, match="cannot be read"):
        read_rates(binary)


def test_the_documented_example_is_what_scenarios_ship() -> None:
    assert EXAMPLE.read_text(encoding="utf-8") == RATES_CSV
    rates = read_rates(EXAMPLE)
    assert rates.base == "GBP" and rates.currencies() == ["EUR", "GBP", "IQD", "USD"]
    one_usd = rates.to_base(Decimal(1310), "IQD", "2025-01-01")
    assert one_usd is not None and abs(one_usd - Decimal("0.7824")) < Decimal("0.001")
