"""Who is who among the parties the supply records name: one handler per person or
company, however many files name it.

Each file names its parties under its own entity ids, so the same company is a new
entity in every invoice file and customs extract. Parties are joined (union-find) when
the scope's last resolution puts them in one cluster, when they carry the same
registration number (VAT, EORI, company number, compared as serials are), or when
their names agree once case, punctuation, word order and a company's legal form are
set aside, within the same kind (person or organisation). Persons whom any record the
scope sees calls a victim or a witness are never handlers: they are left out of every
handler list, hub and plan (docs/supply.md). A victim label is no shield either: where
a record calls a handler a victim or witness and another (of any agency) calls it a
suspect or convicted, the handler is *disputed*: neither a handler nor hidden, but
listed with the agencies on each side for an analyst to settle.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pinchpoint.model.category import is_accused, is_protected
from pinchpoint.supply.rows import Party, Row
from pinchpoint.supply.serials import serial_key

Categories = dict[str, set[tuple[str, str]]]  # entity -> {(category as written, agency)}
LEGAL_FORMS = frozenset({"gmbh", "ug", "ag", "kg", "eood", "ood", "ead", "ad", "ltd",
                         "limited", "sti", "şti", "as", "a.s", "co", "llc", "inc", "sarl",
                         "sas", "bv", "nv", "srl", "plc"})
_PUNCT = re.compile(r"[^\w\s]+")


def name_key(name: str, schema: str) -> str:
    """A party's name as a key: folded, punctuation dropped, words sorted; a company's
    legal form left out."""
    text = _PUNCT.sub(" ", unicodedata.normalize("NFKC", name).casefold())
    words = text.split()
    if schema != "Person":
        words = [w for w in words if w not in LEGAL_FORMS]
    kind = "person" if schema == "Person" else "org"
    return f"{kind}:{' '.join(sorted(words))}" if words else ""


@dataclass
class Handlers:
    """The parties grouped: entity id -> handler id (the smallest entity id of its group),
    each handler's label, kind and the protected ones."""

    of: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    schemata: dict[str, str] = field(default_factory=dict)
    protected: set[str] = field(default_factory=set)
    # handler -> (agencies calling it a victim or witness, agencies calling it a suspect)
    disputed: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)

    def hidden(self, handler: str) -> bool:
        """Never given a supplying (or any) role: protected, or disputed until settled."""
        return handler in self.protected or handler in self.disputed

    def handler(self, party: Party) -> str:
        return self.of.get(party.entity_id, party.entity_id)

    def label(self, handler: str) -> str:
        return self.labels.get(handler, handler)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, a: str) -> str:
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def group_parties(rows: Iterable[Row], canonical: dict[str, str],
                  categories: Categories) -> Handlers:
    """The handlers (see the module docstring); `canonical` is the scope's resolution
    (entity -> cluster id) and `categories` the person categories per entity."""
    union = _Union()
    first: dict[str, str] = {}
    names: dict[str, Counter[str]] = {}
    schemata: dict[str, str] = {}
    for row in rows:
        for party in row.parties:
            entity = party.entity_id
            union.find(entity)
            schemata[entity] = party.schema
            names.setdefault(entity, Counter())[party.name] += 1
            for key in (f"r:{canonical[entity]}" if entity in canonical else "",
                        f"reg:{serial_key(party.registration)}"
                        if serial_key(party.registration) else "",
                        name_key(party.name, party.schema)):
                if key:
                    union.join(first.setdefault(key, entity), entity)
    handlers = Handlers()
    counted: dict[str, Counter[str]] = {}
    sides: dict[str, tuple[set[str], set[str]]] = {}
    for entity in schemata:
        root = union.find(entity)
        handlers.of[entity] = root
        counted.setdefault(root, Counter()).update(names[entity])
        handlers.schemata.setdefault(root, schemata[entity])
        protected, accused = sides.setdefault(root, (set(), set()))
        said = categories.get(entity, set())
        protected.update(owner for value, owner in said if is_protected(value))
        accused.update(owner for value, owner in said if is_accused(value))
    for root, counts in counted.items():
        handlers.labels[root] = min(counts, key=lambda n: (-counts[n], n)) if counts else root
    for root, (protected, accused) in sides.items():
        if protected and accused:
            handlers.disputed[root] = (tuple(sorted(protected)), tuple(sorted(accused)))
        elif protected:
            handlers.protected.add(root)
    return handlers


__all__ = ["Handlers", "group_parties", "name_key"]
