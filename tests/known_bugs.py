"""Bugs in src/ that this suite found and that are still open.

While a bug is ``open``, the regression test that proves it is skipped
(``skip_if_open``) and the fuzz tests tolerate exactly that failure (``known``), so the
suite stays green and keeps fuzzing everything else. Once src/ is fixed, set
``open=False``: the regression test runs and the fuzz tests stop tolerating it.
Run with PINCHPOINT_KNOWN_BUGS=closed to treat every bug as fixed.
"""

from __future__ import annotations

import os
import re
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Bug:
    open: bool
    summary: str
    matches: Callable[[BaseException], bool] = lambda exc: False


def _raised(kind: type[BaseException] | str, message: str = "", where: str = "",
            ) -> Callable[[BaseException], bool]:
    """An exception of this type (or type name), message and raising frame."""

    def match(exc: BaseException) -> bool:
        names = {t.__name__ for t in type(exc).__mro__}
        if isinstance(kind, str) and kind not in names:
            return False
        if not isinstance(kind, str) and not isinstance(exc, kind):
            return False
        if message and not re.search(message, str(exc)):
            return False
        frames = traceback.extract_tb(exc.__traceback__)
        return not where or any(where in f"{f.filename}:{f.name}" for f in frames)

    return match


def _corrupt_xlsx(exc: BaseException) -> bool:
    import zlib

    frames = traceback.extract_tb(exc.__traceback__)
    return isinstance(exc, SyntaxError | zlib.error | EOFError) and any(
        "openpyxl" in f.filename or f.filename.endswith("zipfile.py") for f in frames)


