"""Generate the cross-script name-pair test set (seeded, reproducible).

Reads the hand-written name parts in ``crossscript_names.yaml`` (Kurdish/Sorani, Iraqi
Arabic, Pashto and Dari names, each with Latin spellings and its own Arabic-script
spelling) and writes ``crossscript_pairs.csv`` with the columns of the nomenklatura name
benchmark (``case_group,schema,name1,name2,is_match,quality,category,notes``) where
``case_group`` is the kind of pair and ``category`` the language.

Per language it draws 80 positive and 80 negative pairs:

positives
  ``script``            Latin (usual spelling) vs Arabic script
  ``script_variant``    Latin (a variant spelling) vs Arabic script
  ``latin_variant``     two Latin spellings
  ``reorder``           ``FAMILY, Given`` or ``Family Given`` vs Arabic script
  ``drop_father``       father's name on one side only
  ``honorific``         a title (Kak, Haji, Mullah, Dr) on one side only
  ``marker``            ``Given kuri/bin/zoy/walad Father`` vs ``Given Father``
  ``alias``             ``Given Family aka Abu/Bawki X`` vs the kunya alone, Arabic script
negatives (hard)
  ``father_son``        ``X bin Y Family`` vs ``Y bin X Family``
  ``sibling``           same father and family, another given name
  ``common_given``      Mohammed/Ahmad/Ali/Hassan/Omar with two different family names
  ``confusable``        a different real name one letter or one consonant away
                        (Hassan/Hussein, Rebwar/Rebaz, Naqibullah/Najibullah)
  ``diff_father``       same given and family name, different father
  ``different``         two unrelated people of the same language

    .venv/bin/python benchmarks/data/make_crossscript.py            # writes the CSV
    .venv/bin/python benchmarks/data/make_crossscript.py --seed 7   # another draw

Nothing here calls Pinchpoint: the generator must not share code with the matcher.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
NAMES = HERE / "crossscript_names.yaml"
OUTPUT = HERE / "crossscript_pairs.csv"
SEED = 20240917
LANGUAGES = ("kurdish", "arabic", "pashto", "dari")
POSITIVES = {"script": 16, "script_variant": 16, "latin_variant": 12, "reorder": 8,
             "drop_father": 8, "honorific": 8, "marker": 6, "alias": 6}
NEGATIVES = {"father_son": 16, "sibling": 14, "common_given": 12, "confusable": 16,
             "diff_father": 14, "different": 8}
HEADER = ["case_group", "schema", "name1", "name2", "is_match", "quality", "category",
          "notes"]

Entry = dict[str, Any]


class Person:
    """One identity: given name, father's name and family name entries."""

    def __init__(self, given: Entry, father: Entry, family: Entry) -> None:
        self.given, self.father, self.family = given, father, family


class Renderer:
    """Writes a person in Latin or Arabic script, with the options a pair type asks for."""

    def __init__(self, lang: dict[str, Any], rng: random.Random) -> None:
        self.lang, self.rng = lang, rng

    def latin(self, entry: Entry, variant: bool) -> str:
        spellings = entry["latin"]
        if isinstance(spellings, str):
            return spellings
        if variant and len(spellings) > 1:
            return str(self.rng.choice(spellings[1:]))
        return str(spellings[0])

    def arabic(self, entry: Entry) -> str:
        spellings = entry["arabic"]
        return spellings if isinstance(spellings, str) else str(self.rng.choice(spellings))

    def render(self, person: Person, script: str, *, variant: bool = False,
               father: bool = True, marker: bool = False, order: str = "normal",
               honorific: Entry | None = None) -> str:
        if script == "latin":
            given = self.latin(person.given, variant)
            dad = self.latin(person.father, variant)
            family = self.latin(person.family, variant)
            mark = self.rng.choice(self.lang["marker"]["latin"])
            title = honorific["latin"] if honorific else ""
        else:
            given, dad = self.arabic(person.given), self.arabic(person.father)
            family = self.arabic(person.family)
            mark = self.lang["marker"]["arabic"]
            title = honorific["arabic"] if honorific else ""
        middle = [mark, dad] if (father and marker) else [dad] if father else []
        if order == "comma":
            words = [f"{family.upper()},", given, *middle]
        elif order == "family_first":
            words = [family, given, *middle]
        else:
            words = [given, *middle, family]
        if title:
            words.insert(0, title)
        text = " ".join(words)
        if script == "latin" and order == "normal" and self.rng.random() < 0.2:
            text = text.upper()
        return text


def _draw(lang: dict[str, Any], rng: random.Random, male: bool = False) -> Person:
    givens = [g for g in lang["given"] if not (male and g.get("female"))]
    return Person(rng.choice(givens), rng.choice(lang["fathers"]), rng.choice(lang["family"]))


def _other(items: list[Entry], not_this: Entry, rng: random.Random) -> Entry:
    return rng.choice([i for i in items if i is not not_this])


