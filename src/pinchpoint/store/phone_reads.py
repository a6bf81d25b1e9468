"""Scoped reads the phones stage needs: every number, e-mail address and handle found on
the seized phones a scope can see, counted by device, in one SQL aggregate.

A *device* is one extraction file of one agency: the records of a phone layout are
JSON pointers into it (``bf_phone_00017.json#/contacts/4``, the same for the `phone`,
`ufdr` and `vcard` kinds), so the file part of a record names the device and its
section says what the item is. A device's own numbers (``#/device``) are not found *on*
it. Done in SQL so five thousand devices of two thousand contacts each stay in the
database until they are one row per identifier.

Like every store read, each takes the store and the scope first and reads only the
statements the scope sees; a redacted value (a protected person's number, outside the
agency that holds it) is never an identifier here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from pinchpoint.store.scope import REDACTED, Scope
from pinchpoint.store.sql_store import SqlStore

SECTIONS = ("contacts", "calls", "messages")  # where what is found on a phone sits
HELD_PROPS = ("phone", "email", "username")  # a party's identifiers, as the layouts map them
CALL_NUMBERS = ("callerNumber", "receiverNumber")
PARTY_PROPS = ("caller", "receiver", "sender", "recipients")
OWN_PROPS = ("phoneNumber", "phone")  # the handset's and its user's numbers (#/device)
READ_PROPS = tuple(dict.fromkeys((*HELD_PROPS, *CALL_NUMBERS, *PARTY_PROPS, *OWN_PROPS,
                                  "personCategory", "seizedAt", "date", "name")))


class Sighting(NamedTuple):
    """One identifier over every device it was found on."""

    identifier: str
    kind: str  # phone, email or username
    devices: int
    arrival_devices: int  # devices whose user is recorded as a victim or witness
    contacts: int  # calls and messages with it, over all devices
    first: str | None  # the earliest call or message with it (ISO text)
    last: str | None
    dated_devices: int  # devices with a seizure date and a dated contact
    before_seizure: int  # of those, devices that contacted it before the seizure date
    protected_by: tuple[str, ...]  # agencies that record a holder as victim or witness
    accused_by: tuple[str, ...]  # agencies that record a holder as suspect or convicted


def _in(values: Sequence[str]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def _listed(values: Sequence[str]) -> str:
    """Constants of this module as SQL literals (never a value from the data)."""
    return ", ".join(f"'{value}'" for value in values)


_DEVICE = "owner || '/' || split_part(record, '#', 1)"  # one extraction file of one agency
_LOC = "split_part(record, '#', 2)"  # the item within it: /contacts/4, /device


def _device_rows(visible: str, props: Sequence[str] = READ_PROPS) -> str:
    """The visible statements of `props` in phone-layout records, with their device and
    section. The properties are tested first: most statements of an extraction are ids
    and links no read here needs, and a record's text is the costly column to test."""
    likes = " OR ".join(f"record LIKE '%#/{section}/%'" for section in SECTIONS)
    return (f"""SELECT {_DEVICE} AS device, entity_id, schema, prop, value, {_LOC} AS loc
        FROM ({visible}) AS s
        WHERE prop IN ({_listed(props)}) AND value <> '{REDACTED}'
          AND ({likes} OR record LIKE '%#/device')""")


def person_categories(store: SqlStore, scope: Scope) -> list[str]:
    """The distinct person categories the scope sees, as written (`parse_category`
    decides which are protected: "migrant" is a victim)."""
    visible, params = scope.relation()
    rows = store.con.execute(
        f"SELECT DISTINCT value FROM ({visible}) AS s WHERE prop = 'personCategory' "
        f"AND value <> '{REDACTED}'", params).fetchall()
    return sorted(str(r[0]) for r in rows)


