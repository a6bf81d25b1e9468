"""The exchange rates every scenario ships (`rates.csv`), for `pinchpoint money --rates`.

Totals across currencies need rates, and which rates is the analyst's choice; the demo
offers one stated choice so its money commands can add up GBP, EUR, USD and IQD: the
Bank of England's 2024 annual averages of daily spot rates against sterling (series
XUAAUSS and XUAAERS, rounded to four significant figures) and the Central Bank of
Iraq's official selling rate of 1,310 dinars to the dollar (set in February 2023), which
is also the rate the generator converts dollars at. One rate per currency serves the
whole scenario (January 2024 to June 2026): undated rates apply to every day.
"""

from __future__ import annotations

from pathlib import Path

RATES_FILE = "rates.csv"
RATES_CSV = """\
# Exchange rates into GBP for `pinchpoint money --rates` (docs/money.md).
# USD and EUR: Bank of England, 2024 annual average spot rates (XUAAUSS 1.2781 USD per
# GBP, XUAAERS 1.1813 EUR per GBP), inverted and rounded to 4 significant figures.
# IQD: Central Bank of Iraq official rate, 1,310 IQD per USD (February 2023), via USD.
currency,to_base,date,source
GBP,1,,base currency
USD,0.7824,,Bank of England XUAAUSS 2024 annual average
EUR,0.8465,,Bank of England XUAAERS 2024 annual average
IQD,0.0005973,,Central Bank of Iraq 1310 IQD per USD; USD as above
"""


def write_rates(out: Path) -> Path:
    """Write the scenario's rates file into `out`."""
    path = out / RATES_FILE
    path.write_text(RATES_CSV, encoding="utf-8")
    return path


__all__ = ["RATES_CSV", "RATES_FILE", "write_rates"]
