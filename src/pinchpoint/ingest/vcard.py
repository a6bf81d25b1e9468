"""The `vcard` kind: one phone's contact book exported as vCard (.vcf).

Handsets, SIM tools and forensic suites export contact books as vCard 2.1 (Android's
default, with QUOTED-PRINTABLE UTF-8 names), 3.0 or 4.0, many cards to a file. The file
is cut into cards at its BEGIN:VCARD / END:VCARD lines, so each card keeps the line it
starts on and a card that does not parse costs only itself; each card is parsed by
``vobject`` (folded lines, quoted-printable, escapes) and becomes one item of the JSON
`phone` layout's ``contacts``, mapped by :func:`phone_source` like any phone contact
(records ``/contacts/N``). A vCard names no handset, so there is no device record and
the contacts hang off no phone user: the source name is the book's only identity.

Quarantined, with the card's first line: a card vobject cannot parse, a card cut off
before END:VCARD, a card with neither a name nor a phone number, and text outside any
card. Properties no mapping reads (ADR, BDAY, PHOTO ...) are named in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import vobject

from pinchpoint.ingest.errors import IngestError, read_utf8
from pinchpoint.ingest.phone import phone_source
from pinchpoint.ingest.records import RawRecord
from pinchpoint.ingest.source import IngestOptions, Source

BEGIN = re.compile(r"^\s*BEGIN:VCARD\s*$", re.IGNORECASE)
END = re.compile(r"^\s*END:VCARD\s*$", re.IGNORECASE)
# Properties written into the contact's notes as "KEY: value": handles and labels.
NOTED = ("nickname", "org", "title", "url", "impp", "categories")
READ = frozenset({"version", "fn", "n", "tel", "email", "note", "uid", "prodid", *NOTED})
NO_HANDSET = ("a vCard names no handset: its contacts are linked to no phone user (ingest "
              "the handset's extraction as `phone` or `ufdr` for that)")


def _text(value: Any) -> str:
    """A vobject value (text, a list of parts, a Name) as one line of text."""
    if isinstance(value, list | tuple):
        return " ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, bytes):
        return f"({len(value)} bytes)"
    return str(value).strip()


def _name(card: Any) -> str | None:
    """FN, else N's parts in the order people write them."""
    for line in card.contents.get("fn", []):
        if _text(line.value):
            return _text(line.value)
    for line in card.contents.get("n", []):
        n = line.value
        parts = [getattr(n, p, "") for p in ("prefix", "given", "additional", "family", "suffix")]
        text = " ".join(t for t in (_text(p) for p in parts) if t)
        if text:
            return text
    return None


@dataclass
class Book:
    """The contacts read so far, the problems and the properties nobody reads."""

    contacts: list[dict[str, Any]] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[RawRecord] = field(default_factory=list)
    unread: set[str] = field(default_factory=set)

    def problem(self, line: int, why: str, raw: str) -> None:
        self.problems.append(RawRecord({}, line=line, problem=why, raw=raw[:2000]))

    def stray(self, lines: list[tuple[int, str]]) -> None:
        if lines:
            self.problem(lines[0][0], f"text outside any vCard at line {lines[0][0]}",
                         "\n".join(text for _, text in lines))

    def card(self, line: int, text: str) -> None:
        try:
            card = vobject.readOne(text, allowQP=True)
        except Exception as exc:  # vobject raises many kinds; each costs only this card
            self.problem(line, f"the vCard starting at line {line} does not parse: {exc}", text)
            return
        values = {key: [_text(c.value) for c in lines] for key, lines in card.contents.items()}
        name = _name(card)
        phones = [v.removeprefix("tel:") for v in values.get("tel", []) if v]  # 4.0: a URI
        if not name and not phones:
            self.problem(line, f"the vCard starting at line {line} has neither a name nor a "
                         "phone number", text)
            return
        extras = [f"{key.upper()}: {v}" for key in values
                  if key in NOTED or key.startswith("x-") for v in values[key] if v]
        self.unread |= {k.upper() for k in values if k not in READ and not k.startswith("x-")}
        self.lines[f"/contacts/{len(self.contacts)}"] = line
        self.contacts.append({k: v for k, v in {
            "id": next(iter(values.get("uid", [])), None), "name": name, "phones": phones,
            "emails": [v for v in values.get("email", []) if v],
            "note": "; ".join([*filter(None, values.get("note", [])), *extras])}.items() if v})


def _cards(text: str, book: Book) -> Iterator[tuple[int, str]]:
    """Each card's first line and text; stray text and unterminated cards to `book`."""
    start, lines = 0, list[str]()
    stray: list[tuple[int, str]] = []
    for number, line in enumerate((t.rstrip("\r") for t in text.split("\n")), 1):
        if BEGIN.match(line):
            book.stray(stray)
            if start:
                book.problem(start, f"the vCard starting at line {start} has no END:VCARD",
                             "\n".join(lines))
            start, lines, stray = number, [], []
        if not start:
            stray += [(number, line)] if line.strip() else []
            continue
        lines.append(line)
        if END.match(line):
            yield start, "\r\n".join(lines) + "\r\n"
            start = 0
    book.stray(stray)
    if start:
        book.problem(start, f"the vCard starting at line {start} has no END:VCARD",
                     "\n".join(lines))


def _load(path: Path) -> str:
    text = read_utf8(path, "export the contact book as UTF-8 vCard")
    if not any(BEGIN.match(line) for line in text.splitlines()):
        raise IngestError(f"{path} is not a vCard file: it has no BEGIN:VCARD line "
                          "(see docs/formats.md)")
    return text


def open_vcard(path: Path, options: IngestOptions, namespace: str, file_label: str) -> Source:
    """The `vcard` kind: every card a contact, through the built-in phone mapping."""
    book = Book()
    for line, text in _cards(_load(path), book):
        book.card(line, text)
    notes = [NO_HANDSET]
    if book.unread:
        notes.append(f"vCard properties not read: {', '.join(sorted(book.unread))}")
    return phone_source({"contacts": book.contacts}, path, options, namespace, file_label,
                        notes=notes, problems=book.problems, lines=book.lines, device=False)
