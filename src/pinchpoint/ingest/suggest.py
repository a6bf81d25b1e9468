"""Column suggestions and a starting mapping for a table nobody has written one for.

Writing a `table` mapping by hand means knowing FtM's schemata and guessing date
formats. Most tables hold a few recognisable kinds of value, which
`ingest/column_kinds.py` finds from each column's values; a column's name then chooses
between properties of one type (`dob` -> birthDate). Columns are grouped into parties
by their prefix (`caller_number`, `caller_name`) and a mapping document is proposed for
the analyst to edit; it names no column the file lacks and always passes `parse_mapping`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pinchpoint.ingest.clean import text_of
from pinchpoint.ingest.column_kinds import (
    AMOUNT_WORDS,
    DATE_FORMATS,
    DURATION_WORDS,
    KINDS,
    MIN_SHARE,
    ROLE_WORDS,
    SAMPLE,
    Found,
    checked_region,
    detect_all,
    name_says,
    name_tokens,
)
from pinchpoint.ingest.errors import IngestError
from pinchpoint.ingest.mapping import parse_mapping
from pinchpoint.ingest.mapping_yaml import mapping_yaml, printable
from pinchpoint.ingest.tabular import read_table

__all__ = ["DATE_FORMATS", "KINDS", "MIN_SHARE", "SAMPLE", "Suggestion", "mapping_yaml",
           "read_sample", "suggest_columns", "suggest_mapping", "suggestion_comment"]

_NOUNS = {"email": "e-mail addresses", "iban": "IBANs", "phone": "phone numbers",
          "date": "dates", "country": "countries", "name": "names", "number": "numbers"}
_BIRTH = {"dob", "birth", "born", "birthday", "birthdate"}
_NATIONALITY = {"nationality", "citizenship", "citizen"}
_ALIAS = {"alias", "aliases", "aka", "nickname", "nick"}
_FIRST = {"first", "given", "forename", "firstname", "forenames"}
_LAST = {"last", "surname", "family", "lastname"}
_CURRENCY = {"currency", "ccy"}
_ID = {"id", "ref", "reference"}
_FIRST_ROLES = {"caller", "calling", "sender", "payer", "from", "source", "originator",
                "remitter", "buyer"}
# Prefixes that name no party ("full_name", "date_of_birth", "phone_2").
_GENERIC = {"full", "first", "last", "given", "family", "middle", "date", "time", "call",
            "phone", "mobile", "tel", "email", "e", "id", "ref", "number", "no", "amount",
            "duration", "country", "birth", "place", "home", "work", "main", "other", "is",
            "has", "total", "start", "end", "national", "passport", "person", "name", "alias"}
_CALL_WORDS = {"call", "calls", "caller", "callee", "called", "calling", "dialled", "dialed",
               "duration"}
_MONEY_WORDS = {"amount", "currency", "paid", "payment", "payer", "payee", "beneficiary",
                "price", "fee", "transfer", "remitter", "sum"}


@dataclass(frozen=True)
class Suggestion:
    """What one column seems to hold, and the property it would map to."""

    column: str
    kind: str  # one of KINDS
    schema: str
    prop: str
    share: float  # of the sampled non-empty values, those that clean as `kind`
    format: str | None  # the date format the engine's `format` option takes, else None
    examples: tuple[str, ...]
    reason: str


# -- who the columns are about ------------------------------------------------------------------
def _person_prop(found: Found) -> str | None:
    """The Person property a column would fill, if any."""
    column, kind = found.column, found.kind
    if kind in ("phone", "email"):
        return kind
    if kind == "country":
        return "nationality" if name_says(column, _NATIONALITY) else "country"
    if kind == "date":
        return "birthDate" if name_says(column, _BIRTH) else None
    if kind == "name":
        for words, prop in ((_ALIAS, "alias"), (_FIRST, "firstName"), (_LAST, "lastName")):
            if name_says(column, words):
                return prop
        return "name"
    return None


@dataclass
class _Party:
    """Columns about one person: a prefix's columns, or the table's own."""

    entity: str
    columns: list[str]
    props: dict[str, list[Found]] = field(default_factory=dict)

    def first(self, prop: str) -> str | None:
        found = self.props.get(prop)
        return found[0].column if found else None

    def names(self) -> list[str]:
        return [f.column for p in ("name", "firstName", "lastName") for f in self.props.get(p, [])]


def _prefix(column: str) -> str | None:
    tokens = name_tokens(column)
    if not tokens or tokens[0] in _GENERIC:
        return None
    return tokens[0]


def _with_props(party: _Party, found: dict[str, Found]) -> _Party:
    for column in party.columns:
        if column in found:
            prop = _person_prop(found[column])
            if prop is not None:
                party.props.setdefault(prop, []).append(found[column])
    return party


def _parties(header: Sequence[str], found: dict[str, Found]) -> list[_Party]:
    """Groups of columns sharing a prefix ('caller_number', 'caller_name'), or a role's
    own column ('sender'), with a name or a phone number among them."""
    groups: dict[str, list[str]] = {}
    for column in header:
        prefix = _prefix(column) if column else None
        if prefix is not None:
            groups.setdefault(prefix, []).append(column)
    parties = []
    for prefix, columns in groups.items():
        if len(columns) < 2 and prefix not in ROLE_WORDS:
            continue
        party = _with_props(_Party(prefix, columns), found)
        if party.names() or party.first("phone"):
            parties.append(party)
    return sorted(parties, key=lambda p: p.entity not in _FIRST_ROLES)


def _main(header: Sequence[str], found: dict[str, Found], parties: list[_Party]
          ) -> _Party | None:
    """The person the rest of the columns describe, when they name one (or, in a table
    of no parties, give a phone number or e-mail address)."""
    taken = {c for p in parties for c in p.columns}
    main = _with_props(_Party("person", [c for c in header if c and c not in taken]), found)
    if main.names() or (not parties and (main.first("phone") or main.first("email"))):
        return main
    return None


def _id_column(header: Sequence[str], rows: Sequence[Mapping[str, Any]],
               columns: Sequence[str]) -> str | None:
    """A column named like an id whose sampled values are all given and all distinct."""
    for column in columns:
        tokens = name_tokens(column)
        if not tokens or tokens[-1] not in _ID:
            continue
        values = [text_of(r.get(column)).strip() if r.get(column) is not None else ""
                  for r in rows[:SAMPLE]]
        if values and all(values) and len(set(values)) == len(values):
            return column
    return None


# -- the plan both answers come from -----------------------------------------------------------
@dataclass
class _Plan:
    found: dict[str, Found]
    parties: list[_Party]
    main: _Party | None
    link: str | None  # Call, Payment or UnknownLink
    id_column: str | None
    region: str | None

    def loose(self) -> list[str]:
        """Columns of no person: what a link may use."""
        people = {c for p in self.people() for c in p.columns}
        return [c for c in self.found if c not in people] + [
            c for p in self.people() for c in p.columns
            if c in self.found and _person_prop(self.found[c]) is None]

    def people(self) -> list[_Party]:
        return [*([self.main] if self.main else []), *self.parties]


def _link(header: Sequence[str], parties: list[_Party], main: _Party | None,
          found: dict[str, Found]) -> str | None:
    sides = len(parties) + (1 if main else 0)
    if sides != 2:
        return None
    if len(parties) == 2:
        money = sum(name_says(c, _MONEY_WORDS) for c in header)
        calls = sum(name_says(c, _CALL_WORDS) for c in header)
        amounts = any(f.kind == "number" and name_says(c, AMOUNT_WORDS) for c, f in found.items())
        if money and amounts and money >= calls:
            return "Payment"
        if calls:
            return "Call"
    return "UnknownLink"


def _plan(header: Sequence[str], rows: Sequence[Mapping[str, Any]], region: str | None) -> _Plan:
    region = checked_region(region)
    found = detect_all(header, rows, region)
    parties = _parties(header, found)
    main = _main(header, found, parties)
    ids = main.columns if main else [c for c in header if c and c not in
                                     {x for p in parties for x in p.columns}]
    id_column = _id_column(header, rows, ids)
    return _Plan(found, parties, main, _link(header, parties, main, found), id_column, region)

# -- suggestions --------------------------------------------------------------------------------
def _target(plan: _Plan, found: Found) -> tuple[str, str] | None:
    """(schema, property) a column would map to."""
    person = _person_prop(found)
    if person is not None:
        return "Person", person
    if found.kind == "date":
        return plan.link or "Event", "date"
    if found.kind == "iban":
        return "BankAccount", "iban"
    if found.kind == "number":
        if name_says(found.column, DURATION_WORDS):
            return "Call", "duration"
        return "Payment", "amount"
    return None


def _reason(found: Found, prop: str, region: str | None) -> str:
    reason = f"{found.matched} of {found.seen} values are {_NOUNS[found.kind]}"
    if found.format:
        reason += f" in the format {found.format}"
    elif found.kind == "date":
        reason += " (ISO 8601)"
    if found.kind == "phone" and found.local and region:
        reason += f" (dialled in {region})"
    if found.split:
        reason += f", several to a cell separated by {found.split!r}"
    if prop not in (found.kind, "name") or found.kind == "number":
        reason += f"; the column's name says {prop}"
    return reason


def _suggestions(plan: _Plan) -> list[Suggestion]:
    out = []
    for column, found in plan.found.items():
        target = _target(plan, found)
        if target is None:
            continue
        schema, prop = target
        out.append(Suggestion(column=column, kind=found.kind, schema=schema, prop=prop,
                              share=round(found.matched / found.seen, 3), format=found.format,
                              examples=found.examples,
                              reason=_reason(found, prop, plan.region)))
    return out


def suggest_columns(header: Sequence[str], rows: Sequence[Mapping[str, Any]],
                    region: str | None = None) -> list[Suggestion]:
    """One suggestion per column whose values mostly clean as a kind, in header order.

    `region` is the country phone numbers without a `+` are dialled in (`--phone-region`).
    Raises IngestError for a region that is no country.
    """
    return _suggestions(_plan(header, rows, region))


# -- the mapping --------------------------------------------------------------------------------
def _spec(found: list[Found], region: str | None) -> dict[str, Any]:
    """A property's spec: one column, or several with the same options."""
    head = found[0]
    same = [f for f in found if (f.format, f.split, f.local) == (head.format, head.split,
                                                                 head.local)]
    spec: dict[str, Any] = ({"column": head.column} if len(same) == 1
                            else {"columns": [f.column for f in same]})
    if head.format:
        spec["format"] = head.format
    if head.split:
        spec["split"] = head.split
    if head.local and region:
        spec["region"] = region
    return spec


