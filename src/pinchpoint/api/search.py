"""Search across scripts: people and organisations by name, identifiers and places by text.

Names: the visible names are narrowed cheaply to candidates that share a blocking key
with the query (`name_keys`: consonant skeletons and variant groups, which agree across
scripts: Rawand Aziz and رەوەند عەزیز share `sk:rnd`), or that contain the query as
text; only the best `MAX_CANDIDATES` of them (most shared keys first) are scored with
`compare_names`. Phones, document numbers, ledger references and places match exactly or
by prefix. Every read is of the caller's visible statements; results are grouped by
canonical id when resolved.

Phone numbers are held in E.164 (+447824746944), but analysts type them as they were
written down: "07824 746944", "447824746944", "0044 7824 746944". A query that looks like
a phone number (`_readings`) is therefore also looked up as the E.164 numbers it can be
read as: "+" and its digits (447824746944), with an international prefix ("00", or a
workspace region's own, like "011") replaced by "+", and, for a national form starting
with a trunk prefix ("0"), as dialled in each of the workspace's likely regions: the
regions of the phone numbers the index holds, most numbers first (`_Index.regions`;
`DEFAULT_REGIONS` when it holds none). Only readings the index holds find anything, so
nothing is guessed: when a national form reads as numbers of two regions, both are found,
and each hit's `match` says which reading found it ("phone (read as +447824746944)").

A payment's reference (`transactionNumber`, a ledger's "HW-1001") finds the payment, its
`match` naming its payer and beneficiary; an exact reference also finds the two parties
(`_party_hits`), so the people are one click from the reference.

Reading and keying every visible name per search cost about 345 ms of CPU on the medium
scenario (`benchmarks/results/api.json`). The names, identifiers, places and what a brief
needs are therefore read once per store and scope key, from the scope's statements the
app already holds in memory (`pinchpoint.api.view`), into an in-memory `_Index` and
reused until the app's next write (`pinchpoint.api.cache` keeps it with the scope's
other derived data and drops it after every write, `AppState.invalidate`), so a search
is dictionary look-ups and at most `MAX_CANDIDATES` name comparisons.

Those comparisons were then half of the server's CPU in the cold run of
`benchmarks/api.py` (about 15 ms a search under load). They use `name_score`, exactly
`compare_names(...).score` without building the explanation, and the matcher keeps
part comparisons and each name's runs of parts from search to search
(`resolve/names/align.py`): over the cold run's first 2,000 search terms a search takes
6.9 ms of CPU on average instead of 9.4 (median 5.7 instead of 8.7), with identical hits
(`benchmarks/search_speed.py`, `benchmarks/results/search_speed.json`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import duckdb
import numpy as np
import phonenumbers

from pinchpoint.access.directory import agencies
from pinchpoint.api import cache
from pinchpoint.api.entities import NAME_PROPS as BRIEF_NAME_PROPS
from pinchpoint.api.entities import Brief, LabelRow, label_of
from pinchpoint.api.view import StatementView
from pinchpoint.model.display_name import ALL_PROPS
from pinchpoint.resolve.names import name_keys, name_score
from pinchpoint.store.entities import common_schema
from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore

PARTIES = ("Person", "Organization", "Company", "LegalEntity", "PublicBody")
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
IDENTIFIERS = {"phone": "phone", "phoneNumber": "phone", "callerNumber": "phone",
               "receiverNumber": "phone", "imei": "handset", "imsi": "handset",
               "number": "document", "passportNumber": "document", "idNumber": "document",
               "registrationNumber": "registration", "serialNumber": "serial",
               "email": "email", "username": "account", "transactionNumber": "reference"}
PHONE_PROPS = tuple(p for p, kind in IDENTIFIERS.items() if kind == "phone")
PARTY_PROPS = ("payer", "beneficiary")  # of a payment, named in its `match`
PLACES = ("address", "location", "launchPoint", "landingPoint", "city", "country")
MAX_CANDIDATES = 80
PER_ENTITY = 2  # names of one entity among the candidates
MAX_SUBSTRING = 5000  # name rows scanned for the query as text, beyond exact matches
MAX_TEXT = 2000
MIN_SCORE = 0.5
# Phone readings (`_readings`): a query needs this many digits to be read as a number,
# a reading this many digits to be matched by prefix, not only exactly.
PHONE_DIGITS = 6
PHONE_PREFIX_DIGITS = 8
MAX_REGIONS = 16  # the workspace's likely regions, most numbers first
DEFAULT_REGIONS = ("GB",)  # when the index holds no phone number in E.164
READ_EXACT, READ_PREFIX = 0.95, 0.75  # below the same match of the query as typed
PARTY_SCORE = 0.9  # a payer or beneficiary found by its payment's exact reference


@dataclass(frozen=True)
class Hit:
    id: str
    schema: str
    label: str
    names: list[str]
    score: float
    match: str


@lru_cache(maxsize=200_000)
def _keys(name: str, schema: str) -> frozenset[str]:
    try:
        return name_keys(name, "Person" if schema == "Person" else "Organization")
    except (ValueError, IndexError):
        return frozenset()


def _compact(text: str) -> str:
    return re.sub(r"[\s\-().]", "", text)


@dataclass(slots=True)
class _Record:
    """What a brief needs of one record: its statements' schemas (with counts, in
    statement order the first), what its label is chosen from (`entities.label_of`), and
    names."""

    first_schema: str = ""
    schemas: dict[str, int] = field(default_factory=dict)
    labels: list[LabelRow] = field(default_factory=list)
    names: set[str] = field(default_factory=set)


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


class _Index:
    """The caller's visible names, identifiers and places, read once."""

    def __init__(self, view: StatementView, resolution: cache.Resolution,
                 agency_names: Mapping[str, str] | None = None) -> None:
        self.canonical = resolution.canonical
        self.agency_names = dict(agency_names or {})  # code: title (`entities.label_of`)
        # The scope's statements are in memory already (`view`): query them there
        # instead of running the scope's rules over the whole store once more.
        con = duckdb.connect()
        con.register("v", view.table)
        # names of parties, with their blocking keys
        rows = con.execute(
            "SELECT DISTINCT entity_id, schema, value FROM v "
            f"WHERE schema IN ({_marks(PARTIES)}) AND prop IN ({_marks(NAME_PROPS)}) "
            "AND value <> ? ORDER BY 1, 2, 3",
            [*PARTIES, *NAME_PROPS, REDACTED]).fetchall()
        self.names: list[tuple[str, str, str]] = [(str(e), str(s), str(v))
                                                  for e, s, v in rows]
        self.by_key: dict[str, list[int]] = {}
        self.by_text: dict[str, list[int]] = {}
        self.key_counts: list[int] = []
        folded: list[str] = []
        for n, (_e, schema, value) in enumerate(self.names):
            keys = _keys(value, schema)
            self.key_counts.append(len(keys))
            for key in keys:
                self.by_key.setdefault(key, []).append(n)
            text = value.casefold()
            self.by_text.setdefault(text, []).append(n)
            folded.append(text)
        self.text = "\x00".join(folded)
        self.starts = list(_offsets(folded))
        # the same, as arrays, for ranking candidates in one pass (`_ranked`)
        self.postings = {key: np.array(rows, np.int64) for key, rows in self.by_key.items()}
        self.own_keys = np.maximum(np.array(self.key_counts, np.float64), 1.0)
        # identifiers and places, by lower-case and by compact value
        props = [*IDENTIFIERS, *PLACES]
        rows = con.execute(
            "SELECT DISTINCT entity_id, prop, value FROM v "
            f"WHERE prop IN ({_marks(props)}) AND value <> ? ORDER BY 1, 2, 3",
            [*props, REDACTED]).fetchall()
        self.values: list[tuple[str, str, str]] = [(str(e), str(p), str(v))
                                                   for e, p, v in rows]
        lowered = sorted((v.casefold(), n) for n, (_e, _p, v) in enumerate(self.values))
        compact = sorted((_compact(v).casefold(), n)
                         for n, (_e, _p, v) in enumerate(self.values))
        self.lowered = [t for t, _ in lowered]
        self.lowered_rows = [n for _, n in lowered]
        self.compact = [t for t, _ in compact]
        self.compact_rows = [n for _, n in compact]
        # what a brief needs, per record (as `entities.briefs` reads it)
        self.records: dict[str, _Record] = {}
        for entity, schema, count, first in con.execute(
                "SELECT entity_id, schema, count(*), min(ord) FROM (SELECT entity_id, "
                "schema, row_number() OVER (PARTITION BY entity_id ORDER BY prop, value, "
                "source, record, id) AS ord FROM v) GROUP BY 1, 2").fetchall():
            record = self.records.setdefault(str(entity), _Record())
            record.schemas[str(schema)] = int(count)
            if first == 1:
                record.first_schema = str(schema)
        label_props = [*ALL_PROPS, "personCategory"]
        for entity, prop, value, source_grade, info_grade, seen, owner in con.execute(
                "SELECT entity_id, prop, value, source_grade, info_grade, min(first_seen), "
                f"min(owner) FROM v WHERE prop IN ({_marks(label_props)}) "
                "GROUP BY 1, 2, 3, 4, 5", label_props).fetchall():
            self.records[str(entity)].labels.append(
                (str(prop), str(value), str(entity), source_grade, info_grade, seen,
                 str(owner)))
        for entity, value in con.execute(
                "SELECT DISTINCT entity_id, value FROM v "
                f"WHERE prop IN ({_marks(BRIEF_NAME_PROPS[:4])})",
                [*BRIEF_NAME_PROPS[:4]]).fetchall():
            self.records[str(entity)].names.add(str(value))
        self.regions = _regions(con)
        # the payer and beneficiary of each payment with a reference (`_party_hits`)
        self.parties: dict[str, list[tuple[str, str]]] = {}
        for entity, prop, value in con.execute(
                "SELECT DISTINCT entity_id, prop, value FROM v "
                f"WHERE prop IN ({_marks(PARTY_PROPS)}) AND value <> ? AND entity_id IN "
                "(SELECT entity_id FROM v WHERE prop = 'transactionNumber') ORDER BY 1, 2, 3",
                [*PARTY_PROPS, REDACTED]).fetchall():
            self.parties.setdefault(str(entity), []).append((str(prop), str(value)))
        con.close()
        self.members = resolution.records
        self.briefs: dict[str, Brief | None] = {}

    def is_party(self, record: str) -> bool:
        """Whether the record is of a person or organisation (by its statements)."""
        found = self.records.get(record)
        return found is not None and any(s in PARTIES for s in found.schemas)

    def brief(self, entity_id: str) -> Brief | None:
        """As `entities.briefs` answers for one id, from what was read."""
        if entity_id in self.briefs:
            return self.briefs[entity_id]
        found = [self.records[r] for r in self.members.get(entity_id) or [entity_id]
                 if r in self.records]
        out: Brief | None = None
        if found:
            counts: Counter[str] = Counter()
            for record in found:
                counts.update(record.schemas)
            schema = common_schema(counts)
            label = label_of((row for record in found for row in record.labels), schema,
                             found[0].first_schema, lambda: self.agency_names)
            names = sorted({n for record in found for n in record.names})
            out = Brief(entity_id, schema, label, names)
        self.briefs[entity_id] = out
        return out


