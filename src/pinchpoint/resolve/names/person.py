"""Reading a person's name: structure words, compounds, lineage and roles.

One pass over the tokens recognises titles (Haji, Kak, Dr), lineage markers (bin, ibn,
s/o, kuri, zoy, walad; oglu after the name), kunyas (Abu X, Umm X, Bawki X), the Abd-
compounds (Abdul Rahman = Abd al-Rahman = Abdurrahman) and the -ullah / al-Din
compounds (Habibullah = Habib Allah, Saifuddin = Saif al-Din), so that each becomes one
part with one spelling. Roles follow from position: with lineage markers, everything
before the first marker is the person's own name and everything in the chain is the
father's (or grandfather's); without them the first part is the given name and the last
the family name.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from pinchpoint.resolve.names import tokens as tk
from pinchpoint.resolve.names.parts import (
    CONTENT_ROLES,
    NameAnalysis,
    Part,
    Role,
    make_part,
    word_key,
    words,
)
from pinchpoint.resolve.names.script import dominant_script
from pinchpoint.resolve.names.skeleton import latin_phones
from pinchpoint.resolve.names.translit import arabic_phones
from pinchpoint.resolve.names.variants import fold_arabic, load_variants


def _split_latin_compound(token: str) -> list[str]:
    """``Abdulrahman`` -> ``abd`` + ``rahman``; ``Abdullah`` -> ``abd`` + ``allah``.

    Of the possible splits, one whose remainder is a known name wins (``Abdurahman`` is
    ``abdu`` + ``rahman``, not ``abdur`` + ``ahman``).
    """
    key = word_key(token)
    w = words()
    if dominant_script(token) == "Arabic":
        folded = fold_arabic(token)
        if folded.startswith("عبد") and len(folded) > 4:
            return ["عبد", token[3:]]
        return [token]
    table = load_variants()
    fallback: list[str] | None = None
    for prefix in w.abd:
        if not key.startswith(prefix) or key == prefix or dominant_script(prefix) != "Latin":
            continue
        rest = key[len(prefix):]
        candidates = [rest]
        if prefix[-1] in "lrs" and not rest.startswith(prefix[-1]):
            candidates.append(prefix[-1] + rest)
        for candidate in candidates:
            if candidate in w.allah or candidate in ("lah", "la", "llah", "lla"):
                return ["abd", "allah"]
            if table.groups(candidate):
                return ["abd", candidate]
        if fallback is None and len(rest) >= 3:
            fallback = ["abd", rest]
    return fallback or [token]


def _split_suffix(ascii_value: str) -> tuple[str, str]:
    """``habibullah`` -> (``habib``, ``allah``); ``saifuddin`` -> (``saif``, ``aldin``)."""
    w = words()
    for suffixes, canonical in ((w.allah, "allah"), (w.aldin, "aldin")):
        for suffix in sorted(suffixes, key=len, reverse=True):
            if ascii_value.endswith(suffix) and len(ascii_value) - len(suffix) >= 2:
                return ascii_value[: -len(suffix)], canonical
    return ascii_value, ""


def _normalise_suffix(ascii_value: str) -> str:
    """One spelling for the compound suffixes: ``habibullah`` -> ``habiballah``."""
    stem, suffix = _split_suffix(ascii_value)
    return stem + suffix


def _affixed(part: Part, affix: str, core_phones: str) -> Part:
    return replace(part, affix=affix, core_phones=core_phones)


def _merged(first: Part, second_text: str, role: Role, joiner: str = "",
            prefix: str = "") -> Part:
    """A compound of a part and the next word: Abd + Rahman, Abu + Bakr, Saif + al-Din.

    A prefix compound (abd, abu, umm) keeps its variant groups apart from the bare
    name's (``Abd al-Rahman`` is not ``Rahman``) and records the distinctive element as
    its *core*, so two compounds are compared on what differs (``Abdul Rahim`` vs ``Abdul
    Rahman``: rahim vs rahman) rather than on a shared prefix that dilutes the difference.
    """
    second = make_part(second_text, Role.NAME)
    ascii_value = _normalise_suffix(first.ascii + joiner + second.ascii)
    phones = first.phones + second.phones if second.abjad else latin_phones(ascii_value)
    part = make_part(f"{first.text} {second_text}", role, first.level, ascii_form=ascii_value,
                     phones=phones)
    if prefix:
        groups = frozenset(f"{prefix}:{g}" for g in second.groups)
        part = replace(part, groups=groups, common=False)
        return _affixed(part, prefix, second.phones)
    suffix = "aldin" if joiner else "allah"
    return _affixed(part, suffix, first.core_phones or first.phones)


_ABD_TOKENS = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdil", "abdur", "abdus",
                         "abdoul", "عبد"})
_DIN_TOKENS = frozenset({"din", "deen", "dine", "eddine", "الدین", "الدين"})


def _next_word(keys: list[str], start: int) -> int:
    """Index of the first token from ``start`` that is not a particle (or the last one)."""
    particles = words().particles
    j = start
    while j < len(keys) - 1 and keys[j] in particles:
        j += 1
    return j


def _last_content(parts: list[Part]) -> int | None:
    """Index of the last part, skipping particles, if a suffix may attach to it."""
    for index in range(len(parts) - 1, -1, -1):
        role = parts[index].role
        if role == Role.PARTICLE:
            continue
        ok = role in (Role.NAME, Role.PATRONYMIC, Role.KUNYA)
        return index if ok and parts[index].affix not in ("allah", "aldin") else None
    return None


def _last_plain(keys: list[str]) -> int:
    """Index of the last token that is a name (not a title, particle or marker)."""
    w = words()
    for index in range(len(keys) - 1, -1, -1):
        key = keys[index]
        if key not in w.honorifics and key not in w.particles and key not in w.before:
            return index
    return -1


def _plain_part(token: str, key: str, index: int, chain: bool, level: int) -> Part:
    """A word that is not structure: a name, an initial or a patronymic (in a chain or
    by its Russian-style ending)."""
    stem, suffix = _split_suffix(key) if key.isascii() else (key, "")
    ascii_form = stem + suffix if suffix else None
    if chain:
        role, generation = Role.PATRONYMIC, level
    elif len(key) == 1 and key.isascii() and key.isalpha():
        role, generation = Role.INITIAL, 0
    elif index > 0 and key.isascii() and len(key) > 6 and key.endswith(words().suffixes):
        role, generation = Role.PATRONYMIC, 1
    else:
        role, generation = Role.NAME, 0
    part = make_part(token, role, generation, ascii_form=ascii_form)
    if role == Role.PATRONYMIC and not chain:
        part = replace(part, derived=True)
    if suffix:
        part = _affixed(part, suffix, latin_phones(stem))
    elif dominant_script(token) == "Arabic":
        folded = fold_arabic(token)
        if folded.endswith("الله") and len(folded) > 5:
            part = _affixed(part, "allah", arabic_phones(folded[:-4]))
    return part


def _tag(raw: list[str]) -> tuple[list[Part], bool]:
    """Walk the tokens once, tagging structure; returns parts and whether lineage is spelt.

    After a marker (bin, kuri, s/o) every name word is the father's (or, after a second
    marker, the grandfather's) until the last word of the name, which is the family name
    once the chain has at least one word: ``Gul Agha zoy Lal Mohammad Afridi``.
    """
    w = words()
    keys = [word_key(t) for t in raw]
    last_plain = _last_plain(keys)
    parts: list[Part] = []
    structured = False
    level = in_chain = 0
    i = 0
    while i < len(raw):
        token, key = raw[i], keys[i]
        has_next = i + 1 < len(raw)
        chain = level > 0 and not (i == last_plain and in_chain > 0)
        if key in w.honorifics:
            parts.append(make_part(token, Role.HONORIFIC))
        elif key in w.before and has_next and not (i == 0 and key in ("ben", "bent")):
            structured = True
            level, in_chain = level + 1, 0
            parts.append(make_part(token, Role.MARKER))
        elif key in w.after and parts and parts[-1].role in CONTENT_ROLES:
            structured = True
            parts[-1] = replace(parts[-1], role=Role.PATRONYMIC, level=max(level, 1))
            parts.append(make_part(token, Role.MARKER))
        elif key in w.particles and has_next:
            parts.append(make_part(token, Role.PARTICLE))
        elif (key in w.allah or key in _DIN_TOKENS or key == "الله") and (
                (last := _last_content(parts)) is not None):
            is_din = key in _DIN_TOKENS
            head = parts[last]
            del parts[last + 1:]
            word = token if head.abjad or is_din else "allah"
            parts[last] = _merged(head, word, head.role, joiner="al" if is_din else "")
        elif key in w.kunya and has_next:
            j = _next_word(keys, i + 1)
            mother = key.startswith(("um", "om", "oum", "day")) or key in ("ام", "أم", "دایکی")
            prefix = "umm" if mother else "abu"
            head = make_part(token, Role.KUNYA, ascii_form=prefix, phones=latin_phones(prefix))
            parts.append(_merged(head, raw[j], Role.KUNYA, prefix=prefix))
            i = j
        elif key in _ABD_TOKENS and has_next:
            j = _next_word(keys, i + 1)
            role = Role.PATRONYMIC if chain else Role.NAME
            head = make_part(token, role, level if chain else 0, ascii_form="abd",
                             phones=latin_phones("abd"))
            parts.append(_merged(head, raw[j], role, prefix="abd"))
            in_chain += int(chain)
            i = j
        else:
            parts.append(_plain_part(token, key, i, chain, level))
            in_chain += int(chain)
        i += 1
    return parts, structured


def _latin_tokens(text: str, all_caps: bool) -> list[str]:
    """Tokens with Abd-compounds split and consonant-only 2-3 letter initials split."""
    out: list[str] = []
    for token in tk.tokenize(text, leet=True):
        if (not all_caps and token.isupper() and 2 <= len(token) <= 3 and token.isascii()
                and not any(c in "AEIOUY" for c in token)):
            out.extend(token)  # "JC Juncker": two initials
            continue
        out.extend(_split_latin_compound(token))
    return out


def _assign_roles(parts: list[Part], structured: bool) -> list[Part]:
    """Given, middle and family names among the plain parts.

    Without lineage markers the first plain part is the given name and the last the
    family name. With them, every plain part before the first marker is the given name
    (``Gul Agha``, ``Shah Wali``) and every one after the chain the family name.
    """
    out = list(parts)
    plain = [i for i, p in enumerate(parts) if p.role == Role.NAME]
    first_marker = next((i for i, p in enumerate(parts) if p.role == Role.MARKER), None)
    for rank, index in enumerate(plain):
        if structured and first_marker is not None:
            role = Role.GIVEN if index < first_marker else Role.FAMILY
        elif rank == 0:
            role = Role.GIVEN
        elif rank == len(plain) - 1:
            role = Role.FAMILY
        else:
            role = Role.MIDDLE
        out[index] = replace(parts[index], role=role)
    return out


@lru_cache(maxsize=32768)
def analyse_person(text: str, with_aliases: bool = True) -> NameAnalysis:
    """Analyse a person's name: aliases, comma order, compounds, roles."""
    segments = tk.split_aliases(text, person=True)
    main, swapped = tk.unswap_comma(segments.main)
    raw = _latin_tokens(main, all_caps=main.isupper())
    parts, structured = _tag(raw)
    parts = _assign_roles(parts, structured)
    aliases = tuple(
        analyse_person(alias, with_aliases=False) for alias in segments.aliases
    ) if with_aliases else ()
    return NameAnalysis(original=text, kind="person", parts=tuple(parts), aliases=aliases,
                        structured=structured, swapped=swapped)