BUGS: dict[str, Bug] = {
    "surrogates": Bug(
        False,  # fixed
        "invalid UTF-8 in a CSV cell, a JSON line, or a JSON \\udXXX escape crashes the "
        "ingest with UnicodeEncodeError in pyarrow (store/duckdb_store.py add_quarantine / "
        "add_statements) instead of quarantining the value",
        _raised(UnicodeEncodeError, "surrogates not allowed"),
    ),
    "grading_system": Bug(
        False,  # fixed
        "an unknown grading system (`--grading interpol`) raises a bare ValueError from "
        "GradingSystem(...) in model/grading.py parse_grade, not GradingError; the CLI "
        "prints a traceback",
        _raised(ValueError, "is not a valid GradingSystem"),
    ),
    "rich_markup": Bug(
        False,  # fixed
        "cli.py prints user data (file names, column names, error messages) as Rich "
        "markup: a column named '[/x]' makes `ingest` die with rich.errors.MarkupError "
        "(and '[bold]' in a name is silently eaten)",
        _raised("MarkupError"),
    ),
    "cli_wrap": Bug(
        False,  # fixed
        "cli.py user_errors prints errors with Rich at the console width (80 columns when "
        "not a terminal), so a long error message is split over several lines",
    ),
    "xlsx_corrupt": Bug(
        False,  # fixed
        "an XLSX whose zip opens but whose parts are damaged (truncated XML, a corrupt "
        "deflate stream) raises xml.etree.ElementTree.ParseError or zlib.error from "
        "openpyxl/zipfile: ingest/tabular.py read_xlsx catches only BadZipFile/OSError/"
        "KeyError/ValueError around load_workbook, and the rows are read lazily (read_only "
        "mode), so the error can also come mid-ingest",
        _corrupt_xlsx,
    ),
    "template_braces": Bug(
        False,  # fixed
        "a mapping template with an unbalanced brace ('{name') raises ValueError from "
        "string.Formatter in ingest/mapping.py _template_columns, not MappingError",
        _raised(ValueError, where="_template_columns"),
    ),
    "entity_column": Bug(
        False,  # fixed
        "a mapping that fills an entity-typed property from a column "
        "(`owner: {column: x}` on Ownership) passes validation and then fails "
        "`assert cleaner is not None` in ingest/engine.py _emit",
        _raised(AssertionError, where="_emit"),
    ),
    "phone_region": Bug(
        False,  # fixed in src (clean.py catches InvalidData; run.py checks --phone-region)
        "an unknown phone region (`--phone-region zz`, a mapping `region:` or `format:` on "
        "a phone property) raises followthemoney InvalidData from registry.phone.clean "
        "inside ingest/clean.py, crashing the ingest (traceback in the CLI)",
        _raised("InvalidData", "Not a valid country for a phone number"),
    ),
    "stub_property": Bug(
        False,  # fixed
        "ingest/mapping.py accepts reverse (stub) properties such as Person.ownershipOwner; "
        "their statements are exported as properties stock FtM silently drops, so the "
        "export is not valid FtM and does not round-trip",
    ),
    "stock_language": Bug(
        False,  # fixed
        "ingest/clean.py _language accepts ISO 639 codes stock FtM rejects (ckb, kmr, kur, "
        "prs, tlh ...), and model/ftm.py to_stock copies them as they are, so the stock "
        "export carries `language` values that FtM/Aleph drop on reading (the export is "
        "not valid stock FtM; docs/examples/posts.csv shows it). to_stock should fold such "
        "values into notes as it does for extension properties",
    ),
    "unchecked_ids": Bug(
        False,  # fixed
        "entity ids taken from the data are not checked against FtM's id syntax: a "
        "mapping's `id_column` ('Amanj Hassan Zada') and an FtM line's `id` ('a b') are "
        "stored as ids, so references to them (Passport.holder) are exported as values "
        "stock FtM drops, and re-importing the export quarantines them (ingest/engine.py "
        "_entity_id, ingest/ftm_jsonl.py FtmEmitter.map)",
    ),
    "self_relationship": Bug(
        False,  # fixed
        "an entity that refers to itself (a mapping `owner: {entity: person}` on the "
        "Ownership entity `person`, or an FtM line {id: o1, schema: Ownership, properties: "
        "{owner: [o1]}}) is stored and exported; stock FtM then refuses to read the export "
        "line at all (InvalidData 'Self-relationship' from get_proxy), so `ftm validate` and "
        "Aleph fail on the whole file. store/entities.py to_entity uses unsafe_add, which "
        "skips FtM's check; ingest/engine.py _emit and ingest/ftm_jsonl.py should quarantine "
        "self-references",
    ),
    "multi_column_field": Bug(
        False,  # fixed
        "ingest/engine.py _emit reports a bad value of a multi-column property "
        "(`country: {columns: [launch_country, landing_country]}`) with field "
        "'launch_country,landing_country' instead of the one column it came from",
    ),
    "ledger_link_required": Bug(
        False,  # fixed
        "mappings/ledger.yaml: via_outlet (UnknownLink) is not `optional`, so a ledger row "
        "with sender/receiver phones but no agent, city, reference, date, names or amount "
        "is rejected whole for want of a key on the link entity",
    ),
}


# PINCHPOINT_KNOWN_BUGS=closed treats every bug as fixed: the way to see which still bite.
if os.environ.get("PINCHPOINT_KNOWN_BUGS") == "closed":
    BUGS = {key: Bug(False, bug.summary, bug.matches) for key, bug in BUGS.items()}

HITS: Counter[str] = Counter()


def skip_if_open(key: str) -> None:
    bug = BUGS[key]
    if bug.open:
        pytest.skip(f"BUG: {bug.summary}")


def known(exc: BaseException) -> str | None:
    """The key of the open bug this exception is, or None when it is something new."""
    for key, bug in BUGS.items():
        if bug.open and bug.matches(exc):
            HITS[key] += 1
            return key
    return None


def unknown_export_problems(problems: list[str]) -> list[str]:
    """Problems of an exported entity (builders.stock_ftm_problems) not due to open bugs."""
    patterns = {"stub_property": "[stub] ", "stock_language": ": language [",
                "unchecked_ids": "[id] ", "unchecked_ids ": "[entity] ",
                "self_relationship": "Self-relationship"}
    for key, pattern in patterns.items():
        if BUGS[key.strip()].open:
            kept = [p for p in problems if pattern not in p]
            if len(kept) < len(problems):
                HITS[key.strip()] += len(problems) - len(kept)
            problems = kept
    return problems
