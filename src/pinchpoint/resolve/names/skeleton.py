"""Consonant skeletons and a phone distance that survives missing short vowels.

Romanisations of one name differ mostly in vowels and in how a sound is spelt
(Mahmoud/Mahmood, Husayn/Hussein, Qaddafi/Gaddafi, Ahmadinejad/Ahmadinezhad), and an
Arabic-script spelling writes no short vowels at all (حسن for Hassan). Both problems go
away on a *phone string*: digraphs folded to one symbol, doubled letters collapsed, and a
distance in which vowels are cheap and written long vowels must be matched.

- :func:`latin_phones` turns ASCII into the same phone alphabet ``translit.arabic_phones``
  uses, so a Latin and an Arabic-script part can be compared directly;
- :func:`skeleton` keeps consonant classes only: a coarse key for blocking (later, Splink)
  and for spotting two spellings of one consonant frame;
- :func:`phone_similarity` is a weighted edit distance normalised to 0..1. When one side
  is an abjad spelling it charges little for Latin vowels the spelling did not write, and
  more for a written long vowel the Latin side lacks.
"""

from __future__ import annotations

import math
from functools import lru_cache

_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("sch", "S"), ("tch", "C"), ("dzh", "j"), ("sh", "S"), ("ch", "C"), ("kh", "X"),
    ("gh", "G"), ("th", "T"), ("dh", "D"), ("zh", "J"), ("ph", "f"), ("dj", "j"),
    ("ck", "k"), ("ou", "u"), ("oo", "u"), ("ee", "i"), ("aa", "a"), ("ii", "i"),
    ("uu", "u"), ("ue", "u"),
)
_LATIN_SINGLE = {"v": "w", "c": "k", "x": "X"}
LATIN_VOWELS = frozenset("aeiou")
ABJAD_VOWELS = frozenset("AWYEOH")
_AIN = "'"

# Consonant classes for skeleton keys: spellings of one sound share a class.
_SKELETON_CLASS = {
    "q": "k", "g": "k", "G": "k", "X": "k", "c": "k",
    "S": "s", "C": "s", "T": "s", "z": "z", "D": "z", "J": "j",
    "p": "b", "f": "f", "w": "w", "v": "w",
}

# Substitution costs between near consonants (symmetric); everything else costs 1.
_NEAR: dict[frozenset[str], float] = {
    frozenset(pair): cost
    for pair, cost in (
        ("kq", 0.2), ("kg", 0.4), ("qg", 0.3), ("Gg", 0.2), ("Gq", 0.4), ("Xh", 0.4),
        ("Xk", 0.4), ("XG", 0.5), ("sS", 0.5), ("SC", 0.3), ("Cj", 0.5), ("sT", 0.3),
        ("tT", 0.3), ("dD", 0.3), ("zD", 0.3), ("zs", 0.7), ("zJ", 0.3), ("jJ", 0.3),
        ("jg", 0.4), ("jy", 0.5), ("dt", 0.5), ("bp", 0.4), ("fp", 0.4), ("mn", 0.6),
        ("lr", 0.6), ("SX", 0.4), ("kC", 0.5), ("sC", 0.6), ("zj", 0.5), ("wb", 0.7),
        ("wf", 0.6),
    )
}
# Latin vowel -> abjad vowel unit: cost of reading one as the other.
_VOWEL_UNIT_COST: dict[str, dict[str, float]] = {
    "A": {"a": 0.0, "e": 0.2, "o": 0.3, "i": 0.7, "u": 0.7},
    "W": {"u": 0.0, "o": 0.0, "w": 0.0, "a": 0.8, "e": 0.9, "i": 0.9},
    "Y": {"i": 0.0, "e": 0.0, "y": 0.0, "a": 0.8, "o": 0.9, "u": 0.9},
    "E": {"e": 0.0, "a": 0.2, "i": 0.3, "o": 0.5, "u": 0.5},
    "O": {"o": 0.0, "u": 0.1, "a": 0.4, "e": 0.5, "i": 0.6},
    "H": {"a": 0.0, "e": 0.0, "h": 0.0, "i": 0.3, "o": 0.4, "u": 0.4},
}


@lru_cache(maxsize=65536)
def latin_phones(text: str) -> str:
    """Lowercase ASCII to phone symbols (digraphs folded, doubles collapsed).

    ``y`` is a consonant before a vowel or at the start, otherwise the vowel ``i``
    (Husayn, Yusuf); ``v`` and ``w`` share a symbol (Vahid/Wahid, Vladimir/Wladimir).
    """
    s = "".join(c for c in text.lower() if c.isalnum())
    out: list[str] = []
    i = 0
    while i < len(s):
        for graph, phone in _DIGRAPHS:
            if s.startswith(graph, i):
                out.append(phone)
                i += len(graph)
                break
        else:
            char = s[i]
            if char == "y":
                nxt = s[i + 1] if i + 1 < len(s) else ""
                out.append("y" if (i == 0 or nxt in LATIN_VOWELS) else "i")
            else:
                out.append(_LATIN_SINGLE.get(char, char))
            i += 1
    collapsed: list[str] = []
    for phone in out:
        if not collapsed or collapsed[-1] != phone:
            collapsed.append(phone)
    return "".join(collapsed)


