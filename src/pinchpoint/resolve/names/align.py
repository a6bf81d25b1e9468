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

import heapq
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from pinchpoint.resolve.names.config import DEFAULT_CONFIG, MatchConfig
from pinchpoint.resolve.names.parts import (
    CONTENT_ROLES,
    SERIALS,
    NameAnalysis,
    Part,
    Role,
    make_part,
)
from pinchpoint.resolve.names.similarity import (
    ACRONYM,
    JOINED,
    LEVELS,
    PartSimilarity,
    PendingSimilarity,
    prepare_parts,
)
from pinchpoint.resolve.names.skeleton import latin_phones, wade_giles_pinyin

MAX_SPAN = 4
SIDES = 65536
"""Names whose runs of parts are kept (``_side_of``)."""
PART_PAIRS = 131072
"""Part pairs whose comparison is kept (``_fit``)."""
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


def joined_phones(parts: tuple[Part, ...]) -> str:
    """The phone string of several adjacent parts read as one word."""
    if all(p.abjad for p in parts):
        return "".join(p.phones for p in parts)
    return latin_phones("".join(p.ascii for p in parts))


def joined_part(parts: tuple[Part, ...]) -> Part:
    """One synthetic part for several adjacent parts written as one word.

    Syllables in Wade-Giles (``Tse-tung``) are also read joined in Pinyin (``zetong``).
    """
    ascii_form = "".join(p.ascii for p in parts)
    part = make_part(" ".join(p.text for p in parts), parts[0].role, ascii_form=ascii_form,
                     phones=joined_phones(parts))
    pinyin = [wade_giles_pinyin(p.ascii) for p in parts]
    if any(pinyin) and not any(p.abjad for p in parts):
        part = replace(part, alt_phones=latin_phones(
            "".join(py or p.ascii for py, p in zip(pinyin, parts, strict=True))))
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


_GLUE_ROLES = frozenset({Role.PARTICLE, Role.STOPWORD})
Gaps = tuple[tuple[Part, ...], ...]


def gaps(name: NameAnalysis) -> Gaps:
    """Per content part, the particles written between it and the previous content part.

    ``van der Bilt Corp`` has ``der`` between ``van`` and ``bilt``: glued together the
    three are ``Vanderbilt``, which the parts without the particle (``vanbilt``) are not.
    """
    out: list[tuple[Part, ...]] = []
    pending: list[Part] = []
    seen = False
    for part in name.parts:
        if part.role in _GLUE_ROLES:
            pending.append(part)
        elif part.role in CONTENT_ROLES:
            out.append(tuple(pending) if seen else ())
            pending, seen = [], True
        else:
            pending = []
    return tuple(out)


def _glued(many: tuple[Part, ...], span: tuple[int, ...], glue: Gaps) -> tuple[Part, ...]:
    """The span's parts with the particles between them (empty if there are none)."""
    if not glue or not any(glue[k] for k in span[1:]):
        return ()
    out: list[Part] = [many[span[0]]]
    for k in span[1:]:
        out.extend(glue[k])
        out.append(many[k])
    return tuple(out)


# A candidate pair: its sort key (best first: higher similarity, more parts glued,
# stronger evidence, then the order it was found in), the parts on each side and the
# similarity, possibly still pending its last check (see ``PendingSimilarity``).
_Key = tuple[float, int, int, int]
_Candidate = tuple[_Key, tuple[int, ...], tuple[int, ...],
                   PartSimilarity | PendingSimilarity]


def _key(sim: PartSimilarity | PendingSimilarity, size: int, order: int) -> _Key:
    """The sort key of a candidate; for a pending one, the best key it can turn out to
    have (so no candidate is passed over before it is known)."""
    if isinstance(sim, PendingSimilarity):
        level = min(LEVELS.index(sim.upper.level), LEVELS.index(sim.lower.level))
        return (-sim.upper.score, -size, level, order)
    return (-sim.score, -size, LEVELS.index(sim.level), order)