def _person(party: _Party, keys: list[str], region: str | None) -> dict[str, Any]:
    props = {prop: _spec(found, region) for prop, found in party.props.items()}
    first, last = party.first("firstName"), party.first("lastName")
    if "name" not in props and first and last:
        props = {"name": {"template": f"{{{first}}} {{{last}}}"}, **props}
    return {"schema": "Person", "keys": keys, "properties": props}


def _party_keys(party: _Party) -> list[str]:
    """A party's phone number, then its name(s)."""
    phone = party.first("phone")
    keys = ([phone] if phone else []) + party.names()
    return keys or [f.column for found in party.props.values() for f in found][:1]


def _main_keys(main: _Party, id_column: str | None) -> list[str]:
    if id_column:
        return [id_column]
    names = main.names()
    extra = main.first("birthDate") or main.first("phone") or main.first("email")
    keys = names + ([extra] if extra else [])
    return keys or [f.column for found in main.props.values() for f in found][:1]


def _loose_of(plan: _Plan, kind: str, words: set[str] | None = None) -> str | None:
    for column in plan.loose():
        found = plan.found[column]
        if found.kind == kind and (words is None or name_says(column, words)):
            return column
    return None


def _currency(header: Sequence[str], taken: set[str]) -> str | None:
    return next((c for c in header if c and c not in taken and name_says(c, _CURRENCY)), None)


