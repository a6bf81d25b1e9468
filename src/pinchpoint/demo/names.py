"""People's names and the ways records get them wrong.

A person has one true name (given, father's and family name from a community's pool,
plus perhaps a nickname and a kunya). Every record that mentions the person writes it
the way that kind of source does: a Kurdish ledger in Sorani script or as "given +
father", a police system as "FAMILY, Given" with a transliteration of its own, a phone
contact book as "Hawala Karwan". :func:`render` returns the text and the *form*, so the
truth can say which records carry an alias or a cross-script name.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pinchpoint.demo.names_data import (
    BHAI,
    CONTACT_LABELS,
    NICKNAMES,
    POOLS,
    VIETNAMESE_MIDDLE,
    Name,
    Pool,
)

# Forms of a written name (truth/records.csv, column name_form).
CANONICAL = "canonical"
VARIANT = "variant"  # another transliteration of one part
REORDERED = "reordered"  # family name first
PATRONYMIC = "patronymic"  # father's name added
SCRIPT = "script"  # written in the name's own non-Latin script
ALIAS = "alias"  # nickname, kunya or a form of address
TYPO = "typo"
PARTIAL = "partial"  # given name only
LABEL = "label"  # a contact-book label ("Hawala Karwan")
ALIAS_FORMS = frozenset({ALIAS, LABEL})
CROSS_SCRIPT_FORMS = frozenset({SCRIPT})
_KUNYA_SCRIPT = "أبو"


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's true name and the extra names others call them by."""

    origin: str
    gender: str  # "m" or "f"
    given: Name
    father: Name  # the father's given name (Vietnamese: the middle name)
    family: Name
    nickname: str | None = None
    kunya: Name | None = None  # the son's name after "Abu"

    @property
    def pool(self) -> Pool:
        return POOLS[self.origin]

    def canonical(self) -> str:
        """The name the truth files use."""
        if self.pool.order == "family_middle_given":
            return f"{self.family.latin} {self.father.latin} {self.given.latin}"
        if self.pool.order == "given_father_grandfather":
            return f"{self.given.latin} {self.father.latin} {self.family.latin}"
        return f"{self.given.latin} {self.family.latin}"

    def in_script(self) -> str | None:
        """The whole name in its own script, when every part has one that differs."""
        parts = [self.given, self.family]
        if self.pool.order in ("family_middle_given", "given_father_grandfather"):
            parts = [self.family, self.father, self.given] if self.origin == "vietnamese" \
                else [self.given, self.father, self.family]
        if any(p.script is None for p in parts):
            return None
        text = " ".join(p.script or "" for p in parts)
        return text if text != self.canonical() else None

    def kunya_text(self, script: bool = False) -> str | None:
        if self.kunya is None:
            return None
        if script and self.kunya.script:
            return f"{_KUNYA_SCRIPT} {self.kunya.script}"
        return f"Abu {self.kunya.latin}"

    def aliases(self) -> list[str]:
        """Every alias a well-informed record would list."""
        out = []
        if self.nickname:
            out.append(self.nickname)
        kunya = self.kunya_text()
        if kunya:
            out.append(kunya)
        return out


def make_name(rng: random.Random, origin: str, gender: str, alias_rate: float = 0.0,
              nickname_rate: float = 0.0) -> PersonName:
    """A random name from a community's pool; members get nicknames and kunyas."""
    pool = POOLS[origin]
    given = rng.choice(pool.male if gender == "m" else pool.female)
    if origin == "vietnamese":
        latin, script = rng.choice(VIETNAMESE_MIDDLE[gender])
        father = Name(latin, script, ())
    else:
        father = rng.choice(pool.male)
    family = rng.choice(pool.family)
    nickname = None
    if rng.random() < nickname_rate:
        nickname = rng.choice(NICKNAMES)
        if origin == "afghan" and rng.random() < 0.5:
            nickname = f"{nickname} {BHAI}"
    kunya = None
    if pool.kunya and gender == "m" and rng.random() < alias_rate:
        kunya = rng.choice(POOLS["arabic"].male)
    return PersonName(origin, gender, given, father, family, nickname, kunya)


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip in a Latin name: a letter dropped, doubled, swapped or replaced."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2 and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + rng.choice("aeiouny") + text[i + 1:]


def _spelling(rng: random.Random, part: Name, p: float) -> str:
    if part.variants and rng.random() < p:
        return rng.choice(part.variants)
    return part.latin


