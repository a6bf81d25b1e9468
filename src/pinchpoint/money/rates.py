"""Exchange rates the user supplies, to add up amounts in different currencies.

Amounts always keep their own currency; a total across currencies needs rates, and
which rates (an official rate, a hawala market's, an annual average) is the analyst's
call, so they come from a CSV the user gives (`--rates FILE`) and are named in every
answer that uses them. The layout (see docs/money.md):

    # lines starting with # are comments
    currency,to_base,date,source
    GBP,1,,base currency
    USD,0.7824,2024,"Bank of England, annual average 2024"

`to_base` is the value of one unit of `currency` in the base currency; exactly one
currency has `to_base` 1 and no date, and that is the base. `date` (optional: a year,
a month `2024-03` or a day) dates a rate: a transfer uses the latest rate dated on or
before its day, or the earliest one when none is. A file that cannot be read is refused
whole, naming its line and the reason: a total made with half a rates file would be
wrong without saying so.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pinchpoint.model.textfiles import TextFileError, read_bounded
from pinchpoint.store.files import write_private

REQUIRED = ("currency", "to_base")
WORKSPACE_FILE = "rates.csv"  # the workspace's own rates, used when none are given
MAX_BYTES = 1_000_000


class RatesError(ValueError):
    """A rates file that cannot be used, with the line and the reason."""


@dataclass(frozen=True)
class Rates:
    """Rates into one base currency, each currency's sorted by date."""

    base: str
    by_currency: dict[str, list[tuple[str, Decimal]]] = field(default_factory=dict)
    source: str = ""

    def to_base(self, amount: Decimal, currency: str, day: str | None) -> Decimal | None:
        """`amount` of `currency` in the base currency on `day` (YYYY-MM-DD), or None
        when the file has no rate for that currency."""
        if currency == self.base:
            return amount
        dated = self.by_currency.get(currency)
        if not dated:
            return None
        keys = [d for d, _ in dated]
        at = bisect_right(keys, (day or "")[:10] + "~") - 1 if day else len(dated) - 1
        return amount * dated[max(at, 0)][1]

    def currencies(self) -> list[str]:
        return sorted({self.base, *self.by_currency})


def single_currency(currency: str) -> Rates:
    """No rates: totals only within one currency (the base)."""
    return Rates(base=currency, source="no rates file: one currency only")


def read_rates(path: Path) -> Rates:
    """The rates in `path`; `RatesError` naming the line for anything unusable."""
    try:
        text = read_bounded(path, MAX_BYTES, "utf-8-sig")
    except TextFileError as exc:
        raise RatesError(f"cannot read rates: {exc}") from None
    return parse_rates(text, path.name)


def workspace_rates(folder: Path) -> Rates | None:
    """The rates kept in the workspace folder (`save_rates`), or None."""
    path = folder / WORKSPACE_FILE
    if not path.exists():
        return None
    return replace(read_rates(path), source=f"{WORKSPACE_FILE} kept in the workspace")


def chosen_rates(folder: Path, given: Path | None) -> Rates | None:
    """The rates a command uses: the file given, else the workspace's, else None."""
    return read_rates(given) if given is not None else workspace_rates(folder)


def save_rates(folder: Path, path: Path) -> Rates:
    """Keep `path` as the workspace's rates, after checking it reads (0600, like every
    workspace file): what `money` commands and the API use when given no rates."""
    rates = read_rates(path)
    write_private(folder / WORKSPACE_FILE, read_bounded(path, MAX_BYTES, "utf-8-sig"))
    return replace(rates, source=f"{WORKSPACE_FILE} kept in the workspace")


def parse_rates(text: str, name: str = "rates") -> Rates:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise RatesError(f"{name}: no rates")
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in lines))))
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RatesError(f"{name} line {lines[0][0]}: the header lacks {', '.join(missing)}")
    base: list[str] = []
    dated: dict[str, list[tuple[str, Decimal]]] = {}
    for (number, _), row in zip(lines[1:], rows[1:], strict=True):
        values = dict(zip(header, (v.strip() for v in row), strict=False))
        currency, rate, day = _rate(values, f"{name} line {number}")
        if rate == 1 and not day:
            base.append(currency)
        else:
            dated.setdefault(currency, []).append((day, rate))
    if len(base) != 1:
        raise RatesError(f"{name}: exactly one currency must have to_base 1 and no date "
                         f"(the base); found {', '.join(base) or 'none'}")
    for currency, entries in dated.items():
        entries.sort()
        days = [d for d, _ in entries]
        if len(set(days)) != len(days):
            raise RatesError(f"{name}: {currency} has two rates for the same date")
    dated.pop(base[0], None)
    return Rates(base=base[0], by_currency=dated, source=name)


def _rate(values: dict[str, str], where: str) -> tuple[str, Decimal, str]:
    currency = values.get("currency", "").upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise RatesError(f"{where}: currency {currency!r} is not a three-letter code")
    try:
        rate = Decimal(values.get("to_base", "").replace(",", ""))
    except InvalidOperation:
        raise RatesError(f"{where}: to_base {values.get('to_base')!r} is not a number") from None
    if not rate.is_finite() or rate <= 0:
        raise RatesError(f"{where}: to_base must be a positive number")
    day = values.get("date", "")
    if day and not _is_date(day):
        raise RatesError(f"{where}: date {day!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return currency, rate, day


def _is_date(text: str) -> bool:
    parts = text.split("-")
    widths = (4, 2, 2)[:len(parts)]
    return (1 <= len(parts) <= 3 and all(p.isdigit() and len(p) == w
                                         for p, w in zip(parts, widths, strict=True)))


__all__ = ["WORKSPACE_FILE", "Rates", "RatesError", "chosen_rates", "parse_rates",
           "read_rates", "save_rates", "single_currency", "workspace_rates"]