def _link_entity(plan: _Plan, header: Sequence[str], keys: dict[str, list[str]]
                 ) -> dict[str, Any]:
    """The Call, Payment or UnknownLink between the two sides, keyed by what it uses."""
    sides = [p.entity for p in plan.people()][:2]
    roles = {"Call": ("caller", "receiver"), "Payment": ("payer", "beneficiary"),
             "UnknownLink": ("subject", "object")}[plan.link or "UnknownLink"]
    props: dict[str, Any] = {roles[0]: {"entity": sides[0]}, roles[1]: {"entity": sides[1]}}
    used = [k for side in sides for k in keys[side]]
    date = _loose_of(plan, "date")
    if plan.link == "Call":
        people = {p.entity: p for p in plan.people()}
        for side, prop in zip(sides, ("callerNumber", "receiverNumber"), strict=True):
            numbers = people[side].props.get("phone")
            if numbers:
                props[prop] = _spec(numbers, plan.region)
    if date:
        props["date"] = _spec([plan.found[date]], plan.region)
        used.append(date)
    used += _link_values(plan, header, props)
    if plan.id_column and plan.main is None:
        used.insert(0, plan.id_column)
    return {"schema": plan.link, "keys": list(dict.fromkeys(used)), "properties": props}


def _link_values(plan: _Plan, header: Sequence[str], props: dict[str, Any]) -> list[str]:
    """A call's duration, a payment's amount and currency: the columns it took."""
    used = []
    if plan.link == "Call":
        duration = _loose_of(plan, "number", DURATION_WORDS)
        if duration:
            props["duration"] = {"column": duration}
            used.append(duration)
    if plan.link == "Payment":
        amount = _loose_of(plan, "number", AMOUNT_WORDS)
        if amount:
            props["amount"] = {"column": amount}
            used.append(amount)
        currency = _currency(header, {c for p in plan.parties for c in p.columns})
        if currency:
            props["currency"] = {"column": currency}
            used.append(currency)
    return used