@dataclass(frozen=True)
class Style:
    """How one kind of source writes names: the chance of each kind of deviation."""

    script: float = 0.0
    variant: float = 0.0
    patronymic: float = 0.0
    reordered: float = 0.0
    alias: float = 0.0
    partial: float = 0.0
    typo: float = 0.0
    upper_family: bool = False  # police systems: "HASSAN, Rebwar"


LEDGER_KRG = Style(script=0.45, variant=0.15, patronymic=0.3, alias=0.05, typo=0.03)
LEDGER_EU = Style(script=0.05, variant=0.2, patronymic=0.1, alias=0.04, typo=0.04)
POLICE = Style(variant=0.25, patronymic=0.15, reordered=0.15, typo=0.04, upper_family=True)
INTEL = Style(script=0.15, variant=0.2, patronymic=0.2, alias=0.1, typo=0.02)
PILOT = Style(variant=0.3, partial=0.45, alias=0.1, typo=0.05)
PLAIN = Style()


def render(rng: random.Random, name: PersonName, style: Style) -> tuple[str, str]:
    """The name as one record writes it, and which form that is."""
    roll = rng.random()
    if roll < style.script:
        text = name.in_script()
        if text:
            return text, VARIANT if name.origin == "vietnamese" else SCRIPT
    elif roll < style.script + style.alias:
        alias = _alias(rng, name)
        if alias:
            return alias, ALIAS
    elif roll < style.script + style.alias + style.partial:
        return _spelling(rng, name.given, style.variant), PARTIAL
    given = _spelling(rng, name.given, style.variant)
    family = _spelling(rng, name.family, style.variant)
    form = VARIANT if (given, family) != (name.given.latin, name.family.latin) else CANONICAL
    order = name.pool.order
    if order == "family_middle_given":
        text = f"{family} {name.father.latin} {given}"
    elif order == "given_father_grandfather" or rng.random() < style.patronymic:
        text = f"{given} {_spelling(rng, name.father, style.variant)} {family}"
        if order != "given_father_grandfather":
            form = PATRONYMIC
    else:
        text = f"{given} {family}"
    if rng.random() < style.reordered:
        first, _, rest = text.partition(" ")
        text = f"{rest.upper() if style.upper_family else rest}, {first}"
        form = REORDERED
    if rng.random() < style.typo:
        mistyped = typo(rng, text)
        if mistyped != text:
            text, form = mistyped, TYPO
    return text, form


def _alias(rng: random.Random, name: PersonName) -> str | None:
    options: list[str] = []
    if name.nickname:
        options.append(name.nickname)
    if name.kunya:
        options.append(name.kunya_text(script=rng.random() < 0.3) or "")
    if name.pool.honorifics:
        options.append(f"{rng.choice(name.pool.honorifics)} {name.given.latin}")
    options = [o for o in options if o]
    return rng.choice(options) if options else None


def split_police(name: PersonName, rng: random.Random, style: Style = POLICE
                 ) -> tuple[str, str, str]:
    """(surname, forenames, form) as an arrest record's two name fields hold them."""
    given = _spelling(rng, name.given, style.variant)
    family = _spelling(rng, name.family, style.variant)
    form = VARIANT if (given, family) != (name.given.latin, name.family.latin) else CANONICAL
    if name.pool.order == "family_middle_given":
        forenames = f"{name.father.latin} {given}"
    elif name.pool.order == "given_father_grandfather" or rng.random() < style.patronymic:
        forenames = f"{given} {_spelling(rng, name.father, style.variant)}"
        form = PATRONYMIC if name.pool.order != "given_father_grandfather" else form
    else:
        forenames = given
    if rng.random() < style.reordered:  # the two fields swapped at data entry
        return forenames.upper(), family, REORDERED
    if rng.random() < style.typo:
        mistyped = typo(rng, family)
        if mistyped != family:
            return mistyped.upper(), forenames, TYPO
    return family.upper(), forenames, form


def contact_label(rng: random.Random, name: PersonName, role: str, city: str) -> str:
    """How a smuggler, a migrant or a relative is saved in someone's phone."""
    template = rng.choice(CONTACT_LABELS.get(role, CONTACT_LABELS["migrant"]))
    given = name.given.script if name.given.script and rng.random() < 0.25 \
        else _spelling(rng, name.given, 0.3)
    nick = name.nickname or name.kunya_text() or f"Kak {given}"
    return template.format(given=given, family=name.family.latin, city=city, nick=nick)
