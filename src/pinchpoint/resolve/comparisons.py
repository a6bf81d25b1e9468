"""The pairwise comparisons of the linkage model, as Splink comparison dictionaries.

Each comparison sorts a pair of records into one level, from the strongest agreement to
outright disagreement; Splink learns how much each level says (its match weight, the log
of m/u) and the explanation of a score is the sum of those weights. Levels are plain
SQL on the columns built in :mod:`features`, so they are cheap at a million rows, written
once against a :class:`Dialect` so that DuckDB and Spark run the same levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Level = dict[str, Any]
Comparison = dict[str, Any]


@dataclass(frozen=True)
class Dialect:
    """The few list and string functions whose spelling differs between DuckDB and Spark
    SQL: every level is written once against these, so both engines run the same model.

    ``empty`` is a whole test (Spark's ``size`` of NULL is -1, not NULL); the others are
    functions taking SQL expressions.
    """

    name: str
    size: str  # number of elements of a list
    intersect: str  # distinct elements in both lists
    concat: str  # a template: both lists, either may be NULL
    similarity: str  # Jaro-Winkler similarity of two strings
    starts_with: str
    has_bar: str  # a template: the string contains '|'
    filtered: str  # a template: elements of a list that contain '|'
    first: str  # a template: first element of a list
    int_type: str

    def empty(self, column: str) -> str:
        if self.name == "duckdb":
            return f"coalesce({self.size}({column}), 0) = 0"
        return f"({column} IS NULL OR {self.size}({column}) = 0)"


DUCKDB = Dialect("duckdb", "len", "list_intersect", "list_concat({}, {})",
                 "jaro_winkler_similarity", "starts_with", "contains({}, '|')",
                 "list_filter({}, lambda k: contains(k, '|'))", "{}[1]", "INTEGER")
SPARK = Dialect("spark", "size", "array_intersect",
                "concat(coalesce({}, array()), coalesce({}, array()))", "jaro_winkler",
                "startswith", "instr({}, '|') > 0", "filter({}, k -> instr(k, '|') > 0)",
                "{}[0]", "INT")
DIALECTS = {d.name: d for d in (DUCKDB, SPARK)}


def _null(condition: str) -> Level:
    return {"sql_condition": condition, "label_for_charts": "missing", "is_null_level": True}


def _level(condition: str, label: str, **extra: Any) -> Level:
    return {"sql_condition": condition, "label_for_charts": label, **extra}


def _else(label: str) -> Level:
    return {"sql_condition": "ELSE", "label_for_charts": label}


def _lists_missing(d: Dialect, column: str) -> str:
    return f"{d.empty(column + '_l')} OR {d.empty(column + '_r')}"


def _common(d: Dialect, left: str, right: str) -> str:
    return f"{d.size}({d.intersect}({left}, {right}))"


def _overlap(d: Dialect, column: str, at_least: int = 1) -> str:
    return f"{_common(d, column + '_l', column + '_r')} >= {at_least}"


def name_comparison(d: Dialect = DUCKDB) -> Comparison:
    """Names across aliases and scripts, on the analysed keys and tokens."""
    keys_l, keys_r = (d.concat.format(f"name_keys_{s}", f"weak_keys_{s}") for s in "lr")
    full_name = d.filtered.format(f"{d.intersect}(name_keys_l, name_keys_r)")
    full_weak = d.filtered.format(f"{d.intersect}({keys_l}, {keys_r})")
    return {
        "output_column_name": "name",
        "comparison_description": "names (all strong names, analysed across scripts)",
        "comparison_levels": [
            _null(_lists_missing(d, "name_keys")),
            _level(f"name_main_l = name_main_r AND NOT {d.has_bar.format('name_main_l')}",
                   "same one-part name"),
            _level("name_main_l = name_main_r", "same full name",
                   tf_adjustment_column="name_main", tf_adjustment_weight=1.0),
            _level(f"{d.size}({full_name}) >= 1",
                   "same full name (an alias or another script)"),
            _level(_overlap(d, "name_keys"), "same one-part name (an alias)"),
            _level(f"{d.size}({full_weak}) >= 1", "same full name via weak alias"),
            _level(f"{_overlap(d, 'name_tokens', 2)} AND "
                   f"{_common(d, 'name_tokens_l', 'name_tokens_r')} * 2 >= "
                   f"greatest({d.size}(name_tokens_l), {d.size}(name_tokens_r))",
                   "most name parts agree"),
            _level(f"{d.similarity}(name_latin_l, name_latin_r) >= 0.92",
                   "spelling close (typo)"),
            _level(f"{_overlap(d, 'name_tokens', 1)} OR {_common(d, keys_l, keys_r)} >= 1",
                   "one name part or nickname agrees"),
            _else("names differ"),
        ],
    }


def birth_date_comparison(d: Dialect = DUCKDB) -> Comparison:
    """Birth dates, partial dates (year, year-month) and day/month transpositions."""
    full = "len(birth_date_l) = 10 AND len(birth_date_r) = 10"
    return {
        "output_column_name": "birth_date",
        "comparison_description": "birth date (partial dates allowed)",
        "comparison_levels": [
            _null("birth_date_l IS NULL OR birth_date_r IS NULL"),
            _level("birth_date_l = birth_date_r", "same date",
                   tf_adjustment_column="birth_date", tf_adjustment_weight=1.0),
            _level(f"{d.starts_with}(birth_date_l, birth_date_r) "
                   f"OR {d.starts_with}(birth_date_r, birth_date_l)", "consistent partial date"),
            _level(f"{full} AND birth_year_l = birth_year_r AND substr(birth_date_l, 6, 2) = "
                   "substr(birth_date_r, 9, 2) AND substr(birth_date_l, 9, 2) = "
                   "substr(birth_date_r, 6, 2)", "day and month swapped"),
            _level(f"{full} AND damerau_levenshtein(birth_date_l, birth_date_r) <= 1",
                   "one digit off"),
            _level("birth_year_l = birth_year_r", "same year"),
            _level(f"abs(TRY_CAST(birth_year_l AS {d.int_type}) - "
                   f"TRY_CAST(birth_year_r AS {d.int_type})) <= 1", "a year apart"),
            _else("dates differ"),
        ],
    }


def _set_comparison(d: Dialect, column: str, description: str, agree: str, differ: str
                    ) -> Comparison:
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [
            _null(_lists_missing(d, column)),
            _level(_overlap(d, column), agree),
            _else(differ),
        ],
    }


def phone_comparison(d: Dialect = DUCKDB) -> Comparison:
    return _set_comparison(d, "phones", "phone numbers (E.164)", "a number in common",
                           "no number in common")


def nationality_comparison(d: Dialect = DUCKDB) -> Comparison:
    return _set_comparison(d, "nationality", "nationality or citizenship",
                           "a nationality in common", "nationalities differ")


def document_comparison(d: Dialect = DUCKDB) -> Comparison:
    return _set_comparison(d, "documents", "passport, identity and tax numbers",
                           "a document number in common", "document numbers differ")


def address_comparison(d: Dialect = DUCKDB) -> Comparison:
    return {
        "output_column_name": "addresses",
        "comparison_description": "addresses",
        "comparison_levels": [
            _null(_lists_missing(d, "addresses")),
            _level(_overlap(d, "addresses"), "same address"),
            _level(f"{d.similarity}({d.first.format('addresses_l')}, "
                   f"{d.first.format('addresses_r')}) >= 0.9",
                   "similar address"),
            _else("addresses differ"),
        ],
    }


def comparisons(d: Dialect = DUCKDB) -> list[Comparison]:
    """Every comparison of the person model, in explanation order."""
    return [name_comparison(d), birth_date_comparison(d), phone_comparison(d),
            document_comparison(d), nationality_comparison(d), address_comparison(d)]
