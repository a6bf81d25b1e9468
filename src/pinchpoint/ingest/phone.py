"""Phone-extraction exports: what UFED or XRY produce, simplified to one JSON document.

The reader only flattens. Each item of each section becomes one flat record with the
handset's identifiers copied in, and the direction of a call or message is turned into
who sits at each end (a *party key*: the handset's user, a contact, or a bare number).
What entities come out is the built-in mapping ``mappings/phone.yaml``, one mapping per
section, applied by the shared :class:`MappingEngine`. Other phone layouts (`ufdr`,
`vcard`) convert their files to this JSON shape and map it through :func:`phone_source`.

An extraction is evidence, so nothing in it is dropped silently: a file that cannot be
read at all raises :class:`IngestError`; anything smaller (a section that is not a list,
an item that is not an object, a call with no direction) becomes a problem record that
the run quarantines as a rejected row, and fields no mapping reads are named in a note.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Mapping as Lookup
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney.exc import InvalidData

from pinchpoint.ingest.clean import dialled, text_of
from pinchpoint.ingest.engine import MappingEngine
from pinchpoint.ingest.errors import IngestError, read_utf8
from pinchpoint.ingest.jsontext import DEEP_REASON, holds_too_deep, loads_marking
from pinchpoint.ingest.mapping import Mapping, builtin_mapping, parse_mapping
from pinchpoint.ingest.records import RawRecord
from pinchpoint.ingest.source import Emitter, IngestOptions, Source
from pinchpoint.ingest.tabular import ByteCounter

SECTIONS = ("contacts", "calls", "messages", "accounts")
OUTGOING = frozenset({"outgoing", "out", "outbound", "sent", "dialled", "dialed"})
INCOMING = frozenset({"incoming", "in", "inbound", "received", "missed", "rejected"})
# Item fields the reader turns into party columns itself, so no mapping names them.
READ_HERE = {"contacts": {"id"}, "calls": {"number", "direction"},
             "messages": {"from", "to", "direction"}, "accounts": set()}
Party = tuple[str | None, Any]  # (party key, phone to record on a bare-number party)


def _text(value: Any) -> str | None:
    """A scalar as stripped text; None for nothing, booleans, lists and objects."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return text_of(value).strip() or None


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)[:2000]


def _problem(locator: str, reason: str, raw: Any) -> RawRecord:
    return RawRecord({}, locator=locator, problem=reason, raw=_json(raw))


def _lookup(value: Any, region: str | None) -> str | None:
    """A number as E.164 where FtM can clean it, else its digits: what matching uses."""
    text = _text(value)
    if text is None:
        return None
    try:
        cleaned = dialled(text, region)
    except InvalidData:
        cleaned = None
    if cleaned:
        return str(cleaned)
    digits = "".join(c for c in text if c.isdigit())
    return ("+" if text.startswith("+") else "") + digits if digits else None


def _contact_key(item: dict[str, Any]) -> str | None:
    ident = _text(item.get("id"))
    if ident:
        return f"contact:{ident}"
    parts = [p for p in (_text(v) for v in [item.get("name"), *_listed(item.get("phones"))]) if p]
    return "contact:" + "|".join(parts) if parts else None