def _regions(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The regions of the index's E.164 phone numbers, most numbers first (a calling code
    shared by several regions, like +44 or +1, counts for its main one: GB, US), then
    `DEFAULT_REGIONS`; at most `MAX_REGIONS`. Counted by the numbers' first digits, which
    hold their calling code (calling codes are prefix-free)."""
    counts: Counter[str] = Counter()
    for head, count in con.execute(
            "SELECT substr(value, 2, 3), count(*) FROM v "
            f"WHERE prop IN ({_marks(PHONE_PROPS)}) AND value LIKE '+%' GROUP BY 1",
            [*PHONE_PROPS]).fetchall():
        code = _calling_code(str(head))
        if code is not None:
            counts[phonenumbers.region_code_for_country_code(code)] += int(count)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] not in DEFAULT_REGIONS,
                                                     kv[0]))
    regions = [r for r, _ in ranked if r != phonenumbers.UNKNOWN_REGION]
    regions += [r for r in DEFAULT_REGIONS if r not in regions]
    for region in regions[:MAX_REGIONS]:  # loaded now, not by the first search
        phonenumbers.PhoneMetadata.metadata_for_region(region)
    return tuple(regions[:MAX_REGIONS])


def _calling_code(digits: str) -> int | None:
    """The country calling code the digits start with, if any."""
    if digits.startswith("0"):
        return None  # a trunk or international prefix, not a calling code ("07" is no +7)
    for size in (1, 2, 3):
        head = digits[:size]
        if head.isdigit() and int(head) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            return int(head)
    return None


def _readings(q: str, regions: Sequence[str]) -> list[str]:
    """The E.164 numbers a query written like a phone number may mean, other than the
    query as typed (looked up anyway): "+" and its digits; an international prefix read
    as "+"; a national form read as dialled in each of `regions`. Each reading is only a
    key to look up: one the index does not hold finds nothing."""
    if not re.fullmatch(r"\+?[\d\s\-().]+", q):
        return []
    digits = re.sub(r"\D", "", q)
    if len(digits) < PHONE_DIGITS:
        return []
    out: list[str] = []
    if q.lstrip().startswith("+"):
        out.append(_parsed(q, None))  # "+44 (0)7824 746944": the trunk 0 dropped
    else:
        if _calling_code(digits) is not None:
            out.append("+" + digits)  # 447824746944
        if digits.startswith("00"):
            out.append("+" + digits[2:])  # 0044 7824 746944
        for region in regions:
            out += _national(q, digits, region)
    compact = _compact(q)
    return list(dict.fromkeys(r for r in out if r and r != compact))


def _national(q: str, digits: str, region: str) -> list[str]:
    """`digits` as dialled in `region`: after its own international prefix ("011"), or a
    national number after its trunk prefix ("0"), or (a region without one, like Italy
    or Greece) as it is. The parser's reading too, which knows each region's special
    cases, when it makes a valid number."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.country_code is None:
        return []
    out: list[str] = []
    international = meta.international_prefix or ""
    if international.isdigit() and digits.startswith(international):
        out.append("+" + digits[len(international):])
    trunk = meta.national_prefix
    if trunk and digits.startswith(trunk) and not digits.startswith("00"):
        out.append(f"+{meta.country_code}{digits[len(trunk):]}")
    elif not trunk and digits.startswith("0") and not digits.startswith("00"):
        out.append(f"+{meta.country_code}{digits}")
    if not trunk or digits.startswith(trunk):  # "7824 746944" is no GB number as written
        out.append(_parsed(q, region))
    return out


