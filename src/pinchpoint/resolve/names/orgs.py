"""Organisation and vessel names: legal forms, filler words, numbers, acronyms.

A company name's identity is in its distinctive words: ``Siemens Aktiengesellschaft`` and
``Siemens AG`` are one company, ``Deutsche Bank AG`` and ``Deutsche Bank GmbH`` two, and
``Bank of China (Hong Kong)`` is not ``Bank of China (Singapore)``. rigour's legal-form
database (ISO 20275 and others) recognises the legal form in any of its spellings and
gives a specific and a generic form (``oao`` is specifically an open JSC, generically a
JSC); the rest is tokenised like a person's name, with filler words dropped, number
words read as numbers and runs of initials joined into an acronym (``A.B.C.`` = ``ABC``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from rigour.names import extract_org_types, replace_org_types_compare

from pinchpoint.resolve.names import tokens as tk
from pinchpoint.resolve.names.parts import NameAnalysis, Part, Role, make_part
from pinchpoint.resolve.names.script import dominant_script
from pinchpoint.resolve.names.variants import load_name_parts

#: Words that name what kind of organisation it is rather than which one. They still
#: count (a bank is not a trust company) but at half weight.
GENERIC_ORG_WORDS = frozenset({
    "company", "group", "holding", "holdings", "international", "global", "corporation",
    "enterprise", "enterprises", "industries", "industry", "solutions", "services",
    "trading", "partners", "fund", "trust", "bank", "banking", "capital", "management",
    "investment", "investments", "systems", "technologies", "technology", "limited",
    "association", "organization", "foundation", "institute", "agency", "national",
    "general", "united", "state", "government", "ministry", "department", "office",
    "center", "society", "union", "council", "committee", "authority", "network",
    "financial", "finance", "securities", "insurance", "energy", "oil", "gas",
    "petroleum", "shipping", "logistics", "transport", "construction", "engineering",
    "development", "resources", "products", "media", "consulting", "commercial",
})


#: Words for "a company" that registers use interchangeably when no legal form is given.
ORG_CLASS_WORDS = frozenset({"company", "corporation", "co", "corp", "incorporated"})


@lru_cache(maxsize=1)
def _word_lists() -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    data = load_name_parts()
    stop = frozenset(str(w) for w in data.get("org_stopwords", []))
    abbreviations = {str(k): str(v) for k, v in data.get("org_abbreviations", {}).items()}
    prefixes = frozenset(str(w).replace("/", "") for w in data.get("object_prefixes", []))
    return stop, abbreviations, prefixes


def _legal_forms(text: str) -> tuple[str, list[Part]]:
    """Remove legal forms from casefolded ``text``; return the rest and one part per form."""
    parts = []
    for matched, generic in extract_org_types(text, generic=True):
        if tk.roman_value(matched.strip(" .,")) is not None:
            continue  # "Fund II" is a series number, not a legal form
        specific = replace_org_types_compare(matched).strip(" .,")
        part = make_part(matched, Role.LEGAL_FORM, ascii_form=specific.replace(" ", ""))
        parts.append(replace(part, groups=frozenset({f"legal:{generic}"})))
        text = re.sub(rf"(?<!\w){re.escape(matched)}(?!\w)", " ", text, count=1)
    return text, parts


def _split_glued(text: str) -> list[str]:
    """``SiemensAG`` -> ``Siemens AG`` (before case is lost), but ``GmbH`` stays whole."""
    out: list[str] = []
    for word in text.split():
        if extract_org_types(word.casefold(), generic=True):
            out.append(word)
        else:
            out.extend(tk.split_camel(word))
    return out


def _expand(tokens: list[str]) -> list[str]:
    """Spell out abbreviations (Int'l, Corp, US) and join runs of initials (A B C -> abc)."""
    _, abbreviations, _ = _word_lists()
    out: list[str] = []
    run: list[str] = []
    for token in tokens:
        key = token.casefold()
        if len(key) == 1 and key.isalpha() and key.isascii():
            run.append(key)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.extend(abbreviations.get(key, key).split())
    if run:
        out.append("".join(run))
    return out


def _role(token: str, index: int, tokens: list[str], kind: str) -> Role:
    stop, _, prefixes = _word_lists()
    if token.isdigit():
        return Role.NUMBER
    if index > 0 and tk.roman_value(token) is not None and (
            token != "i" or index == len(tokens) - 1):  # "Trust I", not "I" mid-name
        return Role.NUMBER
    if token in stop and len(tokens) > 1:
        return Role.STOPWORD
    if kind == "object" and index == 0 and token in prefixes and len(tokens) > 1:
        return Role.HONORIFIC
    return Role.NAME


def _number_part(token: str) -> Part:
    value = tk.roman_value(token)
    ascii_form = str(value) if value is not None and not token.isdigit() else token
    return make_part(token, Role.NUMBER, ascii_form=ascii_form)


@lru_cache(maxsize=32768)
def analyse_org(text: str, kind: str = "org", with_aliases: bool = True) -> NameAnalysis:
    """Analyse an organisation (``kind="org"``) or vessel (``kind="object"``) name."""
    segments = tk.split_aliases(text, person=False)
    main = " ".join(_split_glued(segments.main))
    main = unicodedata.normalize("NFC", main).casefold()
    main = main.replace("&", " and ").replace("+", " and ")
    legal: list[Part] = []
    if kind == "org":
        main, legal = _legal_forms(main)
    raw = tk.merge_numbers(_expand(tk.tokenize(main)))
    parts: list[Part] = []
    for index, token in enumerate(raw):
        role = _role(token, index, raw, kind)
        if role == Role.NUMBER:
            parts.append(_number_part(token))
            continue
        part = make_part(token, role)
        if role == Role.NAME and dominant_script(token) == "Latin":
            if token in ORG_CLASS_WORDS:
                part = replace(part, generic=True, groups=frozenset({"org:class"}))
            elif token in GENERIC_ORG_WORDS:
                part = replace(part, generic=True)
        parts.append(part)
    parts.extend(legal)
    aliases = tuple(
        analyse_org(alias, kind, with_aliases=False) for alias in segments.aliases
    ) if with_aliases else ()
    return NameAnalysis(original=text, kind=kind, parts=tuple(parts), aliases=aliases)


def has_legal_form(text: str) -> bool:
    """True if rigour finds a company legal form in ``text`` (LegalEntity disambiguation)."""
    return bool(extract_org_types(unicodedata.normalize("NFC", text).casefold(), generic=True))


#: Words that name a kind of organisation: a LegalEntity called ``The Puffin Trust`` or
#: ``Nanshan Group`` is read by the organisation rules even without a legal form.
ORG_TYPE_WORDS = ORG_CLASS_WORDS | frozenset({
    "trust", "group", "holding", "holdings", "bank", "fund", "foundation", "association",
    "institute", "agency", "society", "council", "committee", "authority", "ministry",
    "enterprise", "enterprises", "industries", "partners", "partnership", "limited",
})


def looks_like_org(text: str) -> bool:
    """True if ``text`` has a legal form or a word naming a kind of organisation."""
    if has_legal_form(text):
        return True
    return any(token in ORG_TYPE_WORDS for token in tk.tokenize(text.casefold()))