def _accounts(plan: _Plan, entities: dict[str, Any], keys: dict[str, list[str]]) -> None:
    """A BankAccount for each person's IBAN column; its holder by an Ownership."""
    for party in plan.people():
        iban = next((c for c in party.columns if c in plan.found
                     and plan.found[c].kind == "iban"), None)
        if iban is None:
            continue
        account = _unique(f"{party.entity}_account", entities)
        entities[account] = {"schema": "BankAccount", "keys": [iban], "optional": True,
                             "properties": {"iban": {"column": iban}}}
        holding = _unique(f"{party.entity}_holds_account", entities)
        entities[holding] = {"schema": "Ownership", "keys": [*keys[party.entity], iban],
                             "optional": True, "requires": [party.entity, account],
                             "properties": {"owner": {"entity": party.entity},
                                            "asset": {"entity": account}}}


def _unique(name: str, taken: Mapping[str, Any]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    return candidate


def _fallback(header: Sequence[str]) -> dict[str, Any]:
    """Nothing recognised: a Person named by the first column, for the analyst to edit."""
    column = next((c for c in header if c), None)
    if column is None:
        raise IngestError("the table has no named column to map")
    return {"entities": {"row": {"schema": "Person", "keys": [column],
                                 "properties": {"name": {"column": column}}}}}


def _document(plan: _Plan, header: Sequence[str]) -> dict[str, Any]:
    entities: dict[str, Any] = {}
    keys: dict[str, list[str]] = {}
    if plan.main is not None:
        keys["person"] = _main_keys(plan.main, plan.id_column)
        entities["person"] = _person(plan.main, keys["person"], plan.region)
    for party in plan.parties:
        party.entity = _unique(party.entity, {**entities, "call": 1, "payment": 1, "link": 1})
        keys[party.entity] = _party_keys(party)
        entities[party.entity] = _person(party, keys[party.entity], plan.region)
    if plan.link is not None:
        name = {"Call": "call", "Payment": "payment"}.get(plan.link, "link")
        entities[name] = _link_entity(plan, header, keys)
    _accounts(plan, entities, keys)
    _loose_accounts(plan, entities)
    return {"entities": entities} if entities else _fallback(header)


def _loose_accounts(plan: _Plan, entities: dict[str, Any]) -> None:
    """IBAN columns of nobody's: a BankAccount each."""
    for column in plan.loose():
        if plan.found[column].kind == "iban" and not any(
                column in e.get("keys", []) for e in entities.values()):
            name = _unique("account", entities)
            entities[name] = {"schema": "BankAccount", "keys": [column], "optional": True,
                              "properties": {"iban": {"column": column}}}


def suggest_mapping(header: Sequence[str], rows: Sequence[Mapping[str, Any]],
                    region: str | None = None) -> dict[str, Any]:
    """A starting mapping document for the table (`parse_mapping` accepts it).

    A Person per party (columns sharing a prefix, such as `caller_number` and
    `caller_name`) and one for the table's own columns when they name someone; a Call,
    Payment or UnknownLink between two sides. Only columns of the header are named.
    """
    plan = _plan(header, rows, region)
    document = _document(plan, header)
    parse_mapping(document, origin="the suggested mapping")  # a bug here, not the analyst's
    return document


# -- the header comment -------------------------------------------------------------------------
def suggestion_comment(suggestions: Sequence[Suggestion], document: dict[str, Any],
                       header: Sequence[str] = ()) -> str:
    """What a suggested mapping's header comment says: each column's suggestion, whether
    the mapping uses it, and the columns of `header` it leaves out."""
    used = parse_mapping(document).columns()
    lines = ["A suggested mapping: check each entity, key and property before you ingest.",
             "Columns recognised from their values:"]
    for s in suggestions:
        mark = "" if s.column in used else " (not mapped)"
        lines.append(f"  {_oneline(s.column)} -> {s.schema}.{s.prop}: {_oneline(s.reason)}{mark}")
    if not suggestions:
        lines.append("  none; this mapping is only a starting point")
    unused = [_oneline(c) for c in header if c and c not in used]
    if unused:
        lines.append(f"Columns not mapped: {', '.join(unused)}")
    return "\n".join(lines)


def _oneline(text: str) -> str:
    return printable(" ".join(text.split()))


# -- reading a sample -----------------------------------------------------------------------
def read_sample(path: Path, sheet: str | None = None, rows: int = 200
                ) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    """The header, the first `rows` readable rows of a CSV or XLSX, and their lines.

    Rows the reader could not read (a `problem`) are skipped. The file is closed before
    this returns. Raises IngestError for a file that is no readable table.
    """
    if rows < 1:
        raise ValueError("rows must be at least 1")
    header, records = read_table(path, sheet)
    values: list[dict[str, Any]] = []
    lines: list[int] = []
    try:
        for record in records:
            if record.problem is not None:
                continue
            values.append(record.values)
            lines.append(record.line or 0)
            if len(values) >= rows:
                break
    finally:
        close = getattr(records, "close", None)  # a generator: closing it closes the file
        if close is not None:
            close()
    return header, values, lines
