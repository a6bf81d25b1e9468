"""The `ufdr` kind: a Cellebrite UFED report (a ``.ufdr`` archive or a bare report.xml).

The layout followed is the UFED Physical Analyzer report.xml, namespace
``http://pa.cellebrite.com/report/2.0`` (every release from UFED 4 to PA 7.x writes it):
``<project>`` holding ``<caseInformation>``, ``<metadata section="Device Info">`` and
``section="Extraction Data"`` items, and ``<decodedData>`` with one ``<modelType>`` per
kind of record, each ``<model type=... id=...>`` made of ``<field>``, ``<multiField>``,
``<modelField>`` and ``<multiModelField>`` elements (nested models: a Contact's
``Entries``, a Call's ``Parties``, a Chat's ``Messages`` of ``InstantMessage``). Cellebrite
does not publish a schema; the layout is as the open-source readers document it:
UFEDLib (C#, github.com/SEilers/UFEDLib, MIT) and Aleph's ``ingestors`` Cellebrite
support. ``ufedlib-py`` (MIT, a port of UFEDLib) was checked and not used: one release, it
logs and skips a model it cannot parse (we quarantine it), keeps no line numbers, has
no SMS model and reads the XML with no defence against entity expansion.

This module only converts: each model becomes an item of the JSON `phone` layout
(contacts, calls, messages, accounts, device, extraction), and :func:`phone_source`
maps it through the same built-in mapping, so records are ``/calls/N`` etc. as for
`phone`. A model that converts to nothing usable is quarantined with its report.xml
line and model id; fields, metadata and model types not read are named in notes.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.phone import phone_source
from pinchpoint.ingest.records import RawRecord
from pinchpoint.ingest.source import IngestOptions, Source
from pinchpoint.ingest.ufdr_meta import Metadata
from pinchpoint.ingest.ufdr_xml import Node, ReportParser, raw_json

MESSAGE_APPS = {"SMS": "SMS", "MMS": "MMS"}
READ = ("Contact", "Call", "SMS", "MMS", "Chat", "InstantMessage", "UserAccount")
SENT = frozenset({"sent", "outbox", "outgoing"})
RECEIVED = frozenset({"inbox", "incoming", "received"})
JID = re.compile(r"^\+?(\d{6,15})@s\.whatsapp\.net$")
TIMESPAN = re.compile(r"^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?$")


class Model:
    """A model's parts by name, remembering which ones the conversion read."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.parts: dict[str, Node] = {c.attrs["name"]: c for c in node.children
                                       if "name" in c.attrs}
        self.used: set[str] = set()

    @property
    def type(self) -> str:
        return self.node.attrs.get("type", "")

    def get(self, name: str) -> str | None:
        self.used.add(name)
        part = self.parts.get(name)
        return part.value() if part is not None and part.tag == "field" else None

    def values(self, name: str) -> list[str]:
        self.used.add(name)
        part = self.parts.get(name)
        return [c.text for c in part.children if c.text] if part is not None else []

    def models(self, name: str) -> list[Model]:
        self.used.add(name)
        part = self.parts.get(name)
        return [Model(c) for c in part.children if c.tag == "model"] if part else []

    def unread(self) -> set[str]:
        """Parts with something in them that no conversion looked at."""
        return {f"{self.type}.{n}" for n, p in self.parts.items()
                if n not in self.used and _filled(p)}


def _filled(part: Node) -> bool:
    """Whether a field holds a value, or a multi-field or model field holds anything."""
    if part.tag == "field":
        return part.value() is not None
    return any(c.tag == "model" or c.text for c in part.children)


@dataclass
class Party:
    """One end of a call or message, as UFED's Party model gives it."""

    who: str | None  # the identifier (a number as +E.164 where it is one), else the name
    owner: bool
    role: str

    @classmethod
    def of(cls, model: Model) -> Party:
        ident = model.get("Identifier")
        jid = JID.match(ident or "")
        owner = (model.get("IsPhoneOwner") or "").lower() == "true"
        # The Name only when there is no identifier: else it is named as a field not read.
        who = f"+{jid.group(1)}" if jid else ident or model.get("Name")
        return cls(who, owner, (model.get("Role") or "").lower())