class _Joined:
    """A run of parts written as one word, built into a part only when first needed."""

    __slots__ = ("_part", "run", "serial", "size")

    def __init__(self, run: tuple[Part, ...]) -> None:
        self.run = run
        self.serial = next(SERIALS)  # the key of its kept comparisons (``_run_fit``)
        self.size = len(joined_phones(run)) if run else 0
        self._part: Part | None = None

    def similarity(self, single: Part, single_size: int,
                   config: MatchConfig) -> PartSimilarity | None:
        """How alike the run is to a single part, if close enough to count."""
        if not self.run or not 0.6 <= self.size / max(single_size, 1) <= 1.6:
            return None
        if self._part is None:
            self._part = joined_part(self.run)
        found = prepare_parts(self._part, single, config)
        if isinstance(found, PendingSimilarity):
            if found.upper.score < SIM_JOINED_MIN:
                return None  # below the bar even without the penalty: no need to check
            found = found.resolve()
        if found.score < SIM_JOINED_MIN:
            return None  # gluing words is a stretch: only for near-exact fits
        return PartSimilarity(found.score, JOINED)


# One name's side of an alignment, the same whoever it is compared with: the parts that
# can stand alone against a run (with their phone lengths), and the runs of adjacent
# parts (index span, initials, the run as written and with its particles), each built
# into a joined part once.
_Runs = tuple[tuple[tuple[int, ...], str, _Joined, _Joined], ...]
_Side = tuple[tuple[tuple[int, Part, int], ...], _Runs]


def _side(parts: tuple[Part, ...], glue: Gaps) -> _Side:
    """What alignment needs of one name whoever it meets."""
    singles = tuple((j, single, len(single.phones)) for j, single in enumerate(parts)
                    if single.role not in _NO_SPAN_ROLES and not single.dense)
    runs = []
    for span in _spans(parts):
        run = tuple(parts[k] for k in span)
        runs.append((span, "".join(p.ascii[:1] for p in run), _Joined(run),
                     _Joined(_glued(parts, span, glue))))
    return singles, tuple(runs)


_RUN_FITS: dict[tuple[int, int, int], tuple[float, str] | None] = {}


def _run_fit(initials: str, plain: _Joined, glued: _Joined, single: Part, single_size: int,
             config: MatchConfig) -> PartSimilarity | None:
    """How alike a run of parts (as an acronym, as written, with its particles) is to a
    single part, if close enough to count; kept like ``_fit`` (by serial numbers, as
    numbers and strings) for ``PART_PAIRS`` runs and parts."""
    key = (plain.serial, single.serial, config.serial)
    found = _RUN_FITS.get(key, _UNKNOWN)
    if found is _UNKNOWN:
        if len(_RUN_FITS) >= PART_PAIRS:
            _RUN_FITS.clear()
        sim = _run_fit_of(initials, plain, glued, single, single_size, config)
        found = _RUN_FITS[key] = None if sim is None else (sim.score, sim.level)
    if found is None:
        return None
    return PartSimilarity(found[0], found[1])


def _run_fit_of(initials: str, plain: _Joined, glued: _Joined, single: Part,
                single_size: int, config: MatchConfig) -> PartSimilarity | None:
    if single.ascii == initials:
        return _ACRONYM
    sim = plain.similarity(single, single_size, config)
    with_glue = glued.similarity(single, single_size, config)
    if with_glue and (sim is None or with_glue.score > sim.score):
        sim = with_glue
    return sim


_ACRONYM = PartSimilarity(SIM_ACRONYM, ACRONYM)


# A part pair's candidate as kept: the sort key's first three fields, then the score and
# level, or for a pending similarity both outcomes and the two readings to check. Only
# numbers and strings, keyed by numbers: thousands of new entries per search then never
# reach the garbage collector's old generation (objects there made every full
# collection walk them, which cost more than the comparisons saved).
_Fit = tuple[Any, ...]
_FITS: dict[tuple[int, int, bool, int], _Fit | None] = {}


def _fit(a: Part, b: Part, structured: bool, config: MatchConfig) -> _Fit | None:
    """Whether two parts may be aligned and, if so, their similarity with its sort key
    as a first candidate; kept for ``PART_PAIRS`` pairs (then the table starts afresh):
    common names meet again in every search."""
    key = (a.serial, b.serial, structured, config.serial)
    found = _FITS.get(key, _UNKNOWN)
    if found is _UNKNOWN:
        if len(_FITS) >= PART_PAIRS:
            _FITS.clear()
        found = _FITS[key] = _fit_of(a, b, structured, config)
    return found


_UNKNOWN: _Fit = ()