@dataclass
class _Phone:
    """What every record of one extraction shares: the handset and who is on it."""

    region: str | None
    context: dict[str, str | None]  # device fields copied into every section record
    own: set[str] = field(default_factory=set)  # the handset's own numbers, as _lookup gives
    contacts: dict[str, str] = field(default_factory=dict)  # number -> contact key

    @classmethod
    def read(cls, data: dict[str, Any], region: str | None) -> _Phone:
        device = _object(data.get("device"))
        owner = _object(device.get("owner"))
        numbers = [n for n in (_text(v) for v in _listed(device.get("phone_numbers"))) if n]
        imei, imsi = _text(device.get("imei")), _text(device.get("imsi"))
        number = numbers[0] if numbers else None
        ident = imei or imsi or number
        phone = cls(region, {
            "device_imei": imei, "device_imsi": imsi, "device_number": number,
            "owner_name": _text(owner.get("name")),
            "user_key": f"user:{ident}" if ident else None,
        })
        phone.own = {n for n in (_lookup(v, region) for v in numbers) if n}
        contacts = data.get("contacts")
        for item in contacts if isinstance(contacts, list) else []:
            key = _contact_key(_object(item))
            for value in _listed(_object(item).get("phones")):
                number_key = _lookup(value, region)
                if key and number_key:
                    phone.contacts.setdefault(number_key, key)
        return phone

    @property
    def user(self) -> Party:
        return self.context["user_key"], None

    def party(self, raw: Any) -> Party:
        """Who a number in the file is: the user, a contact, or a bare number."""
        number = _lookup(raw, self.region)
        if number is not None and number in self.own:
            return self.user
        if number is not None and number in self.contacts:
            return self.contacts[number], None
        return (f"number:{number}" if number else None), raw

    def device(self, device: Any, extraction: Any) -> Iterator[RawRecord]:
        if not isinstance(device, dict):
            # The extraction details ride along in the quarantine: nothing else reads them.
            raw = {"device": device, "extraction": extraction}
            yield _problem("/device", "no device section (a JSON object): the handset and "
                           "its user are unknown, calls and messages stay unlinked", raw)
            return
        values = {f"device_{k}": v for k, v in device.items() if k != "owner"}
        for name, part in (("owner", device.get("owner")), ("extraction", extraction)):
            if isinstance(part, dict):
                values.update({f"{name}_{k}": v for k, v in part.items()})
            elif part is not None:
                where = "/device/owner" if name == "owner" else "/extraction"
                yield _problem(where, f"{where} must be a JSON object", part)
        values["device_number"] = self.context["device_number"]
        values["user_key"] = self.context["user_key"]
        yield RawRecord(values, locator="/device", section="device")

    def contact(self, item: dict[str, Any], locator: str) -> Iterator[RawRecord]:
        key = _contact_key(item)
        if key is None:
            yield _problem(locator, "a contact needs an id, a name or a phone number", item)
            return
        yield RawRecord({**item, **self.context, "contact_key": key}, locator=locator,
                        section="contacts")

    def _direction(self, item: dict[str, Any]) -> str | None:
        direction = _text(item.get("direction"))
        key = direction.lower() if direction else None
        return "out" if key in OUTGOING else "in" if key in INCOMING else None

    def call(self, item: dict[str, Any], locator: str) -> Iterator[RawRecord]:
        direction = self._direction(item)
        if direction is None:
            yield _problem(locator, "a call's direction must be incoming, outgoing or missed",
                           item)
            return
        other = (*self.party(item.get("number")), item.get("number"))
        user = (*self.user, self.context["device_number"])
        ends = {"caller": user, "receiver": other} if direction == "out" else {
            "caller": other, "receiver": user}
        values = {**item, **self.context}
        for role, (key, phone, number) in ends.items():
            values.update({f"{role}_key": key, f"{role}_phone": phone, f"{role}_number": number})
        yield RawRecord(values, locator=locator, section="calls")

    def message(self, item: dict[str, Any], locator: str) -> Iterator[RawRecord]:
        direction = self._direction(item)
        if direction is None:
            yield _problem(locator, "a message's direction must be incoming or outgoing", item)
            return
        to = item.get("to")
        listed = [(f"/to/{i}" if isinstance(to, list) else "/to", v)
                  for i, v in enumerate(_listed(to))]
        sent_from = item.get("from")
        if direction == "out":  # from the handset: its user, unless the file names a number
            sender = self.user if sent_from in (None, "") else self.party(sent_from)
            targets: list[tuple[str, Party]] = []
        else:
            sender, targets = self.party(sent_from), [("", self.user)]
        targets += [(where, self.party(v)) for where, v in listed]
        recipients = _distinct(targets)
        base = {**item, **self.context, "sender_key": sender[0], "sender_phone": sender[1]}
        first = recipients[0][1] if recipients else (None, None)
        yield RawRecord({**base, "recipient_key": first[0], "recipient_phone": first[1]},
                        locator=locator, section="messages")
        for where, (key, phone) in recipients[1:]:
            yield RawRecord({**base, "recipient_key": key, "recipient_phone": phone},
                            locator=locator + where, section="message_recipients")

    def account(self, item: dict[str, Any], locator: str) -> Iterator[RawRecord]:
        yield RawRecord({**item, **self.context}, locator=locator, section="accounts")


def _distinct(targets: list[tuple[str, Party]]) -> list[tuple[str, Party]]:
    """Recipients once each; ones with neither key nor number are nobody."""
    seen: set[str] = set()
    out = []
    for where, (key, phone) in targets:
        if key is None and phone is None:
            continue
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append((where, (key, phone)))
    return out


Builder = Callable[[dict[str, Any], str], Iterator[RawRecord]]


def _walk(data: dict[str, Any], name: str, build: Builder) -> Iterator[RawRecord]:
    value = data.get(name)
    if value is None:
        return
    if not isinstance(value, list):
        yield _problem(f"/{name}", f"the {name} section must be a JSON list", value)
        return
    for index, item in enumerate(value):
        locator = f"/{name}/{index}"
        if holds_too_deep(item):
            yield _problem(locator, f"an item of {name} is {DEEP_REASON}", item)
        elif isinstance(item, dict):
            yield from build(item, locator)
        else:
            yield _problem(locator, f"an item of {name} must be a JSON object", item)