def sightings(store: SqlStore, scope: Scope, protected: Sequence[str],
              accused: Sequence[str], min_devices: int) -> list[Sighting]:
    """Every identifier found on at least `min_devices` devices, most devices first,
    then most arrivals' devices, then most calls and messages.
    `protected` and `accused` are the category values (as written) that make a holder
    a victim or witness, and a suspect or convicted person."""
    visible, params = scope.relation()
    found_props = _listed((*HELD_PROPS, *CALL_NUMBERS))
    # `found` (every identifier of every device) and `near` (the candidates' rows and
    # the calls' and messages' parties and dates) are made once each: read again from
    # `d`, 5,000 devices' 22M rows were scanned six times.
    query = f"""
    WITH d AS ({_device_rows(visible)}),
    own AS (SELECT DISTINCT device, value FROM d
            WHERE loc = '/device' AND prop IN ({_listed(OWN_PROPS)})),
    found AS MATERIALIZED (SELECT device, value AS ident,
                     min(CASE WHEN prop IN ('email', 'username') THEN prop ELSE 'phone' END)
                       AS kind
              FROM d WHERE loc <> '/device' AND prop IN ({found_props})
                AND NOT EXISTS (SELECT 1 FROM own o WHERE o.device = d.device
                                AND o.value = d.value)
              GROUP BY device, value),
    cand AS (SELECT ident FROM found GROUP BY ident HAVING count(*) >= ?),
    arrival AS (SELECT DISTINCT device FROM d
                WHERE loc = '/device' AND prop = 'personCategory'
                  AND value IN ({_in(protected)})),
    seized AS (SELECT device, min(value) AS day FROM d WHERE prop = 'seizedAt'
               GROUP BY device),
    near AS MATERIALIZED (SELECT device, entity_id, schema, prop, value FROM d
              WHERE loc <> '/device' AND (prop IN ({_listed(PARTY_PROPS)})
                 OR (prop = 'date' AND schema IN ('Call', 'Message'))
                 OR (prop IN ({found_props}) AND value IN (SELECT ident FROM cand)))),
    held AS (SELECT DISTINCT device, entity_id, value AS ident FROM near
             WHERE prop IN ({_listed(HELD_PROPS)})),
    talk AS (SELECT device, entity_id AS event, value AS ident FROM near
             WHERE prop IN ({_listed(CALL_NUMBERS)})
             UNION
             SELECT p.device, p.entity_id, h.ident FROM near p
             JOIN held h ON h.device = p.device AND h.entity_id = p.value
             WHERE p.prop IN ({_listed(PARTY_PROPS)})),
    dated AS (SELECT device, entity_id AS event, min(value) AS day FROM near
              WHERE prop = 'date' AND entity_id IN (SELECT event FROM talk)
              GROUP BY device, entity_id),
    contact AS (SELECT t.device, t.ident, count(DISTINCT t.event) AS n, min(e.day) AS first,
                       max(e.day) AS last
                FROM talk t LEFT JOIN dated e ON e.device = t.device AND e.event = t.event
                GROUP BY t.device, t.ident),
    per AS (SELECT f.ident, min(f.kind) AS kind, count(*) AS devices,
                   count(a.device) AS arrivals, coalesce(sum(c.n), 0) AS contacts,
                   min(c.first) AS first, max(c.last) AS last,
                   count(*) FILTER (WHERE z.day IS NOT NULL AND c.first IS NOT NULL) AS dated,
                   count(*) FILTER (WHERE c.first < z.day) AS before
            FROM found f
            LEFT JOIN arrival a ON a.device = f.device
            LEFT JOIN contact c ON c.device = f.device AND c.ident = f.ident
            LEFT JOIN seized z ON z.device = f.device
            WHERE f.ident IN (SELECT ident FROM cand)
            GROUP BY f.ident),
    cats AS (SELECT p.value AS ident, c.value AS category, c.owner FROM ({visible}) AS p
             JOIN ({visible}) AS c ON c.entity_id = p.entity_id
             WHERE p.prop IN ({_listed(HELD_PROPS)}) AND c.prop = 'personCategory'
               AND p.value IN (SELECT ident FROM cand))
    SELECT per.ident, per.kind, per.devices, per.arrivals, per.contacts, per.first,
           per.last, per.dated, per.before,
           array_agg(DISTINCT cats.owner) FILTER (WHERE cats.category IN ({_in(protected)})),
           array_agg(DISTINCT cats.owner) FILTER (WHERE cats.category IN ({_in(accused)}))
    FROM per LEFT JOIN cats ON cats.ident = per.ident
    GROUP BY per.ident, per.kind, per.devices, per.arrivals, per.contacts, per.first,
             per.last, per.dated, per.before
    ORDER BY per.devices DESC, per.arrivals DESC, per.contacts DESC, per.ident"""
    args: list[object] = [*params, min_devices, *protected, *params, *params, *protected,
                          *accused]
    return [_sighting(row) for row in store.con.execute(query, args).fetchall()]