def _parsed(q: str, region: str | None) -> str:
    """The parser's E.164 reading of `q` dialled in `region`, "" unless a valid number."""
    try:
        number = phonenumbers.parse(q, region)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _offsets(texts: list[str]) -> list[int]:
    starts, at = [], 0
    for text in texts:
        starts.append(at)
        at += len(text) + 1
    return starts


def index(store: SqlStore, scope: Scope) -> _Index:
    """The scope's index, built once and dropped with the app's other derived data after
    any write (`pinchpoint.api.cache`)."""
    return cache.derived(store, scope, "search", lambda: _Index(
        cache.statements(store, scope), cache.resolution(store, scope), agencies(store.con)))


def _ranked(index: _Index, query_keys: frozenset[str], contains: set[int],
            exact: set[int]) -> list[int]:
    """The candidate names (sharing a key with the query, or containing it), best
    first: exact matches, then most keys shared, then the largest share of the
    candidate's own keys, then those containing the query, then in index order.

    Counted and sorted as arrays: a common name's keys (Mohammed, Ali) are shared by
    thousands of names, and a Python sort key per candidate was a tenth of a search."""
    postings = [index.postings[k] for k in query_keys if k in index.postings]
    found, counts = (np.unique(np.concatenate(postings), return_counts=True) if postings
                     else (np.empty(0, np.int64), np.empty(0, np.int64)))
    texts = np.fromiter(contains, np.int64, len(contains))
    rows = np.union1d(found, texts)
    shared = np.zeros(len(rows), np.float64)
    shared[np.searchsorted(rows, found)] = counts
    not_exact = ~np.isin(rows, np.fromiter(exact, np.int64, len(exact)))
    outside = ~np.isin(rows, texts)
    order = np.lexsort((rows, outside, -shared / index.own_keys[rows], -shared, not_exact))
    return rows[order].tolist()  # type: ignore[no-any-return]