def _seconds(value: str | None) -> str | None:
    """A UFED duration ("00:01:05", TimeSpan) as seconds; anything else as written."""
    match = TIMESPAN.match(value or "")
    if not match:
        return value
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return str(((days * 24 + hours) * 60 + minutes) * 60 + seconds)


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v not in (None, "", [])}


@dataclass
class Report:
    """What the models of one report convert to, in the JSON `phone` layout's shape."""

    member: str
    meta: Metadata = field(default_factory=Metadata)
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {
        "contacts": [], "calls": [], "messages": [], "accounts": []})
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[RawRecord] = field(default_factory=list)
    unread: set[str] = field(default_factory=set)
    crowded_calls: int = 0

    def take(self, node: Node) -> None:
        if node.tag != "model":
            self.meta.take(node)
        elif node.too_deep:
            self._problem(Model(node), "its models nest too deeply to be a real report's")
        else:
            model = Model(node)
            getattr(self, f"_{model.type.lower()}")(model)
            self.unread |= model.unread()

    def _add(self, section: str, item: dict[str, Any], model: Model) -> None:
        items = self.sections[section]
        self.lines[f"/{section}/{len(items)}"] = model.node.line
        items.append(_compact(item))

    def _problem(self, model: Model, why: str) -> None:
        ident = model.node.attrs.get("id") or "(no id)"
        self.problems.append(RawRecord(
            {}, line=model.node.line, locator=f"/{self.member}/{model.type}/{ident}",
            problem=f"UFED {model.type or 'model'} {ident} at {self.member} line "
                    f"{model.node.line}: {why}", raw=raw_json(model.node)))

    def _contact(self, model: Model) -> None:
        phones, emails, notes = [], [], []
        for entry in model.models("Entries"):
            value, kind = entry.get("Value"), entry.type
            domain = entry.get("Domain") or entry.get("Category")
            jid = JID.match(value or "")
            if value and kind == "PhoneNumber":
                phones.append(value)
            elif value and kind.lower() == "emailaddress":
                emails.append(value)
            elif value:
                phones += [f"+{jid.group(1)}"] if jid else []
                notes.append(" ".join(p for p in (domain, kind, value) if p))
            self.unread |= entry.unread()
        name, source = model.get("Name"), model.get("Source")
        if not name and not phones:
            return self._problem(model, "a contact needs a name or a phone number")
        notes = [f"{source} contact" if source else "", model.get("Group") or "",
                 *model.values("Notes"), *notes]
        self._add("contacts", {"id": model.node.attrs.get("id"), "name": name,
                               "phones": phones, "emails": emails,
                               "note": "; ".join(n for n in notes if n)}, model)

    def _parties(self, models: list[Model]) -> list[Party]:
        parties = [Party.of(p) for p in models]
        for party in models:
            self.unread |= party.unread()
        return parties

    def _call(self, model: Model) -> None:
        parties = self._parties(model.models("Parties"))
        others = [p for p in parties if not p.owner]
        stamp, direction = model.get("TimeStamp"), model.get("Direction") or model.get("Type")
        if not stamp and not others:
            return self._problem(model, "a call needs a time or another party")
        self.crowded_calls += len(others) > 1
        self._add("calls", {"timestamp": stamp, "direction": direction,
                            "number": others[0].who if others else None,
                            "duration_seconds": _seconds(model.get("Duration")),
                            "app": model.get("Source")}, model)

    def _sms(self, model: Model) -> None:
        self._message(model, MESSAGE_APPS.get(model.type, model.get("Source")))

    _mms = _sms

    def _instantmessage(self, model: Model) -> None:
        self._message(model, model.get("Source"))

    def _message(self, model: Model, app: str | None, chat: str | None = None,
                 members: tuple[Party, ...] = ()) -> None:
        parties = self._parties(model.models("Parties"))
        sender = next(iter(self._parties(model.models("From"))), None) or next(
            (p for p in parties if p.role == "from"), None)
        to = self._parties(model.models("To")) or [
            p for p in parties if p.role in ("to", "cc", "bcc")]
        if not to:  # a chat's message goes to everyone in it but its sender
            to = [p for p in members if sender is None or p.who != sender.who]
        item = {"id": model.node.attrs.get("id"), "timestamp": model.get("TimeStamp"),
                "app": app, "direction": _direction(sender, model.get("Folder")),
                "from": None if sender is None or sender.owner else sender.who,
                "to": [p.who for p in to if not p.owner and p.who], "text": model.get("Body"),
                "chat": chat}
        if not any(item[k] for k in ("timestamp", "from", "to", "text")):
            return self._problem(model, "a message needs a time, a party or a text")
        self._add("messages", item, model)

    def _chat(self, model: Model) -> None:
        messages = model.models("Messages")
        members = tuple(self._parties(model.models("Participants")))
        name, app = model.get("Name") or model.get("Description"), model.get("Source")
        if not messages:
            return self._problem(model, "a chat with no InstantMessage in it")
        for message in messages:
            self._message(message, message.get("Source") or app, name, members)
            self.unread |= message.unread()

    def _useraccount(self, model: Model) -> None:
        found: dict[str, str] = {}
        for entry in model.models("Entries"):
            kind = {"phonenumber": "phone", "emailaddress": "email", "userid": "user_id"}.get(
                entry.type.lower())
            value = entry.get("Value")
            if kind and value:
                found.setdefault(kind, value)
            self.unread |= entry.unread()
        item = {"app": model.get("ServiceType") or model.get("Source"),
                "username": model.get("Username"), "display_name": model.get("Name"), **found}
        if not any(item.get(k) for k in ("username", "user_id", "display_name", "email",
                                         "phone")):
            return self._problem(model, "an account needs a user name, id, name, email or phone")
        self._add("accounts", item, model)

    def notes(self, skipped: Counter[str]) -> list[str]:
        notes = self.meta.notes()
        if skipped:
            listed = ", ".join(f"{t} ({n})" for t, n in sorted(skipped.items()))
            notes.append(f"models not read (this kind reads {', '.join(READ)}): {listed}")
        if self.unread:
            notes.append(f"UFED fields not read: {', '.join(sorted(self.unread))}")
        if self.crowded_calls:
            notes.append(f"{self.crowded_calls} call(s) with several other parties: only the "
                         "first is linked")
        return notes


