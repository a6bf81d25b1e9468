"""Pairwise name score (0..1) with an explanation an analyst can check.

The score is built in two steps that the explanation shows separately:

1. **Agreement** (``base``): the weighted average similarity of the aligned parts, where
   parts one name has and the other lacks count a little against it (a dropped middle name
   is normal) and parts both names have but disagree on count fully::

       base = sum(w * s for matches) / (sum(w for matches) + sum(w for conflicts)
                                        + sum(lambda_role * w for extras))

   For organisations a conflicting word that nearly agrees (a typo: Exxor/Exxon) adds
   part of its ``w * s`` to the numerator, ramped from nothing at the conflict floor to
   ``near_miss_credit`` at the part threshold, so the agreement has no cliff there.

2. **Penalties**, multiplied in: each conflict (a different family name is a different
   person however much else agrees), a father/son swap, a name matched on initials only,
   a one-part person name against a longer one, organisations agreeing on generic words
   only, a match found only through a weak alias::

       score = base * product(penalty factors)

``NameComparison.recompute()`` redoes that arithmetic from the explanation alone; the
tests hold it equal to ``score``. Weights are per role (a title weighs nothing, an
initial half a name, a very common name like Mohammed less than a rare one); all
constants live in :class:`MatchConfig` so they are tuned in one place (see
docs/resolve.md for how they were chosen and measured).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import partial
from typing import Any

from pinchpoint.resolve.names.align import AlignedPair, Alignment, align, joined_part
from pinchpoint.resolve.names.config import DEFAULT_CONFIG, MatchConfig
from pinchpoint.resolve.names.orgs import analyse_org, looks_like_org
from pinchpoint.resolve.names.parts import NameAnalysis, Part, Role
from pinchpoint.resolve.names.person import analyse_person
from pinchpoint.resolve.names.similarity import compare_parts

PERSON_SCHEMATA = frozenset({"Person"})
ORG_SCHEMATA = frozenset({"Company", "Organization", "PublicBody", "Organisation"})
OBJECT_SCHEMATA = frozenset({"Vessel", "Airplane", "Vehicle", "Asset"})


@dataclass(frozen=True)
class PairExplanation:
    """One aligned pair: which parts, how alike, on what evidence, how much it counts."""

    left: str
    right: str
    left_role: str
    right_role: str
    level: str
    similarity: float
    weight: float
    conflict: bool


@dataclass(frozen=True)
class ExtraExplanation:
    """A part only one name has, and the weight it takes from the agreement."""

    side: str
    text: str
    role: str
    weight: float


@dataclass(frozen=True)
class Penalty:
    """A multiplicative penalty and why it applies."""

    reason: str
    factor: float


@dataclass(frozen=True)
class NameComparison:
    """The score of two names and everything needed to see why."""

    left: str
    right: str
    kind: str
    score: float
    threshold: float
    base: float
    pairs: tuple[PairExplanation, ...] = ()
    extras: tuple[ExtraExplanation, ...] = ()
    penalties: tuple[Penalty, ...] = ()
    left_analysis: str = ""
    right_analysis: str = ""
    via_alias: str = ""

    @property
    def match(self) -> bool:
        return self.score >= self.threshold

    def recompute(self, config: MatchConfig = DEFAULT_CONFIG) -> float:
        """The score from the explanation alone (the tests hold it equal to ``score``)."""
        return _agreement(self.pairs, self.extras, config, self.kind) * math.prod(
            p.factor for p in self.penalties)

    def feature_levels(self) -> dict[str, int]:
        """Counts per evidence level plus structural flags: the pair's evidence as numbers."""
        levels: dict[str, int] = {}
        for pair in self.pairs:
            key = "conflict" if pair.conflict else pair.level
            levels[key] = levels.get(key, 0) + 1
        levels["extra"] = len(self.extras)
        levels["father_son_swap"] = int(any("father/son" in p.reason for p in self.penalties))
        levels["score_band"] = min(4, int(self.score * 5))
        return levels

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["match"] = self.match
        out["feature_levels"] = self.feature_levels()
        return out

    def explain(self) -> str:
        """A few lines of plain text: the pairs, what is extra, the penalties, the score."""
        lines = [f"{self.left!r} vs {self.right!r} ({self.kind})",
                 f"  read as: {self.left_analysis} | {self.right_analysis}"]
        if self.via_alias:
            lines.append(f"  compared through alias: {self.via_alias}")
        for p in self.pairs:
            verdict = "CONFLICT" if p.conflict else "agree"
            lines.append(f"  {verdict:8} {p.left} ~ {p.right}  [{p.left_role}/{p.right_role}] "
                         f"{p.level} {p.similarity:.2f} (weight {p.weight:.2f})")
        for e in self.extras:
            lines.append(f"  extra    {e.side}: {e.text} [{e.role}] (weight {e.weight:.2f})")
        lines.append(f"  agreement {self.base:.3f}")
        for pen in self.penalties:
            lines.append(f"  x {pen.factor:.2f}  {pen.reason}")
        verdict = "match" if self.match else "no match"
        lines.append(f"  score {self.score:.3f} -> {verdict} at threshold {self.threshold}")
        return "\n".join(lines)


