"""The fast edit distances give exactly the numbers of the plain textbook versions.

``skeleton.py`` runs its dynamic programmes with memoised costs and no function calls in
the inner loops, and ``latin_phones`` scans with one regular expression. The reference
versions below are the straightforward code they replaced; the scores of the matcher
depend on the floats being identical, not merely close.
"""

from __future__ import annotations

import importlib
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from pinchpoint.resolve.names import dominant_script, latin_phones

skeleton_module = importlib.import_module("pinchpoint.resolve.names.skeleton")
script_module = importlib.import_module("pinchpoint.resolve.names.script")
_sub_cost = skeleton_module._sub_cost
_indel_cost = skeleton_module._indel_cost


def reference_phone_distance(a: str, b: str, abjad: bool) -> float:
    n, m = len(a), len(b)
    prev2: list[float] = []
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + _indel_cost(b[j - 1], abjad)
    for i in range(1, n + 1):
        cur = [prev[0] + _indel_cost(a[i - 1], abjad)] + [0.0] * m
        for j in range(1, m + 1):
            best = min(prev[j] + _indel_cost(a[i - 1], abjad),
                       cur[j - 1] + _indel_cost(b[j - 1], abjad),
                       prev[j - 1] + _sub_cost(a[i - 1], b[j - 1]))
            if (not abjad and i > 1 and j > 1 and a[i - 1] == b[j - 2]
                    and a[i - 2] == b[j - 1] and a[i - 1] != a[i - 2]):
                best = min(best, prev2[j - 2] + 0.6)
            cur[j] = best
        prev2, prev = prev, cur
    return prev[m]


def reference_has_edit_block(a: str, b: str) -> bool:
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
                             dist[i - 1][j - 1] + _sub_cost(a[i - 1], b[j - 1]))
    i, j, run = n, m, 0
    while i > 0 or j > 0:
        if i > 0 and j > 0 and math.isclose(
                dist[i][j], dist[i - 1][j - 1] + _sub_cost(a[i - 1], b[j - 1])):
            cost = _sub_cost(a[i - 1], b[j - 1])
            i, j = i - 1, j - 1
        elif i > 0 and math.isclose(dist[i][j], dist[i - 1][j] + _indel_cost(a[i - 1], False)):
            cost = _indel_cost(a[i - 1], False)
            i -= 1
        else:
            cost = _indel_cost(b[j - 1], False)
            j -= 1
        run = run + 1 if cost >= skeleton_module.BLOCK_COST else 0
        if run >= 2:
            return True
    return False


_DIGRAPHS = skeleton_module._DIGRAPHS


def reference_latin_phones(text: str) -> str:
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
                out.append("y" if (i == 0 or nxt in skeleton_module.LATIN_VOWELS) else "i")
            else:
                out.append(skeleton_module._LATIN_SINGLE.get(char, char))
            i += 1
    collapsed: list[str] = []
    for phone in out:
        if not collapsed or collapsed[-1] != phone:
            collapsed.append(phone)
    return "".join(collapsed)


# Latin phones, abjad vowel units, ain, digits and a stray symbol.
phones = st.text(alphabet=st.sampled_from("aeioubdfghjklmnpqrstwyzSCXGTDJAWYEOH'x1"),
                 max_size=12)
latin = st.text(alphabet=st.sampled_from("abcdeghikloprstuvwxyz ASHY-'0"), max_size=16)


@settings(max_examples=400, deadline=None)
@given(phones, phones, st.booleans())
def test_phone_distance_is_the_textbook_number(a: str, b: str, abjad: bool) -> None:
    assert skeleton_module.phone_distance.__wrapped__(a, b, abjad) == (
        reference_phone_distance(a, b, abjad))


@settings(max_examples=400, deadline=None)
@given(phones, phones)
def test_edit_block_is_the_textbook_answer(a: str, b: str) -> None:
    assert skeleton_module.has_edit_block.__wrapped__(a, b) == reference_has_edit_block(a, b)