@lru_cache(maxsize=65536)
def skeleton(phones: str) -> str:
    """Consonant classes only, doubles collapsed: ``Mohammed``/``محمد`` -> ``mhmd``.

    Vowels, vowel units, ain/hamza and any ``w``/``y`` after the first letter are dropped
    (they are vowels in one spelling and consonants in another: Husayn/Hussein).
    """
    out: list[str] = []
    last = -2
    for i, phone in enumerate(phones):
        if phone in LATIN_VOWELS or phone in ABJAD_VOWELS or phone == _AIN:
            continue
        if phone in "wy" and i > 0:
            continue
        cls = _SKELETON_CLASS.get(phone, phone)
        if not (out and out[-1] == cls and last == i - 1):
            out.append(cls)
        last = i
    return "".join(out)


def _sub_cost(a: str, b: str, abjad: bool) -> float:
    if a == b:
        return 0.0
    a_vowel, b_vowel = a in LATIN_VOWELS, b in LATIN_VOWELS
    if a in _VOWEL_UNIT_COST:
        return _VOWEL_UNIT_COST[a].get(b, 1.0)
    if b in _VOWEL_UNIT_COST:
        return _VOWEL_UNIT_COST[b].get(a, 1.0)
    if a == _AIN or b == _AIN:
        other = b if a == _AIN else a
        return 0.0 if other in LATIN_VOWELS else 1.0
    if a_vowel and b_vowel:
        return 0.3
    if a_vowel or b_vowel:
        pair = {a, b}
        if pair in ({"y", "i"}, {"w", "u"}):
            return 0.2
        return 1.0
    return _NEAR.get(frozenset((a, b)), 1.0)


def _indel_cost(phone: str, abjad: bool) -> float:
    if phone in LATIN_VOWELS:
        return 0.1 if abjad else 0.5
    if phone == _AIN or phone == "H":
        return 0.1
    if phone in "AWY":
        return 0.7  # a written long vowel the other spelling lacks
    if phone in ABJAD_VOWELS:
        return 0.45
    if phone == "h":
        return 0.6
    if phone in "wy":
        return 0.5
    return 1.0


@lru_cache(maxsize=262144)
def phone_distance(a: str, b: str, abjad: bool = False) -> float:
    """Weighted edit distance between two phone strings.

    ``abjad`` is set when either string is an abjad spelling: Latin vowels then cost
    little to drop (the spelling did not write them) and transpositions are not used.
    Otherwise transpositions cost 0.6 (typing errors: Marcon/Macron).
    """
    n, m = len(a), len(b)
    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + _indel_cost(b[j - 1], abjad)
    for i in range(1, n + 1):
        cur = [prev[0] + _indel_cost(a[i - 1], abjad)] + [0.0] * m
        for j in range(1, m + 1):
            best = min(
                prev[j] + _indel_cost(a[i - 1], abjad),
                cur[j - 1] + _indel_cost(b[j - 1], abjad),
                prev[j - 1] + _sub_cost(a[i - 1], b[j - 1], abjad),
            )
            if (
                not abjad and i > 1 and j > 1 and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1] and a[i - 1] != a[i - 2]
            ):
                best = min(best, prev2[j - 2] + 0.6)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[m]


BLOCK_COST = 0.45


@lru_cache(maxsize=65536)
def has_edit_block(a: str, b: str) -> bool:
    """True if the cheapest edit of ``a`` into ``b`` changes two adjacent sounds.

    Typing errors and transliteration variants change isolated letters (Pulin/Putin,
    Mertz/Merz); a different but related name swaps a whole syllable or ending
    (Castillo/Castro, Albano/Albanese, Mahir/Mahathir). Vowel-for-vowel changes are
    cheap and never count. Latin-to-Latin only (no abjad spellings).
    """
    n, m = len(a), len(b)
    dist = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        dist[i][0] = dist[i - 1][0] + _indel_cost(a[i - 1], False)
    for j in range(1, m + 1):
        dist[0][j] = dist[0][j - 1] + _indel_cost(b[j - 1], False)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            dist[i][j] = min(dist[i - 1][j] + _indel_cost(a[i - 1], False),
                             dist[i][j - 1] + _indel_cost(b[j - 1], False),
                             dist[i - 1][j - 1] + _sub_cost(a[i - 1], b[j - 1], False))
    i, j, run = n, m, 0
    while i > 0 or j > 0:
        if i > 0 and j > 0 and math.isclose(
                dist[i][j], dist[i - 1][j - 1] + _sub_cost(a[i - 1], b[j - 1], False)):
            cost = _sub_cost(a[i - 1], b[j - 1], False)
            i, j = i - 1, j - 1
        elif i > 0 and math.isclose(dist[i][j], dist[i - 1][j] + _indel_cost(a[i - 1], False)):
            cost = _indel_cost(a[i - 1], False)
            i -= 1
        else:
            cost = _indel_cost(b[j - 1], False)
            j -= 1
        run = run + 1 if cost >= BLOCK_COST else 0
        if run >= 2:
            return True
    return False


def _weight(phones: str, abjad: bool) -> float:
    """Length of a phone string for normalising: in abjad mode vowels count a quarter."""
    if not abjad:
        return float(len(phones))
    return sum(0.25 if p in LATIN_VOWELS else 1.0 for p in phones)


@lru_cache(maxsize=262144)
def phone_similarity(a: str, b: str, abjad: bool = False) -> float:
    """Similarity of two phone strings in 0..1 (1: same phones); see phone_distance."""
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b:
        return 0.0
    norm = max(_weight(a, abjad), _weight(b, abjad), 1.0)
    return max(0.0, 1.0 - phone_distance(a, b, abjad) / norm)