def _records(data: dict[str, Any], phone: _Phone, *, device: bool = True) -> Iterator[RawRecord]:
    """Every record of the extraction; ``device=False`` for a layout that names no
    handset (a vCard export), where a missing device is no fault of the file."""
    if device or data.get("device") is not None:
        yield from phone.device(data.get("device"), data.get("extraction"))
    builders: dict[str, Builder] = {"contacts": phone.contact, "calls": phone.call,
                                    "messages": phone.message, "accounts": phone.account}
    for name in SECTIONS:
        yield from _walk(data, name, builders[name])


def _load(path: Path) -> dict[str, Any]:
    """The whole document, or IngestError when nothing in it can be read."""
    text = read_utf8(path, "a phone extraction is one JSON document")
    if not text.strip():
        raise IngestError(f"{path} is empty")
    try:
        data = loads_marking(text)  # an item nested too deeply is quarantined by _walk
    except ValueError as exc:
        raise IngestError(f"{path} is not valid JSON: {exc}") from None
    wanted = ("device", *SECTIONS)
    if not isinstance(data, dict) or not set(wanted) & data.keys():
        raise IngestError(f"{path} is not a phone extraction: expected one JSON object with "
                          f"some of {', '.join(wanted)} (see docs/formats.md)")
    return data


def phone_mappings() -> dict[str, Mapping]:
    """The built-in mapping of each section, validated like any user mapping."""
    return dict(_phone_mappings())


@functools.cache
def _phone_mappings() -> dict[str, Mapping]:
    """Validated once per process: every extraction of a run maps through the same
    frozen Mappings."""
    sections = builtin_mapping("phone")["sections"]
    return {name: parse_mapping(spec, origin=f"built-in phone layout, section {name}")
            for name, spec in sections.items()}


def _unmapped(data: dict[str, Any], mappings: dict[str, Mapping]) -> list[str]:
    """Fields no mapping reads, named so that nothing is lost without a word."""
    device = _object(data.get("device"))
    parts = {"device": device, "owner": device.get("owner"), "extraction": data.get("extraction")}
    found = [f"{name}.{k}" for name, part in parts.items() if isinstance(part, dict)
             for k in part if (name, k) != ("device", "owner")
             and f"{name}_{k}" not in mappings["device"].columns()]
    for name in SECTIONS:
        items = data.get(name)
        keys = {k for i in items if isinstance(i, dict) for k in i} if isinstance(
            items, list) else set()
        known = mappings[name].columns() | READ_HERE[name]
        found += [f"{name}.{k}" for k in sorted(keys - known)]
    return [f"fields not mapped: {', '.join(found)}"] if found else []


def _placed(records: Iterator[RawRecord], lines: Lookup[str, int]) -> Iterator[RawRecord]:
    """Each record with the line of the file its item came from (`/messages/3/to/1` takes
    `/messages/3`'s), so the quarantine points into the original report."""
    for rec in records:
        key = "/".join((rec.locator or "").split("/")[:3])
        line = lines.get(key)
        yield rec if line is None else dataclasses.replace(rec, line=line)


def phone_source(data: dict[str, Any], path: Path, options: IngestOptions, namespace: str,
                 file_label: str, *, notes: Sequence[str] = (),
                 problems: Sequence[RawRecord] = (), lines: Lookup[str, int] | None = None,
                 device: bool = True) -> Source:
    """An extraction in the JSON layout's shape, whichever reader made it, through the
    built-in mapping: every kind of phone report makes the same entities, and every
    record is `/contacts/N`, `/calls/N`, `/messages/N`, `/accounts/N` or `/device`.

    A reader converting another layout passes what it could not convert as
    ``problems`` (quarantined as rejected rows), its own ``notes``, and ``lines``:
    the line of its file each item came from (``{"/calls/0": 812}``).
    """
    mappings = phone_mappings()
    emitters: dict[str | None, Emitter] = {
        name: MappingEngine(mapping, file_label, namespace, options.phone_region)
        for name, mapping in mappings.items()}
    records = _records(data, _Phone.read(data, options.phone_region), device=device)
    size = path.stat().st_size
    counter = ByteCounter()
    counter.done = size
    return Source(records=itertools.chain(problems, _placed(records, lines or {})),
                  emitters=emitters, notes=[*_unmapped(data, mappings), *notes],
                  progress_total=size, counter=counter)


def open_phone(path: Path, options: IngestOptions, namespace: str, file_label: str) -> Source:
    """The `phone` kind: one extraction export, read whole (exports fit in memory)."""
    return phone_source(_load(path), path, options, namespace, file_label)
