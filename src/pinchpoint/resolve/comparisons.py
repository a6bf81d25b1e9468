"""The pairwise comparisons of the linkage model, as Splink comparison dictionaries.

Each comparison sorts a pair of records into one level, from the strongest agreement to
outright disagreement; Splink learns how much each level says (its match weight, the log
of m/u) and the explanation of a score is the sum of those weights. Levels are plain
DuckDB SQL on the columns built in :mod:`features`, so they are cheap at a million rows.
"""

from __future__ import annotations

from typing import Any

Level = dict[str, Any]
Comparison = dict[str, Any]


def _null(condition: str) -> Level:
    return {"sql_condition": condition, "label_for_charts": "missing", "is_null_level": True}


def _level(condition: str, label: str, **extra: Any) -> Level:
    return {"sql_condition": condition, "label_for_charts": label, **extra}


def _else(label: str) -> Level:
    return {"sql_condition": "ELSE", "label_for_charts": label}


def _lists_missing(column: str) -> str:
    return (f"coalesce(len({column}_l), 0) = 0 OR coalesce(len({column}_r), 0) = 0")


def _overlap(column: str, at_least: int = 1) -> str:
    return f"len(list_intersect({column}_l, {column}_r)) >= {at_least}"


def name_comparison() -> Comparison:
    """Names across aliases and scripts, on the analysed keys and tokens."""
    return {
        "output_column_name": "name",
        "comparison_description": "names (all strong names, analysed across scripts)",
        "comparison_levels": [
            _null(_lists_missing("name_keys")),
            _level("name_main_l = name_main_r AND NOT contains(name_main_l, '|')",
                   "same one-part name"),
            _level("name_main_l = name_main_r", "same full name",
                   tf_adjustment_column="name_main", tf_adjustment_weight=1.0),
            _level("len(list_filter(list_intersect(name_keys_l, name_keys_r), "
                   "lambda k: contains(k, '|'))) >= 1",
                   "same full name (an alias or another script)"),
            _level(_overlap("name_keys"), "same one-part name (an alias)"),
            _level("len(list_filter(list_intersect(list_concat(name_keys_l, weak_keys_l), "
                   "list_concat(name_keys_r, weak_keys_r)), lambda k: contains(k, '|'))) >= 1",
                   "same full name via weak alias"),
            _level(f"{_overlap('name_tokens', 2)} AND len(list_intersect(name_tokens_l, "
                   "name_tokens_r)) * 2 >= greatest(len(name_tokens_l), len(name_tokens_r))",
                   "most name parts agree"),
            _level("jaro_winkler_similarity(name_latin_l, name_latin_r) >= 0.92",
                   "spelling close (typo)"),
            _level(f"{_overlap('name_tokens', 1)} OR len(list_intersect(list_concat("
                   "name_keys_l, weak_keys_l), list_concat(name_keys_r, weak_keys_r))) >= 1",
                   "one name part or nickname agrees"),
            _else("names differ"),
        ],
    }


def birth_date_comparison() -> Comparison:
    """Birth dates, partial dates (year, year-month) and day/month transpositions."""
    full = "len(birth_date_l) = 10 AND len(birth_date_r) = 10"
    return {
        "output_column_name": "birth_date",
        "comparison_description": "birth date (partial dates allowed)",
        "comparison_levels": [
            _null("birth_date_l IS NULL OR birth_date_r IS NULL"),
            _level("birth_date_l = birth_date_r", "same date",
                   tf_adjustment_column="birth_date", tf_adjustment_weight=1.0),
            _level("starts_with(birth_date_l, birth_date_r) "
                   "OR starts_with(birth_date_r, birth_date_l)", "consistent partial date"),
            _level(f"{full} AND birth_year_l = birth_year_r AND substr(birth_date_l, 6, 2) = "
                   "substr(birth_date_r, 9, 2) AND substr(birth_date_l, 9, 2) = "
                   "substr(birth_date_r, 6, 2)", "day and month swapped"),
            _level(f"{full} AND damerau_levenshtein(birth_date_l, birth_date_r) <= 1",
                   "one digit off"),
            _level("birth_year_l = birth_year_r", "same year"),
            _level("abs(TRY_CAST(birth_year_l AS INTEGER) - TRY_CAST(birth_year_r AS INTEGER))"
                   " <= 1", "a year apart"),
            _else("dates differ"),
        ],
    }


def _set_comparison(column: str, description: str, agree: str, differ: str) -> Comparison:
    return {
        "output_column_name": column,
        "comparison_description": description,
        "comparison_levels": [
            _null(_lists_missing(column)),
            _level(_overlap(column), agree),
            _else(differ),
        ],
    }


def phone_comparison() -> Comparison:
    return _set_comparison("phones", "phone numbers (E.164)", "a number in common",
                           "no number in common")


def nationality_comparison() -> Comparison:
    return _set_comparison("nationality", "nationality or citizenship",
                           "a nationality in common", "nationalities differ")


def document_comparison() -> Comparison:
    return _set_comparison("documents", "passport, identity and tax numbers",
                           "a document number in common", "document numbers differ")


def address_comparison() -> Comparison:
    return {
        "output_column_name": "addresses",
        "comparison_description": "addresses",
        "comparison_levels": [
            _null(_lists_missing("addresses")),
            _level(_overlap("addresses"), "same address"),
            _level("jaro_winkler_similarity(addresses_l[1], addresses_r[1]) >= 0.9",
                   "similar address"),
            _else("addresses differ"),
        ],
    }


def comparisons() -> list[Comparison]:
    """Every comparison of the person model, in explanation order."""
    return [name_comparison(), birth_date_comparison(), phone_comparison(),
            document_comparison(), nationality_comparison(), address_comparison()]
