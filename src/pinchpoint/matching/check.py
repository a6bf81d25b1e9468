"""Checking one's own people against a partner's filter, at home.

Every identifier of every person becomes its probes (`pinchpoint.matching.tokens`); all
probes go through the filter in one NumPy pass. A person hits on a kind when any of its
probes of that kind is in the filter. The strength says how much a hit means: an exact
document number (issuing country agreeing) is close to certain, a phone is strong but
numbers are shared and recycled, a name with the same birth year is medium, a name where
one side has no birth year is weak. Kinds combine as independent evidence
(1 - the product of each kind's 1 - strength). Nothing of the partner's is learned but
"something of this kind matches", and that a Bloom filter can be wrong at its stated rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pinchpoint.matching.bloom import DIGEST
from pinchpoint.matching.filters import Filter, FilterError
from pinchpoint.matching.group_keys import GroupKey
from pinchpoint.matching.identifiers import Person
from pinchpoint.matching.tokens import digests, probe_texts

# How much one hit of a kind means: (exact, one side lacking the qualifier).
STRENGTH = {"document": (0.99, 0.8), "imei": (0.95, 0.95), "iban": (0.95, 0.95),
            "email": (0.9, 0.9), "phone": (0.8, 0.8), "name": (0.6, 0.3)}
BATCH = 250_000  # probes hashed and looked up at once
MIN_STRENGTH = 0.5  # what a check lists unless asked for more


@dataclass
class Hit:
    """One of the checker's people that the filter holds something on."""

    entity: str
    label: str
    kinds: list[str]
    strength: float
    exact: dict[str, bool] = field(default_factory=dict)  # kind -> an exact hit
    tokens: list[str] = field(default_factory=list)  # the digests that hit (hex)

    @property
    def grade(self) -> str:
        return "strong" if self.strength >= 0.9 else "medium" if self.strength >= 0.6 \
            else "weak"

    def as_json(self) -> dict[str, object]:
        return {"entity": self.entity, "label": self.label, "kinds": self.kinds,
                "strength": self.strength, "grade": self.grade, "exact": self.exact}


def check(found: Filter, key: GroupKey, people: Iterable[Person],
          kinds: Iterable[str] | None = None, min_strength: float = MIN_STRENGTH
          ) -> list[Hit]:
    """The hits among ``people`` of at least ``min_strength``, strongest first (ties by
    label). The default leaves out a name alone where one side knows no birth year: in
    a population of common names (most of the medium scenario's name keys belong to
    several people) such a hit is more often another person than the same one
    (docs/matching.md); ``min_strength=0`` lists them too, as "weak"."""
    if key.key_id != found.info.key_id:
        raise FilterError(f"the filter was made under key {found.info.key_id}, not the key "
                          f"held here ({key.key_id})")
    wanted = set(found.info.kinds) & (set(kinds) if kinds is not None else set(found.info.kinds))
    hits: dict[str, Hit] = {}
    batch = _Batch()
    for person in people:
        for ident in person.identifiers:
            if ident.kind in wanted:
                for message, exact in probe_texts(ident):
                    batch.messages.append(message)
                    batch.owners.append((person, ident.kind, exact))
        if len(batch.messages) >= BATCH:
            batch.run(found, key, hits)
            batch = _Batch()
    batch.run(found, key, hits)
    for hit in hits.values():
        hit.kinds.sort()
        miss = 1.0
        for kind in hit.kinds:
            miss *= 1 - STRENGTH[kind][0 if hit.exact[kind] else 1]
        hit.strength = round(1 - miss, 3)
    return sorted((h for h in hits.values() if h.strength >= min_strength),
                  key=lambda h: (-h.strength, h.label, h.entity))


class _Batch:
    """Probes waiting to be hashed and looked up together, with whose they are."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.owners: list[tuple[Person, str, bool]] = []  # whose, kind, exact

    def run(self, found: Filter, key: GroupKey, hits: dict[str, Hit]) -> None:
        if not self.messages:
            return
        matrix = digests(key.secret, self.messages)
        held = found.bloom.contains(matrix).nonzero()[0]
        texts = matrix[held].tobytes().hex()  # the digests that hit, in one conversion
        for n, index in enumerate(held.tolist()):
            person, kind, exact = self.owners[index]
            hit = hits.get(person.entity)
            if hit is None:
                hit = hits[person.entity] = Hit(person.entity, person.label, [], 0.0)
            if kind not in hit.kinds:
                hit.kinds.append(kind)
            hit.exact[kind] = hit.exact.get(kind, False) or exact
            hit.tokens.append(texts[n * 2 * DIGEST:(n + 1) * 2 * DIGEST])