def positive(kind: str, lang: dict[str, Any], r: Renderer, rng: random.Random
             ) -> tuple[str, str, str]:
    p = _draw(lang, rng)
    with_father = rng.random() < 0.5
    if kind == "script":
        return r.render(p, "latin", father=with_father), r.render(p, "arabic",
                                                                  father=with_father), ""
    if kind == "script_variant":
        return (r.render(p, "latin", variant=True, father=with_father),
                r.render(p, "arabic", father=with_father), "")
    if kind == "latin_variant":
        return (r.render(p, "latin", father=with_father),
                r.render(p, "latin", variant=True, father=with_father), "")
    if kind == "reorder":
        order = rng.choice(["comma", "family_first"])
        return (r.render(p, "latin", order=order, father=with_father),
                r.render(p, "arabic", father=with_father), order)
    if kind == "drop_father":
        left, right = r.render(p, "latin", father=True), r.render(p, "arabic", father=False)
        return (left, right, "") if rng.random() < 0.5 else (
            r.render(p, "latin", father=False), r.render(p, "arabic", father=True), "")
    if kind == "honorific":
        title = rng.choice(lang["honorifics"])
        if rng.random() < 0.5:
            return r.render(p, "latin", honorific=title), r.render(p, "arabic"), title["latin"]
        return r.render(p, "latin"), r.render(p, "arabic", honorific=title), title["latin"]
    if kind == "marker":
        return (r.render(p, "latin", marker=True), r.render(p, "arabic", marker=False), "")
    if kind == "alias":
        child = _other(lang["given"], p.given, rng)
        kunya = lang["kunya"]
        latin = (f"{r.render(p, 'latin', father=False)} aka "
                 f"{kunya['latin']} {r.latin(child, False)}")
        return latin, f"{kunya['arabic']} {r.arabic(child)}", "kunya alias"
    raise ValueError(kind)


def negative(kind: str, lang: dict[str, Any], r: Renderer, rng: random.Random,
             common: list[Entry]) -> tuple[str, str, str]:
    p = _draw(lang, rng, male=True)
    script2 = "arabic" if rng.random() < 0.6 else "latin"
    if kind == "father_son":
        son_of = Person(p.given, p.father, p.family)
        father_of = Person(p.father, p.given, p.family)
        return (r.render(son_of, "latin", marker=True),
                r.render(father_of, script2, marker=True, variant=script2 == "latin"), "")
    if kind == "sibling":
        sib = Person(_other(lang["given"], p.given, rng), p.father, p.family)
        return r.render(p, "latin"), r.render(sib, script2), ""
    if kind == "common_given":
        name = rng.choice(common)
        a = Person(name, p.father, p.family)
        b = Person(name, p.father, _other(lang["family"], p.family, rng))
        return r.render(a, "latin", father=False), r.render(b, script2, father=False), ""
    if kind == "confusable":
        one, two = rng.choice(lang["confusable"])
        a = Person(one, p.father, p.family)
        b = Person(two, p.father, p.family)
        with_father = rng.random() < 0.5
        return (r.render(a, "latin", father=with_father),
                r.render(b, script2, father=with_father),
                f"{one['latin']} vs {two['latin']}")
    if kind == "diff_father":
        b = Person(p.given, _other(lang["fathers"], p.father, rng), p.family)
        return r.render(p, "latin"), r.render(b, script2), ""
    if kind == "different":
        q = _draw(lang, rng)
        while q.given is p.given or q.family is p.family:
            q = _draw(lang, rng)
        return r.render(p, "latin"), r.render(q, script2), ""
    raise ValueError(kind)


def generate(seed: int = SEED) -> list[dict[str, str]]:
    """All rows, in a fixed order for a given seed."""
    data = yaml.safe_load(NAMES.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for language in LANGUAGES:
        lang = data[language]
        renderer = Renderer(lang, rng)
        plan = [(k, n, True) for k, n in POSITIVES.items()]
        plan += [(k, n, False) for k, n in NEGATIVES.items()]
        for kind, count, is_match in plan:
            made = 0
            while made < count:
                if is_match:
                    name1, name2, note = positive(kind, lang, renderer, rng)
                else:
                    name1, name2, note = negative(kind, lang, renderer, rng,
                                                  data["common_given"])
                if (name1, name2) in seen or name1 == name2:
                    continue
                seen.add((name1, name2))
                rows.append({"case_group": kind, "schema": "Person", "name1": name1,
                             "name2": name2, "is_match": "true" if is_match else "false",
                             "quality": "MEDIUM", "category": language, "notes": note})
                made += 1
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    rows = generate(args.seed)
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    positives = sum(r["is_match"] == "true" for r in rows)
    print(f"wrote {len(rows)} pairs ({positives} positive) to {args.output}")


if __name__ == "__main__":
    main()
