"""Consonant skeletons and a phone distance that survives missing short vowels.

Romanisations of one name differ mostly in vowels and in how a sound is spelt
(Mahmoud/Mahmood, Husayn/Hussein, Qaddafi/Gaddafi, Ahmadinejad/Ahmadinezhad), and an
Arabic-script spelling writes no short vowels at all (حسن for Hassan). Both problems go
away on a *phone string*: digraphs folded to one symbol, doubled letters collapsed, and a
distance in which vowels are cheap and written long vowels must be matched.

- :func:`latin_phones` turns ASCII into the same phone alphabet ``translit.arabic_phones``
  uses, so a Latin and an Arabic-script part can be compared directly;
- :func:`skeleton` keeps consonant classes only: a coarse key for blocking (the linkage
  model's name keys, ``resolve/features.py``) and for spotting two spellings of one
  consonant frame;
- :func:`phone_similarity` is a weighted edit distance normalised to 0..1. When one side
  is an abjad spelling it charges little for Latin vowels the spelling did not write, and
  more for a written long vowel the Latin side lacks.
"""

from __future__ import annotations

import math
import re
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


# One token per digraph (tried in the order listed, as a scan with ``startswith`` would)
# or per single character.
_PHONE_TOKEN = re.compile("|".join(re.escape(graph) for graph, _ in _DIGRAPHS) + "|.", re.S)
_DIGRAPH_PHONE = dict(_DIGRAPHS)


@lru_cache(maxsize=65536)
def latin_phones(text: str) -> str:
    """Lowercase ASCII to phone symbols (digraphs folded, doubles collapsed).

    ``y`` is a consonant before a vowel or at the start, otherwise the vowel ``i``
    (Husayn, Yusuf); ``v`` and ``w`` share a symbol (Vahid/Wahid, Vladimir/Wladimir).
    """
    s = "".join(c for c in text.lower() if c.isalnum())
    out: list[str] = []
    last = ""
    for match in _PHONE_TOKEN.finditer(s):
        token = match.group()
        if len(token) > 1:
            phone = _DIGRAPH_PHONE[token]
        elif token == "y":
            i = match.start()
            phone = "y" if (i == 0 or s[i + 1:i + 2] in LATIN_VOWELS) else "i"
        else:
            phone = _LATIN_SINGLE.get(token, token)
        if phone != last:
            out.append(phone)
            last = phone
    return "".join(out)


# Wade-Giles, the older romanisation of Mandarin (Mao Tse-tung, Chiang Kai-shek, Hsi), and
# Pinyin (Mao Zedong, Xi) spell the same syllables differently. Only the spellings that are
# Wade-Giles alone are rewritten: the aspiration apostrophe (t'/t, ch'/ch) is lost in most
# records, so t/d, k/g, p/b and ch/j stay to the phone distance, which counts them as
# near sounds.
_WG_INITIALS = ("hs", "ts", "tz", "ss", "sz", "ch", "p", "m", "f", "t", "n", "l", "k", "h",
                "j", "s", "w", "y", "")
_WG_FINALS = frozenset({
    "a", "ai", "an", "ang", "ao", "e", "ei", "en", "eng", "erh", "i", "ia", "iang", "iao",
    "ieh", "ien", "ih", "in", "ing", "io", "iu", "iung", "o", "ou", "u", "ua", "uai", "uan",
    "uang", "ueh", "ui", "un", "ung", "uo",
})
_WG_INITIAL_PINYIN = {"hs": "x", "ts": "z", "tz": "z", "ss": "s", "sz": "s"}
_WG_FINAL_PINYIN = {"ih": "i", "ieh": "ie", "ueh": "ue", "ung": "ong", "iung": "iong",
                    "erh": "er", "ien": "ian"}


@lru_cache(maxsize=65536)
def wade_giles_pinyin(syllable: str) -> str:
    """The Pinyin spelling of a Wade-Giles syllable (``hsi`` -> ``xi``, ``tse`` -> ``ze``,
    ``tung`` -> ``tong``), or ``""`` if the syllable has no spelling unique to Wade-Giles."""
    if len(syllable) > 6 or not syllable.isalpha():  # hsiung, chuang: six letters at most
        return ""
    for initial in _WG_INITIALS:
        final = syllable[len(initial):]
        if syllable.startswith(initial) and final in _WG_FINALS:
            if initial not in _WG_INITIAL_PINYIN and final not in _WG_FINAL_PINYIN:
                return ""
            if initial == "sz" and final == "u":
                final = "i"  # szu -> si
            return (_WG_INITIAL_PINYIN.get(initial, initial)
                    + _WG_FINAL_PINYIN.get(final, final))
    return ""


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