@settings(max_examples=300, deadline=None)
@given(latin)
def test_latin_phones_is_the_scan_it_replaced(text: str) -> None:
    assert latin_phones.__wrapped__(text) == reference_latin_phones(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab1 -_.Zحسнд习"), max_size=8))
def test_ascii_shortcut_of_dominant_script(text: str) -> None:
    counts: dict[str, int] = {}
    for char in text:
        found = script_module.char_script(char)
        if found is not None:
            counts[found] = counts.get(found, 0) + 1
    expected = max(counts, key=lambda k: counts[k]) if counts else "Unknown"
    if len(set(counts.values())) == len(counts):  # no tie: the majority is unambiguous
        assert dominant_script(text) == expected


align_module = importlib.import_module("pinchpoint.resolve.names.align")
similarity_module = importlib.import_module("pinchpoint.resolve.names.similarity")


def reference_align(left: str, right: str) -> list[tuple[tuple[str, ...], tuple[str, ...],
                                                         float, str, bool]]:
    """Alignment with every candidate checked up front and fully sorted (the old way)."""
    from pinchpoint.resolve.names import DEFAULT_CONFIG, analyse

    a, b = analyse(left), analyse(right)
    lparts, rparts = a.content, b.content
    candidates = []
    for key, li, ri, found in align_module._candidates(
            lparts, rparts, a.structured and b.structured, DEFAULT_CONFIG,
            (align_module.gaps(a), align_module.gaps(b))):
        if isinstance(found, similarity_module.PendingSimilarity):
            found = found.resolve()
        candidates.append((align_module._key(found, -key[1], key[3]), li, ri, found))
    candidates.sort(key=lambda c: c[0])
    used_left: set[int] = set()
    used_right: set[int] = set()
    out = []

    def take(li: tuple[int, ...], ri: tuple[int, ...], sim: object, conflict: bool) -> None:
        if used_left.intersection(li) or used_right.intersection(ri):
            return
        used_left.update(li)
        used_right.update(ri)
        out.append((tuple(lparts[k].text for k in li), tuple(rparts[k].text for k in ri),
                    sim.score, sim.level, conflict))  # type: ignore[attr-defined]

    threshold = DEFAULT_CONFIG.pair_threshold
    for _, li, ri, sim in candidates:
        if sim.score < threshold:
            break
        take(li, ri, sim, False)
    for _, li, ri, sim in candidates:
        if len(li) == len(ri) == 1 and sim.score < threshold:
            take(li, ri, sim, True)
    return out


name_words = st.lists(st.sampled_from([
    "Ahmad", "Ahmed", "Hasan", "Hassan", "Hussein", "bin", "al", "Rawi", "Karim", "Kareem",
    "Abdul", "Rahman", "Rahim", "Mohammed", "Muhammad", "Jaff", "Zada", "Zadeh", "van", "der",
    "Bilt", "Tse", "tung", "Zedong", "Marcon", "Macron", "Castro", "Castillo", "Olaf",
    "Scholz", "Scholze", "V.", "Vladimir", "Putin", "حسن", "محمد", "زاده", "s/o",
]), min_size=1, max_size=5).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(name_words, name_words)
def test_lazy_alignment_is_the_fully_sorted_one(left: str, right: str) -> None:
    from pinchpoint.resolve.names import analyse

    found = align_module.align(analyse(left), analyse(right))
    got = [(tuple(p.text for p in pair.left), tuple(p.text for p in pair.right),
            pair.similarity.score, pair.similarity.level, pair.conflict)
           for pair in found.pairs]
    assert got == reference_align(left, right)


parts_module = importlib.import_module("pinchpoint.resolve.names.parts")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_alphanumeric_filters_are_str_isalnum(text: str) -> None:
    assert parts_module._NOT_ALNUM.sub("", text) == "".join(c for c in text if c.isalnum())
    assert parts_module._NOT_ALNUM_OR_UNDERSCORE.sub("", text) == "".join(
        c for c in text if c.isalnum() or c == "_")