def _name_hits(index: _Index, q: str) -> dict[str, tuple[float, str]]:
    lowered = q.casefold()
    query_keys = _keys(q, "Person") | _keys(q, "Organization")
    contains: set[int] = set(index.by_text.get(lowered, ()))
    if lowered:
        at = index.text.find(lowered)
        while at >= 0 and len(contains) < MAX_SUBSTRING:
            row = bisect.bisect_right(index.starts, at) - 1
            contains.add(row)
            at = index.text.find(lowered, index.starts[row + 1]
                                 if row + 1 < len(index.starts) else len(index.text))
    exact = set(index.by_text.get(lowered, ()))
    ranked = _ranked(index, query_keys, contains, exact)
    chosen: list[int] = []
    per_entity: Counter[str] = Counter()
    for n in ranked:  # a few names of each entity, so more entities are compared
        entity = index.names[n][0]
        if per_entity[entity] < PER_ENTITY:
            per_entity[entity] += 1
            chosen.append(n)
            if len(chosen) >= MAX_CANDIDATES:
                break
    hits: dict[str, tuple[float, str]] = {}
    scores: dict[tuple[str, str], float] = {}  # records of one person repeat a name
    for n in chosen:
        entity, schema, value = index.names[n]
        score = scores.get((schema, value))
        if score is None:
            score = scores[(schema, value)] = name_score(q, value, schema)
        if n in contains:
            score = max(score, 0.75 if n not in exact else 1.0)
        if score >= MIN_SCORE and score > hits.get(entity, (0.0, ""))[0]:
            hits[entity] = (round(score, 4), f"name: {value}")
    return hits