def _sub_cost(a: str, b: str) -> float:
    """Cost of reading phone ``a`` as phone ``b`` (the same in Latin and abjad mode)."""
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


# The edit distances below run in pure Python on every new pair of parts, so the costs
# are memoised per symbol (phone strings and ASCII forms use a small alphabet) and the
# inner loops avoid function calls. The arithmetic is the same as a textbook DP with
# ``_sub_cost`` and ``_indel_cost``, in the same order, so the floats are the same.


class _SubRow(dict[str, float]):
    """Substitution costs from one symbol to any other, filled on first use."""

    __slots__ = ("phone",)

    def __init__(self, phone: str) -> None:
        super().__init__()
        self.phone = phone

    def __missing__(self, other: str) -> float:
        cost = self[other] = _sub_cost(self.phone, other)
        return cost


class _SubTable(dict[str, _SubRow]):
    def __missing__(self, phone: str) -> _SubRow:
        row = self[phone] = _SubRow(phone)
        return row


class _IndelTable(dict[str, float]):
    __slots__ = ("abjad",)

    def __init__(self, abjad: bool) -> None:
        super().__init__()
        self.abjad = abjad

    def __missing__(self, phone: str) -> float:
        cost = self[phone] = _indel_cost(phone, self.abjad)
        return cost


_SUB = _SubTable()
_INDEL = {False: _IndelTable(False), True: _IndelTable(True)}
TRANSPOSITION_COST = 0.6


@lru_cache(maxsize=262144)
def phone_distance(a: str, b: str, abjad: bool = False) -> float:
    """Weighted edit distance between two phone strings.

    ``abjad`` is set when either string is an abjad spelling: Latin vowels then cost
    little to drop (the spelling did not write them) and transpositions are not used.
    Otherwise transpositions cost 0.6 (typing errors: Marcon/Macron).
    """
    indel = _INDEL[abjad]
    ins = [indel[c] for c in b]
    prev = [0.0]
    for cost in ins:
        prev.append(prev[-1] + cost)
    prev2 = prev
    before = ""  # a[i - 2]
    for ai in a:
        dele, row = indel[ai], _SUB[ai]
        left = prev[0] + dele
        cur = [left]
        swaps = not abjad and before != "" and ai != before
        for j, bj in enumerate(b):
            best = prev[j + 1] + dele
            cost = left + ins[j]
            if cost < best:
                best = cost
            cost = prev[j] + row[bj]
            if cost < best:
                best = cost
            if swaps and j and bj == before and b[j - 1] == ai:
                cost = prev2[j - 1] + TRANSPOSITION_COST
                if cost < best:
                    best = cost
            cur.append(best)
            left = best
        prev2, prev, before = prev, cur, ai
    return prev[-1]


BLOCK_COST = 0.45


@lru_cache(maxsize=65536)
def has_edit_block(a: str, b: str) -> bool:
    """True if the cheapest edit of ``a`` into ``b`` changes two adjacent sounds.

    Typing errors and transliteration variants change isolated letters (Pulin/Putin,
    Mertz/Merz); a different but related name swaps a whole syllable or ending
    (Castillo/Castro, Albano/Albanese, Mahir/Mahathir). Vowel-for-vowel changes are
    cheap and never count. Latin-to-Latin only (no abjad spellings).
    """
    indel = _INDEL[False]
    del_a = [indel[c] for c in a]
    ins_b = [indel[c] for c in b]
    subs = [[_SUB[c][d] for d in b] for c in a]
    prev = [0.0]
    for cost in ins_b:
        prev.append(prev[-1] + cost)
    dist = [prev]
    for dele, sub in zip(del_a, subs, strict=True):
        left = prev[0] + dele
        cur = [left]
        for j, diag in enumerate(sub):
            best = prev[j + 1] + dele
            cost = left + ins_b[j]
            if cost < best:
                best = cost
            cost = prev[j] + diag
            if cost < best:
                best = cost
            cur.append(best)
            left = best
        dist.append(cur)
        prev = cur
    isclose = math.isclose
    i, j, run = len(a), len(b), 0
    while i > 0 or j > 0:
        if i > 0 and j > 0 and isclose(dist[i][j], dist[i - 1][j - 1] + subs[i - 1][j - 1]):
            cost = subs[i - 1][j - 1]
            i, j = i - 1, j - 1
        elif i > 0 and isclose(dist[i][j], dist[i - 1][j] + del_a[i - 1]):
            cost = del_a[i - 1]
            i -= 1
        else:
            cost = ins_b[j - 1]
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