def _agreement(pairs: tuple[PairExplanation, ...], extras: tuple[ExtraExplanation, ...],
               config: MatchConfig, kind: str = "person") -> float:
    """The weighted agreement (``base``) of explained pairs and extras."""
    return _agreement_of([(p.weight, p.similarity, p.conflict) for p in pairs],
                         [e.weight for e in extras], config, kind)


def _agreement_of(pairs: list[tuple[float, float, bool]], extras: list[float],
                  config: MatchConfig, kind: str) -> float:
    """The agreement of (weight, similarity, conflict) pairs and extra weights, all
    rounded as the explanation shows them: the one arithmetic of ``recompute`` and of
    :func:`name_score`, so both give the same float."""
    num = 0.0
    for weight, similarity, conflict in pairs:
        if not conflict:
            num += weight * similarity
        elif config.near_miss_credit and kind != "person":
            span = max(config.pair_threshold - config.conflict_floor, 1e-6)
            ramp = min(1.0, max(0.0, similarity - config.conflict_floor) / span)
            num += config.near_miss_credit * ramp * weight * similarity
    den = sum(p[0] for p in pairs) + sum(extras)
    return num / den if den > 0 else 0.0


def kind_for(schema: str | None, left: str, right: str) -> str:
    """Person, org or object rules for an FtM schema; LegalEntity decides by legal forms
    and words naming a kind of organisation (Trust, Group, Bank)."""
    if schema in PERSON_SCHEMATA:
        return "person"
    if schema in ORG_SCHEMATA:
        return "org"
    if schema in OBJECT_SCHEMATA:
        return "object"
    if looks_like_org(left) or looks_like_org(right):
        return "org"
    return "person"


def analyse(name: str, kind: str = "person") -> NameAnalysis:
    """Analyse one name under the rules for its kind (cached)."""
    if kind == "person":
        return analyse_person(name)
    return analyse_org(name, kind)


def _pair_weight(pair: AlignedPair, config: MatchConfig) -> float:
    left = max(config.role_weight(p) for p in pair.left)
    right = max(config.role_weight(p) for p in pair.right)
    return min(left, right)


def _conflict_factor(pair: AlignedPair, weight: float, config: MatchConfig) -> float:
    roles = {p.role for p in pair.left + pair.right}
    if Role.LEGAL_FORM in roles:
        return config.legal_form_conflict
    if Role.NUMBER in roles:
        return config.number_conflict
    span = max(config.pair_threshold - config.conflict_floor, 1e-6)
    shortfall = min(1.0, max(0.0, config.pair_threshold - pair.similarity.score) / span)
    return 1.0 - config.conflict_penalty * min(weight, 1.0) * shortfall


def _swap(left: NameAnalysis, right: NameAnalysis, config: MatchConfig) -> str:
    """Describe a father/son swap (X bin Y vs Y bin X), or return ''."""
    if not (left.structured and right.structured):
        return ""

    def lineage(name: NameAnalysis) -> tuple[Part | None, Part | None]:
        given = tuple(p for p in name.content if p.role == Role.GIVEN)
        father = tuple(p for p in name.content if p.role == Role.PATRONYMIC and p.level == 1)
        return (joined_part(given) if len(given) > 1 else given[0] if given else None,
                joined_part(father) if len(father) > 1 else father[0] if father else None)

    lg, lf = lineage(left)
    rg, rf = lineage(right)
    if not (lg and lf and rg and rf):
        return ""

    def same(a: Part, b: Part) -> bool:
        sim = compare_parts(a, b, config)
        return sim.score >= config.pair_threshold

    if same(lg, rf) and same(lf, rg) and not same(lg, rg):
        return (f"father/son swap: {lg.ascii} son of {lf.ascii} vs "
                f"{rg.ascii} son of {rf.ascii}")
    return ""


def _size(name: NameAnalysis) -> int:
    """Parts of a person's name that are names (not initials)."""
    return name.named


def _generic_only(alignment: Alignment) -> str:
    """Why two organisation names agree only on generic words, or ''.

    ``Management Company`` and ``Westminster Management Company`` share two words, but
    words that say what kind of organisation it is, not which one; the word that says
    which one only the second name has.
    """
    agreeing = [p for p in alignment.pairs if not p.conflict]
    if not agreeing:
        return ""
    for side, extra in (("left", alignment.left_extra), ("right", alignment.right_extra)):
        words = [q for p in agreeing for q in getattr(p, side)]
        distinct = [q for q in extra if q.role == Role.NAME and not q.generic]
        other = "right" if side == "left" else "left"
        other_words = [q for p in agreeing for q in getattr(p, other)]
        if distinct and all(q.generic or q.role == Role.LEGAL_FORM
                            for q in other_words + words):
            return f"agreement on generic words only; {other} name lacks {distinct[0].text}"
    return ""


def _describe(parts: tuple[Part, ...]) -> str:
    return " + ".join(p.text for p in parts)


def _extra_weight(part: Part, kind: str, config: MatchConfig) -> float:
    return round(config.role_weight(part) * config.extra_lambda(part, kind), 4)