def _prefixed(keys: list[str], rows: list[int], prefix: str, room: int) -> list[int]:
    out: list[int] = []
    at = bisect.bisect_left(keys, prefix)
    while at < len(keys) and len(out) < room and keys[at].startswith(prefix):
        out.append(rows[at])
        at += 1
    return out


def _text_hits(index: _Index, q: str) -> dict[str, tuple[float, str]]:
    lowered = q.casefold()
    compact = _compact(q).casefold()
    rows = _prefixed(index.lowered, index.lowered_rows, lowered, MAX_TEXT)
    rows += _prefixed(index.compact, index.compact_rows, compact, MAX_TEXT - len(rows))
    hits: dict[str, tuple[float, str]] = {}
    for n in rows:
        entity, prop, value = index.values[n]
        exact = value.casefold() == lowered or _compact(value).casefold() == compact
        kind = IDENTIFIERS.get(prop, "place")
        score = 1.0 if exact else 0.8
        if score > hits.get(entity, (0.0, ""))[0]:
            hits[entity] = (score, f"{kind}: {value}")
    for reading in _readings(q, index.regions):
        for entity, hit in _reading_hits(index, reading).items():
            if hit[0] > hits.get(entity, (0.0, ""))[0]:
                hits[entity] = hit
    return hits


