"""Aligning the parts of two names: which part of one is which part of the other.

Order is free (``bin Salman Mohammed`` = ``Mohammed bin Salman``), words may be split or
glued (``Ramimakhlouf``, ``Patr ushev``, ``Hassan Zada``/``Hassanzada``) and an acronym
may stand for several words (``PLA``). Alignment is greedy on similarity, which is
optimal often enough for names of a handful of parts and is easy to explain: the best
pair is taken first, then the next best among the parts left.

Two phases: first every pair at or above the part threshold (*matches*); then the parts
left on both sides are paired with each other (*conflicts*: the two names disagree
there); whatever remains on one side only is *extra* (the other name simply lacks it).
When both names spell out their lineage (bin, ibn, s/o), a given name is never aligned
with a father's name, which is what keeps ``Ahmad bin Hasan`` from matching his father
``Hasan bin Ahmad``.
"""

from __future__ import annotations

from dataclasses import dataclass

from pinchpoint.resolve.names.config import DEFAULT_CONFIG, MatchConfig
from pinchpoint.resolve.names.parts import NameAnalysis, Part, Role, make_part
from pinchpoint.resolve.names.similarity import (
    ACRONYM,
    JOINED,
    LEVELS,
    PartSimilarity,
    compare_parts,
)
from pinchpoint.resolve.names.skeleton import latin_phones

MAX_SPAN = 4
SIM_ACRONYM = 0.85
SIM_JOINED_MIN = 0.85
_NO_SPAN_ROLES = frozenset({Role.LEGAL_FORM, Role.NUMBER, Role.INITIAL, Role.KUNYA})


@dataclass(frozen=True)
class AlignedPair:
    """Parts of the left name aligned with parts of the right one (one side is one part)."""

    left: tuple[Part, ...]
    right: tuple[Part, ...]
    similarity: PartSimilarity
    conflict: bool


@dataclass(frozen=True)
class Alignment:
    """The outcome: aligned pairs (matches and conflicts) and the parts left over."""

    pairs: tuple[AlignedPair, ...]
    left_extra: tuple[Part, ...]
    right_extra: tuple[Part, ...]


def compatible(a: Part, b: Part, structured: bool) -> bool:
    """Whether two parts may be aligned at all.

    Legal forms only meet legal forms and numbers numbers. A given name never meets a
    patronymic when both names are structured or the patronymic is one by its ending
    (Oleksandr is not Oleksandrovych): father and son are not interchangeable.
    """
    if (a.role == Role.LEGAL_FORM) != (b.role == Role.LEGAL_FORM):
        return False
    if (a.role == Role.NUMBER) != (b.role == Role.NUMBER):
        return False
    roles = {a.role, b.role}
    lineage_known = structured or a.derived or b.derived
    return not (Role.GIVEN in roles and Role.PATRONYMIC in roles and lineage_known)


def joined_part(parts: tuple[Part, ...]) -> Part:
    """One synthetic part for several adjacent parts written as one word."""
    ascii_form = "".join(p.ascii for p in parts)
    if all(p.abjad for p in parts):
        phones = "".join(p.phones for p in parts)
    else:
        phones = latin_phones(ascii_form)
    part = make_part(" ".join(p.text for p in parts), parts[0].role, ascii_form=ascii_form,
                     phones=phones)
    return part


def _slot(part: Part) -> tuple[bool, int]:
    return part.role == Role.PATRONYMIC, part.level


def _spans(parts: tuple[Part, ...]) -> list[tuple[int, ...]]:
    """Index runs of 2..MAX_SPAN adjacent parts that could be one word written apart.

    A run never crosses from a person's own name into a father's name.
    """
    out = []
    for start in range(len(parts)):
        for size in range(2, MAX_SPAN + 1):
            run = parts[start:start + size]
            if len(run) < size or any(p.role in _NO_SPAN_ROLES or p.dense for p in run):
                break
            if len({_slot(p) for p in run}) > 1:
                break
            out.append(tuple(range(start, start + size)))
    return out


_Candidate = tuple[float, int, int, tuple[int, ...], tuple[int, ...], PartSimilarity]


def _candidates(left: tuple[Part, ...], right: tuple[Part, ...], structured: bool,
                config: MatchConfig) -> list[_Candidate]:
    out: list[_Candidate] = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            if compatible(a, b, structured):
                sim = compare_parts(a, b, config)
                out.append((sim.score, 0, LEVELS.index(sim.level), (i,), (j,), sim))
    for flip in (False, True):
        many, one = (right, left) if flip else (left, right)
        for span in _spans(many):
            joined = joined_part(tuple(many[k] for k in span))
            initials = "".join(many[k].ascii[:1] for k in span)
            for j, single in enumerate(one):
                if single.role in _NO_SPAN_ROLES or single.dense:
                    continue
                if not all(compatible(many[k], single, structured) for k in span):
                    continue
                if single.ascii == initials and len(span) >= 2:
                    sim = PartSimilarity(SIM_ACRONYM, ACRONYM)
                else:
                    ratio = len(joined.phones) / max(len(single.phones), 1)
                    if not 0.6 <= ratio <= 1.6:
                        continue
                    found = compare_parts(joined, single, config)
                    if found.score < SIM_JOINED_MIN:
                        continue  # gluing words is a stretch: only for near-exact fits
                    sim = PartSimilarity(found.score, JOINED)
                left_idx, right_idx = ((j,), span) if flip else (span, (j,))
                out.append((sim.score, len(span), LEVELS.index(sim.level), left_idx,
                            right_idx, sim))
    out.sort(key=lambda c: (-c[0], -c[1], c[2]))
    return out


def align(left: NameAnalysis, right: NameAnalysis,
          config: MatchConfig = DEFAULT_CONFIG) -> Alignment:
    """Align the content parts of two analysed names (see the module docstring)."""
    pair_threshold = config.pair_threshold
    lparts, rparts = left.content, right.content
    structured = left.structured and right.structured
    candidates = _candidates(lparts, rparts, structured, config)
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[AlignedPair] = []
    def take(li: tuple[int, ...], ri: tuple[int, ...], sim: PartSimilarity,
             conflict: bool) -> None:
        if used_left.intersection(li) or used_right.intersection(ri):
            return
        used_left.update(li)
        used_right.update(ri)
        pairs.append(AlignedPair(tuple(lparts[k] for k in li), tuple(rparts[k] for k in ri),
                                 sim, conflict=conflict))

    # Agreeing parts first (best first), then single parts left over as conflicts.
    for score, _, _, li, ri, sim in candidates:
        if score < pair_threshold:
            break
        take(li, ri, sim, conflict=False)
    for score, size, _, li, ri, sim in candidates:
        if not size and score < pair_threshold:
            take(li, ri, sim, conflict=True)
    return Alignment(
        pairs=tuple(pairs),
        left_extra=tuple(p for k, p in enumerate(lparts) if k not in used_left),
        right_extra=tuple(p for k, p in enumerate(rparts) if k not in used_right),
    )