def _conflict_reason(pair: AlignedPair) -> str:
    return f"conflict: {_describe(pair.left)} vs {_describe(pair.right)}"


def _penalties(left: NameAnalysis, right: NameAnalysis, alignment: Alignment,
               weights: list[float], config: MatchConfig,
               reasons: list[str] | None = None) -> list[float]:
    """The penalty factors, in the order the explanation lists them; their reasons are
    written into ``reasons`` only when it is given (the score needs the factors only)."""
    factors: list[float] = []

    def add(factor: float, reason: Callable[[], str]) -> None:
        factors.append(factor)
        if reasons is not None:
            reasons.append(reason())

    for pair, weight in zip(alignment.pairs, weights, strict=True):
        if pair.conflict:
            add(round(_conflict_factor(pair, weight, config), 4),
                partial(_conflict_reason, pair))
    for extra in (*alignment.left_extra, *alignment.right_extra):
        if extra.role == Role.NUMBER:  # "Fund II" is another fund than "Fund"
            add(config.number_conflict, partial("number only in one name: {}".format,
                                                extra.text))
    swap = _swap(left, right, config)
    if swap:
        add(config.swap_factor, lambda: swap)
    agreeing = [p for p in alignment.pairs if not p.conflict]
    for name_side in ("left", "right"):
        sides = [getattr(p, name_side) for p in agreeing]
        if sides and all(all(q.role == Role.INITIAL for q in s) for s in sides):
            add(config.initials_only_factor,
                partial("{} name agrees on initials only".format, name_side))
            break
    if left.kind == "person" and config.single_part_factor < 1.0:
        short, long = sorted((left, right), key=_size)
        if _size(short) == 1 and _size(long) >= 2 and not any(
                p.role == Role.HONORIFIC for p in short.parts):
            add(config.single_part_factor, lambda: "one name has a single part: weak evidence")
    if left.kind == "org" and config.generic_only_factor < 1.0:
        generic = _generic_only(alignment)
        if generic:
            add(config.generic_only_factor, lambda: generic)
    return factors


def score_analyses(left: NameAnalysis, right: NameAnalysis,
                   config: MatchConfig = DEFAULT_CONFIG) -> NameComparison:
    """Score two analysed names (no aliases); the core of :func:`compare_names`."""
    alignment: Alignment = align(left, right, config)
    weights = [_pair_weight(pair, config) for pair in alignment.pairs]
    pairs = [PairExplanation(
        left=_describe(pair.left), right=_describe(pair.right),
        left_role="+".join(sorted({p.role.value for p in pair.left})),
        right_role="+".join(sorted({p.role.value for p in pair.right})),
        level=pair.similarity.level, similarity=round(pair.similarity.score, 4),
        weight=round(weight, 4), conflict=pair.conflict)
        for pair, weight in zip(alignment.pairs, weights, strict=True)]
    extras = [
        ExtraExplanation(side, part.text, part.role.value, _extra_weight(part, left.kind, config))
        for side, extra in (("left", alignment.left_extra), ("right", alignment.right_extra))
        for part in extra
    ]
    reasons: list[str] = []
    factors = _penalties(left, right, alignment, weights, config, reasons)
    result = NameComparison(
        left=left.original, right=right.original, kind=left.kind, score=0.0,
        threshold=config.threshold, base=0.0, pairs=tuple(pairs), extras=tuple(extras),
        penalties=tuple(Penalty(r, f) for r, f in zip(reasons, factors, strict=True)),
        left_analysis=left.display(), right_analysis=right.display())
    base = _agreement(result.pairs, result.extras, config, result.kind)
    return replace(result, base=round(base, 6), score=result.recompute(config))


def _analysed(left: str, right: str, schema: str | None
              ) -> tuple[NameAnalysis, NameAnalysis]:
    kind = kind_for(schema, left, right)
    return analyse(left, kind), analyse(right, kind)


def _alias_options(a: NameAnalysis, b: NameAnalysis
                   ) -> list[tuple[NameAnalysis, NameAnalysis]]:
    """Every other pairing of the names and their aliases, in order, both with content."""
    options = [(x, y) for x in (a, *a.aliases) for y in (b, *b.aliases)][1:]
    return [(x, y) for x, y in options if x.content and y.content]


def compare_names(left: str, right: str, schema: str | None = "Person",
                  config: MatchConfig = DEFAULT_CONFIG) -> NameComparison:
    """Compare two names of an FtM schema; weak aliases (AKA, nicknames) are tried too.

    A match found only through an alias is discounted by ``alias_factor``: an AKA is
    evidence, but weaker than the name itself.
    """
    a, b = _analysed(left, right, schema)
    best = score_analyses(a, b, config)
    for x, y in _alias_options(a, b):
        found = score_analyses(x, y, config)
        alias_score = found.score * config.alias_factor
        if alias_score > best.score:
            via = f"{x.original} ~ {y.original}"
            penalties = (*found.penalties, Penalty("weak alias (AKA or nickname)",
                                                   config.alias_factor))
            best = replace(found, left=left, right=right, via_alias=via, penalties=penalties,
                           score=alias_score)
    return replace(best, score=round(best.score, 6))