def _reading_hits(index: _Index, reading: str) -> dict[str, tuple[float, str]]:
    """The phone numbers found by one E.164 reading of the query, exactly or (a reading
    long enough) by prefix, each saying the reading that found it."""
    key = reading.casefold()
    room = MAX_TEXT if len(reading) > PHONE_PREFIX_DIGITS else 0
    rows = _prefixed(index.compact, index.compact_rows, key, room)
    at = bisect.bisect_left(index.compact, key)
    while at < len(index.compact) and index.compact[at] == key:
        rows.append(index.compact_rows[at])  # exact ones, also beyond a full `room`
        at += 1
    hits: dict[str, tuple[float, str]] = {}
    for n in rows:
        entity, prop, value = index.values[n]
        if prop not in PHONE_PROPS:
            continue
        if _compact(value).casefold() == key:
            hit = (READ_EXACT, f"phone (read as {reading})")
        else:
            hit = (READ_PREFIX, f"phone: {value} (read as {reading}…)")
        if hit[0] > hits.get(entity, (0.0, ""))[0]:
            hits[entity] = hit
    return hits


def _party_hits(index: _Index, found: dict[str, tuple[float, str]]
                ) -> dict[str, tuple[float, str]]:
    """The payer and beneficiary of each payment found by its exact reference."""
    parties: dict[str, tuple[float, str]] = {}
    for entity, (score, match) in found.items():
        if score < 1.0 or entity not in index.parties or not match.startswith("reference: "):
            continue
        for prop, party in index.parties[entity]:
            if parties.get(party, (0.0, ""))[0] < PARTY_SCORE:
                parties[party] = (PARTY_SCORE,
                                  f"{prop} of payment {match.removeprefix('reference: ')}")
    return parties


def _with_parties(index: _Index, entity: str, match: str) -> str:
    """A payment's reference match, naming its payer and beneficiary (of the hits shown
    only: a prefix may match thousands of references)."""
    if entity not in index.parties or not match.startswith("reference: "):
        return match
    named: dict[str, set[str]] = {}
    for prop, party in index.parties[entity]:
        brief = index.brief(index.canonical.get(party, party))
        if brief is not None:
            named.setdefault(prop, set()).add(brief.label)
    said = [f"{word} {' and '.join(sorted(named[prop]))}"
            for prop, word in (("payer", "from"), ("beneficiary", "to")) if prop in named]
    return f"{match} (payment {' '.join(said)})" if said else match


IDENTIFIER_DIGITS = 3


def search(store: SqlStore, scope: Scope, q: str, limit: int = 20) -> list[Hit]:
    """The best matches for `q` the caller may see, one per canonical entity."""
    q = q.strip()
    if not q:
        return []
    return _search(index(store, scope), q, limit)


def _search(index: _Index, q: str, limit: int) -> list[Hit]:
    # A query with several digits is a phone, document or reference number: names are
    # not compared with it (scoring unseen tokens through the name analyser cost ~5 s).
    found = _name_hits(index, q) if sum(c.isdigit() for c in q) < IDENTIFIER_DIGITS else {}
    texts = _text_hits(index, q)
    for entity, hit in [*_party_hits(index, texts).items(), *texts.items()]:
        if hit[0] > found.get(entity, (0.0, ""))[0]:
            found[entity] = hit
    grouped: dict[str, tuple[float, str, str]] = {}
    for entity, (score, match) in found.items():
        canon = index.canonical.get(entity, entity)
        if score > grouped.get(canon, (0.0, "", ""))[0]:
            grouped[canon] = (score, match, entity)
    out: list[Hit] = []
    # Best first; of equal scores, people and organisations before the calls, messages
    # and payments that carry the same number or text (a number's holder leads).
    for i, (score, match, entity) in sorted(grouped.items(), key=lambda kv: (
            -kv[1][0], not index.is_party(kv[1][2]), kv[0])):
        if len(out) >= limit:
            break
        brief = index.brief(i)
        if brief is not None:
            out.append(Hit(i, brief.schema, brief.label, brief.names, score,
                           _with_parties(index, entity, match)))
    return out