def _fit_of(a: Part, b: Part, structured: bool, config: MatchConfig) -> _Fit | None:
    if not compatible(a, b, structured):
        return None
    found = prepare_parts(a, b, config)
    key = _key(found, 0, 0)
    if isinstance(found, PendingSimilarity):
        return (*key[:3], found.upper.score, found.upper.level, found.lower.score,
                found.lower.level, found.left, found.right)
    return (*key[:3], found.score, found.level)


def _similarity(fit: _Fit, a: Part, b: Part) -> PartSimilarity | PendingSimilarity:
    """The similarity a kept candidate stands for (equal to ``prepare_parts``')."""
    if len(fit) == 5:
        return PartSimilarity(fit[3], fit[4])
    return PendingSimilarity(PartSimilarity(fit[3], fit[4]), PartSimilarity(fit[5], fit[6]),
                             a, b, fit[7], fit[8])


def _candidates(left: tuple[Part, ...], right: tuple[Part, ...], structured: bool,
                config: MatchConfig, glue: tuple[Gaps, Gaps] = ((), ())
                ) -> list[_Candidate]:
    return _candidates_of(left, right, _side(left, glue[0]), _side(right, glue[1]),
                          structured, config)


def _candidates_of(left: tuple[Part, ...], right: tuple[Part, ...], lside: _Side,
                   rside: _Side, structured: bool, config: MatchConfig) -> list[_Candidate]:
    out: list[_Candidate] = []
    fits = [[_fit(a, b, structured, config) for b in right] for a in left]
    for i, row in enumerate(fits):
        for j, fit in enumerate(row):
            if fit is not None:
                out.append(((fit[0], fit[1], fit[2], len(out)), (i,), (j,),
                            _similarity(fit, left[i], right[j])))
    for flip in (False, True):
        singles = lside[0] if flip else rside[0]
        if not singles:
            continue
        for span, initials, plain, glued in (rside if flip else lside)[1]:
            for j, single, single_size in singles:
                if flip:
                    if any(fits[j][k] is None for k in span):
                        continue
                elif any(fits[k][j] is None for k in span):
                    continue
                sim = _run_fit(initials, plain, glued, single, single_size, config)
                if sim is None:
                    continue
                left_idx, right_idx = ((j,), span) if flip else (span, (j,))
                out.append((_key(sim, len(span), len(out)), left_idx, right_idx, sim))
    return out


@lru_cache(maxsize=SIDES)
def _side_of(name: NameAnalysis) -> _Side:
    """``_side`` of a name, kept for ``SIDES`` names: a candidate name is compared with
    many queries, a query with many candidates."""
    return _side(name.content, gaps(name))


def align(left: NameAnalysis, right: NameAnalysis,
          config: MatchConfig = DEFAULT_CONFIG) -> Alignment:
    """Align the content parts of two analysed names (see the module docstring)."""
    pair_threshold = config.pair_threshold
    lparts, rparts = left.content, right.content
    structured = left.structured and right.structured
    heap = _candidates_of(lparts, rparts, _side_of(left), _side_of(right), structured,
                          config)
    heapq.heapify(heap)
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[AlignedPair] = []
    # Agreeing parts first (best first), then single parts left over as conflicts. The
    # candidates come off a heap in the order a full sort would give; a pending one is
    # checked when it reaches the top and goes back with its exact key, and one whose
    # parts are taken already is dropped unchecked (it could not be taken any more).
    agreeing = True
    while heap and len(used_left) < len(lparts) and len(used_right) < len(rparts):
        key, li, ri, found = heapq.heappop(heap)
        if used_left.intersection(li) or used_right.intersection(ri):
            continue
        if isinstance(found, PendingSimilarity):
            sim = found.resolve()
            heapq.heappush(heap, (_key(sim, -key[1], key[3]), li, ri, sim))
            continue
        if agreeing and found.score < pair_threshold:
            agreeing = False  # from here on only conflicts: single parts below threshold
        if agreeing or (len(li) == len(ri) == 1 and found.score < pair_threshold):
            used_left.update(li)
            used_right.update(ri)
            pairs.append(AlignedPair(tuple([lparts[k] for k in li]),
                                     tuple([rparts[k] for k in ri]), found,
                                     conflict=not agreeing))
    return Alignment(
        pairs=tuple(pairs),
        left_extra=tuple([p for k, p in enumerate(lparts) if k not in used_left]),
        right_extra=tuple([p for k, p in enumerate(rparts) if k not in used_right]),
    )