def _direction(sender: Party | None, folder: str | None) -> str | None:
    """Outgoing when the handset's owner sent it, incoming when someone else did."""
    box = (folder or "").lower()
    if (sender is not None and sender.owner) or box in SENT:
        return "outgoing"
    if sender is not None or box in RECEIVED:
        return "incoming"
    return None


@contextmanager
def _report_xml(path: Path) -> Iterator[tuple[IO[bytes], str]]:
    """The report.xml stream: the archive's (shallowest) report.xml, or the file."""
    try:
        if not zipfile.is_zipfile(path):
            with open(path, "rb") as stream:
                yield stream, path.name
            return
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == "report.xml"]
            if not names:
                raise IngestError(f"{path} is a ZIP archive with no report.xml in it: not a "
                                  "UFDR report (see docs/formats.md)")
            member = min(names, key=lambda n: (n.count("/"), n))
            with archive.open(member) as stream:
                yield stream, member
    except (OSError, zipfile.BadZipFile) as exc:
        raise IngestError(f"cannot read {path}: {exc}") from None


def open_ufdr(path: Path, options: IngestOptions, namespace: str, file_label: str) -> Source:
    """The `ufdr` kind: read the report once, convert, map as the `phone` kind does."""
    with _report_xml(path) as (stream, member):
        report = Report(member)
        parser = ReportParser(member, lambda kind: kind in READ, report.take)
        parser.read(stream)
    data: dict[str, Any] = {**report.meta.layout(parser.project or {}), **report.sections}
    problems = [*parser.problems, *report.problems]
    if not problems and "device" not in data and not any(report.sections.values()):
        raise IngestError(f"{path} holds no device information and none of the models this "
                          f"kind reads ({', '.join(READ)})")
    lines = {**report.lines, **report.meta.lines()}
    return phone_source(data, path, options, namespace, file_label,
                        notes=report.notes(parser.skipped), problems=problems, lines=lines)
