"""Search across scripts: people and organisations by name, identifiers and places by text.

Names: the visible names are narrowed cheaply to candidates that share a blocking key
with the query (`name_keys`: consonant skeletons and variant groups, which agree across
scripts: Rawand Aziz and رەوەند عەزیز share `sk:rnd`), or that contain the query as
text; only candidates are scored with `compare_names`. Keys are remembered per name.
Phones, document numbers and places match exactly or by prefix. Every read is of the
caller's visible statements; results are grouped by canonical id when resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pinchpoint.api.entities import briefs, resolved_map
from pinchpoint.resolve.names import compare_names, name_keys
from pinchpoint.store.duckdb_store import DuckDBStore
from pinchpoint.store.scope import REDACTED, Scope

PARTIES = ("Person", "Organization", "Company", "LegalEntity", "PublicBody")
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
IDENTIFIERS = {"phone": "phone", "phoneNumber": "phone", "callerNumber": "phone",
               "receiverNumber": "phone", "imei": "handset", "imsi": "handset",
               "number": "document", "passportNumber": "document", "idNumber": "document",
               "registrationNumber": "registration", "serialNumber": "serial",
               "email": "email", "username": "account"}
PLACES = ("address", "location", "launchPoint", "landingPoint", "city", "country")
MAX_CANDIDATES = 400
MIN_SCORE = 0.5


@dataclass
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


def _name_hits(store: DuckDBStore, scope: Scope, q: str) -> dict[str, tuple[float, str]]:
    visible, params = scope.relation()
    rows = store.con.execute(
        f"SELECT DISTINCT entity_id, schema, value FROM ({visible}) AS v "
        f"WHERE schema IN ({', '.join('?' for _ in PARTIES)}) "
        f"AND prop IN ({', '.join('?' for _ in NAME_PROPS)}) AND value <> ?",
        [*params, *PARTIES, *NAME_PROPS, REDACTED]).fetchall()
    lowered = q.casefold()
    query_keys = _keys(q, "Person") | _keys(q, "Organization")
    candidates = [(str(e), str(s), str(v)) for e, s, v in rows
                  if lowered in str(v).casefold() or query_keys & _keys(str(v), str(s))]
    hits: dict[str, tuple[float, str]] = {}
    for entity, schema, value in candidates[:MAX_CANDIDATES]:
        score = compare_names(q, value, schema).score
        if lowered in value.casefold():
            score = max(score, 0.75 if lowered != value.casefold() else 1.0)
        if score >= MIN_SCORE and score > hits.get(entity, (0.0, ""))[0]:
            hits[entity] = (round(score, 4), f"name: {value}")
    return hits


def _text_hits(store: DuckDBStore, scope: Scope, q: str) -> dict[str, tuple[float, str]]:
    visible, params = scope.relation()
    props = [*IDENTIFIERS, *PLACES]
    compact = _compact(q).casefold()
    rows = store.con.execute(
        f"SELECT DISTINCT entity_id, prop, value FROM ({visible}) AS v "
        f"WHERE prop IN ({', '.join('?' for _ in props)}) AND value <> ? "
        "AND (starts_with(lower(value), ?) OR starts_with("
        "lower(regexp_replace(value, '[\\s\\-().]', '', 'g')), ?)) LIMIT 2000",
        [*params, *props, REDACTED, q.casefold(), compact]).fetchall()
    hits: dict[str, tuple[float, str]] = {}
    for entity, prop, value in rows:
        exact = str(value).casefold() == q.casefold() or \
            _compact(str(value)).casefold() == compact
        kind = IDENTIFIERS.get(str(prop), "place")
        score = 1.0 if exact else 0.8
        if score > hits.get(str(entity), (0.0, ""))[0]:
            hits[str(entity)] = (score, f"{kind}: {value}")
    return hits


def search(store: DuckDBStore, scope: Scope, q: str, limit: int = 20) -> list[Hit]:
    """The best matches for `q` the caller may see, one per canonical entity."""
    q = q.strip()
    if not q:
        return []
    found = _name_hits(store, scope, q)
    for entity, hit in _text_hits(store, scope, q).items():
        if hit[0] > found.get(entity, (0.0, ""))[0]:
            found[entity] = hit
    canonical = resolved_map(store, scope)
    grouped: dict[str, tuple[float, str]] = {}
    for entity, hit in found.items():
        canon = canonical.get(entity, entity)
        if hit[0] > grouped.get(canon, (0.0, ""))[0]:
            grouped[canon] = hit
    best = sorted(grouped.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
    info = briefs(store, scope, [i for i, _ in best], canonical)
    return [Hit(i, info[i].schema, info[i].label, info[i].names, score, match)
            for i, (score, match) in best if i in info]
