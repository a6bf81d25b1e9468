"""Every tunable constant of the name matcher, in one frozen dataclass.

The part threshold, weights and penalties were chosen on half A of the nomenklatura name
benchmark and checked on half B; the strengths of the rules added later (one-part names,
generic-only organisations, near-miss organisation words) are round values checked on
both halves (benchmarks/tune_names.py, docs/resolve.md). Pass a modified copy
(``dataclasses.replace(DEFAULT_CONFIG, threshold=0.8)``) to change them per call.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pinchpoint.resolve.names.parts import SERIALS, Part, Role, portable_state


@dataclass(frozen=True)
class MatchConfig:
    """Every tunable constant of the name matcher (see docs/resolve.md)."""

    threshold: float = 0.6  # score at or above which two names are called a match
    pair_threshold: float = 0.78  # part similarity at or above which parts agree
    extra_weight: float = 0.15  # lambda for an unmatched given/family/middle part
    extra_weight_minor: float = 0.12  # lambda for unmatched patronymic, kunya, initial
    extra_weight_org: float = 0.6  # lambda for an unmatched organisation word
    conflict_penalty: float = 0.6  # kappa: a fully different part multiplies by 1 - kappa
    conflict_floor: float = 0.4  # part similarity at or below which a conflict is total
    legal_form_conflict: float = 0.7  # factor when legal forms differ (AG vs GmbH)
    number_conflict: float = 0.8  # factor when numbers differ (Fund IV vs Fund V)
    swap_factor: float = 0.3  # father/son swap
    initials_only_factor: float = 0.6  # every agreeing part of one name is an initial
    single_part_factor: float = 0.7  # a one-part person name (no title) against a longer one
    generic_only_factor: float = 0.7  # organisations agree on generic words only
    near_miss_credit: float = 0.5  # organisations: share of a near-miss word's similarity
    alias_factor: float = 0.92  # best match only through a weak alias (AKA, nickname)
    common_weight: float = 0.7  # weight of a very common name (Mohammed, Ali, Khan)
    block_penalty: float = 0.1  # Latin spellings that differ in two adjacent sounds
    use_variants: bool = True  # the known-variant table (switch off to measure it)
    use_symbols: bool = True  # rigour's Wikidata name symbols

    @cached_property
    def serial(self) -> int:
        """A number no other config object in this process has: part comparisons are kept
        per config (``align._fit``)."""
        return next(SERIALS)

    def __getstate__(self) -> dict[str, object]:
        return portable_state(self.__dict__)

    def role_weight(self, part: Part) -> float:
        """How much a part counts: names 1, patronymics 0.8, initials 0.5, ..."""
        weight = _ROLE_WEIGHTS.get(part.role, 1.0)
        if part.common or part.generic:
            weight *= self.common_weight if part.common else 0.5
        return weight

    def extra_lambda(self, part: Part, kind: str) -> float:
        """How much of a part's weight counts against agreement when only one name has it."""
        if part.role in (Role.PATRONYMIC, Role.KUNYA, Role.INITIAL, Role.LEGAL_FORM):
            return self.extra_weight_minor
        return self.extra_weight if kind == "person" else self.extra_weight_org


_ROLE_WEIGHTS = {
    Role.PATRONYMIC: 0.8, Role.KUNYA: 0.7, Role.INITIAL: 0.5, Role.LEGAL_FORM: 0.3,
    Role.NUMBER: 0.6,
}
DEFAULT_CONFIG = MatchConfig()
