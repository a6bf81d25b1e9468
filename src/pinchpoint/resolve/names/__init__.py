"""Name analysis and pairwise name comparison across aliases, transliterations and scripts.

The public API:

- :func:`compare_names` scores two names (0..1) and explains the score;
- :func:`name_score` gives exactly ``compare_names().score`` without the explanation,
  and :func:`score_pair` that score with its verdict, for bulk work;
- :func:`analyse` shows how a name was read (parts, roles, lineage, aliases);
- :func:`name_keys` gives blocking keys for record linkage;
- :func:`to_ascii`, :func:`transliterate_arabic`, :func:`skeleton`, :func:`dominant_script`
  expose the building blocks.
"""

from pinchpoint.resolve.names.config import DEFAULT_CONFIG, MatchConfig
from pinchpoint.resolve.names.keys import name_keys
from pinchpoint.resolve.names.match import NameComparison, analyse, compare_names, kind_for
from pinchpoint.resolve.names.parts import NameAnalysis, Part, Role
from pinchpoint.resolve.names.score import PairScore, name_score, score_pair
from pinchpoint.resolve.names.script import dominant_script, scripts
from pinchpoint.resolve.names.skeleton import latin_phones, skeleton
from pinchpoint.resolve.names.translit import arabic_phones, to_ascii, transliterate_arabic

__all__ = [
    "DEFAULT_CONFIG",
    "MatchConfig",
    "NameAnalysis",
    "NameComparison",
    "PairScore",
    "Part",
    "Role",
    "analyse",
    "arabic_phones",
    "compare_names",
    "dominant_script",
    "kind_for",
    "latin_phones",
    "name_keys",
    "name_score",
    "score_pair",
    "scripts",
    "skeleton",
    "to_ascii",
    "transliterate_arabic",
]
