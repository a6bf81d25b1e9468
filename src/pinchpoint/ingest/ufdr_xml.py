"""Reading a Cellebrite report.xml safely and in bounded memory, model by model.

A report can be hundreds of megabytes, most of it file listings no phone kind reads,
so the reader streams it through expat and builds a small tree only for what is asked
for: each ``<metadata>`` section, ``<caseInformation>`` and each top-level ``<model>``
of a wanted type (with the models nested in it). Every node keeps the line it starts
on, so a quarantined item points back into the report.

A report is evidence from a suspect's device, so it is read as hostile XML. Entity
declarations are never expanded in content (expat's default handler is set, which turns
expansion off; a reference is kept as written) and each declaration is quarantined;
expat's amplification limit stops an expansion in an attribute; no external entity
or DTD is ever fetched. XML that breaks off keeps every model read before the break,
and the break itself is quarantined with its line.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.records import RawRecord

NAMESPACE = "http://pa.cellebrite.com/report/"  # then a version: 2.0 in every known release
MAX_DEPTH = 48  # nested models deeper than this are not a real report's
CHUNK = 1 << 16


@dataclass
class Node:
    """One element of a wanted part of the report: local name, attributes, line."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    too_deep: bool = False

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def value(self) -> str | None:
        """A field's value: its ``<value>`` child's text, or its own text."""
        for child in self.children:
            if child.tag == "value":
                return child.text or None
        return self.text or None

    def plain(self) -> Any:
        """The node as JSON-ready data, for a quarantine's raw value."""
        out: dict[str, Any] = {"tag": self.tag, **self.attrs}
        if self.text:
            out["text"] = self.text
        if self.children:
            out["children"] = [c.plain() for c in self.children]
        return out


def raw_json(node: Node) -> str:
    return json.dumps(node.plain(), ensure_ascii=False)[:4000]


Wanted = Callable[[str], bool]  # is a top-level model of this type read?


class ReportParser:
    """Feeds the report's bytes through expat and hands each finished part to `take`."""

    def __init__(self, member: str, wanted: Wanted, take: Callable[[Node], None]) -> None:
        self.member, self.wanted, self.take = member, wanted, take
        self.project: dict[str, str] | None = None
        self.skipped: Counter[str] = Counter()  # top-level model types not read
        self.problems: list[RawRecord] = []
        self._tags: list[str] = []
        self._build: list[Node] = []
        self._deep = 0
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.buffer_text = True
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._chars
        self._parser.DefaultHandler = self._default  # also: no entity is expanded in content
        self._parser.EntityDeclHandler = self._entity
        self._parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def read(self, stream: IO[bytes]) -> None:
        """Parse the whole stream; IngestError when it is not a report at all."""
        try:
            while chunk := stream.read(CHUNK):
                self._parser.Parse(chunk, False)
            self._parser.Parse(b"", True)
        except expat.ExpatError as exc:
            self._broken(f"{expat.ErrorString(exc.code)} (line {exc.lineno}, column "
                         f"{exc.offset})", exc.lineno)
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # a damaged member
            self._broken(f"the archive member cannot be read: {exc}", None)

    def _broken(self, why: str, line: int | None) -> None:
        if self.project is None:
            raise IngestError(f"{self.member} is not a Cellebrite UFED report: not well-formed "
                              f"XML ({why})") from None
        part = self._build[0] if self._build else None
        what = part and " ".join(filter(None, (part.attrs.get("type") or part.tag,
                                               part.attrs.get("id"))))
        cut = f"; the {what} starting at line {part.line} was cut off" if part else ""
        self.problems.append(RawRecord(
            {}, line=line, locator=f"/{self.member}",
            problem=f"{self.member} breaks off: {why}{cut}; nothing after it could be read",
            raw=raw_json(part) if part else None))

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        namespace, _, tag = name.rpartition(" ")
        parent = self._tags[-1] if self._tags else None
        self._tags.append(tag)
        line = self._parser.CurrentLineNumber
        if self.project is None:
            if tag != "project" or not namespace.startswith(NAMESPACE):
                raise IngestError(
                    f"{self.member} is not a Cellebrite UFED report: its root is <{tag}> in "
                    f"namespace {namespace or '(none)'!r}, expected <project "
                    f"xmlns=\"{NAMESPACE}2.0\"> (see docs/formats.md)")
            self.project = dict(attrs)
        elif self._build:
            self._nest(Node(tag, attrs, line))
        elif tag == "model" and parent == "modelType":
            if self.wanted(attrs.get("type", "")):
                self._build.append(Node(tag, attrs, line))
            else:
                self.skipped[attrs.get("type", "(no type)")] += 1
        elif tag in ("metadata", "caseInformation") and parent == "project":
            self._build.append(Node(tag, attrs, line))

    def _nest(self, node: Node) -> None:
        if self._deep or len(self._build) >= MAX_DEPTH:
            self._deep += 1
            self._build[0].too_deep = True
            return
        self._build[-1].children.append(node)
        self._build.append(node)

    def _end(self, name: str) -> None:
        self._tags.pop()
        if self._deep:
            self._deep -= 1
        elif self._build:
            node = self._build.pop()
            if not self._build:
                self.take(node)

    def _chars(self, data: str) -> None:
        if self._build and not self._deep:
            self._build[-1].parts.append(data)

    def _default(self, data: str) -> None:
        """An entity reference left unexpanded is kept as written."""
        if self._build and not self._deep and data.startswith("&") and data.endswith(";"):
            self._build[-1].parts.append(data)

    def _entity(self, name: str, is_parameter: int, value: str | None, base: str | None,
                system_id: str | None, public_id: str | None, notation: str | None) -> None:
        kind = "parameter entity" if is_parameter else "entity"
        target = value if value is not None else f"SYSTEM {system_id!r}"
        self.problems.append(RawRecord(
            {}, line=self._parser.CurrentLineNumber, locator=f"/{self.member}/!ENTITY {name}",
            problem=f"{self.member} declares the XML {kind} {name!r}: declarations are never "
                    "expanded (a defence against entity-expansion attacks); references to "
                    "it are kept as written",
            raw=target[:2000]))
