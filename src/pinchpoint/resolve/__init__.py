"""Entity resolution: name normalisation and comparison now; blocking, pairwise scoring
(Splink), clustering and judgements later. See docs/resolve.md."""

from pinchpoint.resolve.names import MatchConfig, NameComparison, compare_names, name_keys

__all__ = ["MatchConfig", "NameComparison", "compare_names", "name_keys"]
