"""Normalised name keys for blocking: which pairs are worth scoring at all.

Scoring every pair of a million names is impossible; record linkage (Splink) first
*blocks* on cheap keys and scores only pairs that share one. A key must survive the
variation the matcher forgives, so ours are built from the same analysis: the consonant
skeleton of each identity-bearing part (``Hassan``, ``Hasan`` and ``حسن`` all give
``sk:hsn``), the known-variant group of a part (``Gamal``/``Jamal``), and one key for the
whole name's skeletons in sorted order (so part order does not matter).
"""

from __future__ import annotations

from pinchpoint.resolve.names.match import analyse, kind_for
from pinchpoint.resolve.names.parts import Part, Role
from pinchpoint.resolve.names.skeleton import skeleton

_KEY_ROLES = frozenset({Role.GIVEN, Role.MIDDLE, Role.FAMILY, Role.NAME, Role.PATRONYMIC,
                        Role.KUNYA})


def part_skeleton(part: Part) -> str:
    """The skeleton of one part (its distinctive element for Abd-/-ullah compounds)."""
    return skeleton(part.phones)


def name_keys(name: str, schema: str | None = "Person") -> frozenset[str]:
    """Blocking keys of a name: ``sk:`` part skeletons, ``g:`` variant groups, ``all:``.

    Parts with a skeleton shorter than two consonants (``Ali`` -> ``l``) give no ``sk:``
    key on their own: they would block everything with everything.
    """
    analysis = analyse(name, kind_for(schema, name, name))
    keys: set[str] = set()
    skeletons: list[str] = []
    for part in analysis.content:
        if part.role not in _KEY_ROLES or part.generic:
            continue
        skel = part_skeleton(part)
        if skel:
            skeletons.append(skel)
        if len(skel) >= 2:
            keys.add(f"sk:{skel}")
        keys.update(f"g:{group}" for group in part.groups)
    if skeletons:
        keys.add("all:" + "-".join(sorted(skeletons)))
    return frozenset(keys)