def _owners(value: Any) -> tuple[str, ...]:
    return tuple(sorted(str(v) for v in (value or ()) if v is not None))


def _sighting(row: tuple[Any, ...]) -> Sighting:
    return Sighting(str(row[0]), str(row[1]), int(row[2]), int(row[3]), int(row[4]),
                    None if row[5] is None else str(row[5]),
                    None if row[6] is None else str(row[6]), int(row[7]), int(row[8]),
                    _owners(row[9]), _owners(row[10]))


def saved_names(store: SqlStore, scope: Scope, identifiers: Sequence[str]
                ) -> dict[str, list[tuple[str, str, int]]]:
    """Per identifier: the names its contact entries were saved under on the phones, as
    (name, owning agency, number of devices), most devices first."""
    if not identifiers:
        return {}
    visible, params = scope.relation()
    contacts = "record LIKE '%#/contacts/%'"
    # The identifiers' own rows first, then the names of those entities alone: placing
    # every row of every device first took 5 of 30 s on 5,000 devices.
    query = f"""
    WITH held AS (SELECT DISTINCT {_DEVICE} AS device, entity_id, value AS ident
                  FROM ({visible}) AS s
                  WHERE prop IN ({_in(HELD_PROPS)}) AND value IN ({_in(identifiers)})
                    AND {contacts}),
    n AS (SELECT {_DEVICE} AS device, entity_id, value FROM ({visible}) AS s
          WHERE prop = 'name' AND {contacts}
            AND entity_id IN (SELECT entity_id FROM held))
    SELECT h.ident, n.value, split_part(n.device, '/', 1), count(DISTINCT n.device) AS k
    FROM held h JOIN n ON n.device = h.device AND n.entity_id = h.entity_id
    GROUP BY h.ident, n.value, split_part(n.device, '/', 1)
    ORDER BY h.ident, k DESC, n.value, 3"""
    out: dict[str, list[tuple[str, str, int]]] = {}
    rows = store.con.execute(query, [*params, *HELD_PROPS, *identifiers, *params]).fetchall()
    for ident, name, owner, count in rows:
        out.setdefault(str(ident), []).append((str(name), str(owner), int(count)))
    return out


def devices_of(store: SqlStore, scope: Scope, identifier: str) -> list[tuple[str, str | None]]:
    """The devices (``agency/file``) an identifier was found on, with each device's
    seizure date where the extraction gives one."""
    visible, params = scope.relation()
    query = f"""
    WITH d AS ({_device_rows(visible)}),
    seized AS (SELECT device, min(value) AS day FROM d WHERE prop = 'seizedAt'
               GROUP BY device)
    SELECT DISTINCT d.device, seized.day FROM d LEFT JOIN seized ON seized.device = d.device
    WHERE d.loc <> '/device' AND d.value = ?
      AND d.prop IN ({_in((*HELD_PROPS, *CALL_NUMBERS))})
    ORDER BY d.device"""
    rows = store.con.execute(query, [*params, identifier, *HELD_PROPS, *CALL_NUMBERS])
    return [(str(r[0]), None if r[1] is None else str(r[1])) for r in rows.fetchall()]


__all__ = ["Sighting", "devices_of", "person_categories", "saved_names", "sightings"]
