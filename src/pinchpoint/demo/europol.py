"""Europol's contribution (kind `ftm`): its picture of the groups as FtM entities.

Europol holds what member states sent it: the groups as organisations, the persons
arrested or reported (with the aliases and Arabic-script names partners recorded, and
birth dates that may disagree with the national record), their memberships and the
associations between them. Ids are Europol's own, never the truth's.
"""

from __future__ import annotations

import json
import random
from typing import Any

from pinchpoint.demo.context import Context
from pinchpoint.demo.corrupt import rejects
from pinchpoint.demo.names import INTEL, render
from pinchpoint.demo.people import Person
from pinchpoint.demo.truth import Ref

ROLE_LABELS = {"kingpin": "leader", "lieutenant": "organiser", "recruiter": "recruiter",
               "hawaladar": "money controller (hawala)", "middleman": "gatherer",
               "driver": "driver", "safe_house_keeper": "safe-house keeper",
               "supplier": "equipment supplier", "facilitator": "facilitator",
               "skipper": "skipper", "broker": "broker"}
ROUTE_LABELS = {"balkans": "Western Balkans", "kurdistan_yacht": "Turkey-Italy yacht",
                "channel": "English Channel small-boat"}
BAD_BIRTH = ("unknown", "approx. 1985", "1990-00-00", "31/12/89")


def write(ctx: Context) -> None:
    """One JSON-lines file with every group Europol has nominals for."""
    rng = random.Random(f"{ctx.seed}:europol")
    known = dict(ctx.europol_known)
    for group in ctx.world.groups:  # partners also report the leadership of active groups
        if any(p.id in known for p in group.members):
            for person in [group.kingpin, *group.role("lieutenant")]:
                if rng.random() < 0.6:
                    known.setdefault(person.id, person)
    lines: list[str] = []
    refs: list[list[Ref]] = []
    bad: list[tuple[int, str, str]] = []
    ocg_ids: dict[str, str] = {}
    for n, group in enumerate(ctx.world.groups, start=1):
        if not any(p.id in known for p in group.members):
            continue
        ocg = ocg_ids[group.id] = f"eu-ocg-{n:05d}"
        family = group.name.split(" network")[0]
        routes = " and ".join(ROUTE_LABELS[c] for c in group.kind.corridors)
        props = {"name": [f"{family} OCG"], "alias": [f"{group.base[0]} network"],
                 "country": [group.base[1]],
                 "description": [f"{group.kind.name.capitalize()} OCG facilitating illegal "
                                 f"immigration on the {routes} route"]}
        lines.append(_line(ocg, "Organization", props))
        refs.append([("organization", group.id, "", "")])
    nominal: dict[str, str] = {}
    for person in sorted(known.values(), key=lambda p: p.id):
        ident = nominal[person.id] = f"eu-nom-{len(nominal) + 1:06d}"
        props, form, text = _person(rng, person)
        if "birthDate" in props and rng.random() < 0.01:
            raw = rng.choice(BAD_BIRTH)
            if rejects("Person", "birthDate", raw):
                props["birthDate"] = [raw]
                bad.append((len(lines) + 1, "birthDate", raw))
        lines.append(_line(ident, "Person", props))
        refs.append([("person", person.id, form, text)])
        for group_id in person.groups:
            if group_id in ocg_ids:
                member = f"eu-mem-{len(lines) + 1:06d}"
                lines.append(_line(member, "Membership", {
                    "member": [ident], "organization": [ocg_ids[group_id]],
                    "role": [ROLE_LABELS.get(person.role, person.role)]}))
                refs.append([("member", person.id, "", ""),
                             ("organization", group_id, "", "")])
    for (a, b), kinds in ctx.world.ties.items():
        if a in nominal and b in nominal and rng.random() < 0.5:
            relation = max(kinds, key=lambda k: kinds[k])
            lines.append(_line(f"eu-assoc-{len(lines) + 1:06d}", "Associate", {
                "person": [nominal[a]], "associate": [nominal[b]],
                "relationship": [relation.replace("_", " ")]}))
            refs.append([("person", a, "", ""), ("associate", b, "", "")])
    name = "europol_siena_nominals.jsonl"
    rel, entry = ctx.sources.whole("EUROPOL", "ftm", name, "ftm", "".join(lines),
                                   source="europol-siena-nominals",
                                   reason="Europol analysis project contributions on OCGs")
    for number, line_refs in enumerate(refs, start=1):
        ctx.truth.refs(rel, f"{name}:{number}", line_refs)
    entry.records = len(lines)
    for number, field, raw in bad:
        ctx.truth.corruption(rel, f"{name}:{number}", field, raw, "bad_date", False)
        entry.expect_quarantined += 1


def _person(rng: random.Random, person: Person) -> tuple[dict[str, list[str]], str, str]:
    text, form = render(rng, person.name, INTEL)
    names = [text]
    script = person.name.in_script()
    if script and script != text and rng.random() < 0.5:
        names.append(script)
    props: dict[str, list[str]] = {"name": names, "nationality": [person.nationality],
                                   "personCategory": ["suspect"],
                                   "country": [person.country]}
    aliases = person.name.aliases()
    if aliases:
        props["alias"] = aliases
    if rng.random() < 0.75:
        born = person.birth
        if rng.random() < 0.15 and (born.month, born.day) != (2, 29):
            born = born.replace(year=born.year + rng.choice((-1, 1)))
        props["birthDate"] = [born.isoformat() if rng.random() < 0.8 else str(born.year)]
    props["phone"] = [p.e164 for p in person.phones[: rng.randint(1, 2)]]
    return props, form, text


def _line(ident: str, schema: str, props: dict[str, Any]) -> str:
    return json.dumps({"id": ident, "schema": schema, "properties": props},
                      ensure_ascii=False) + "\n"
