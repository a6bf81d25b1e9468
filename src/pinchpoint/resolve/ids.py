"""Record and judgement ids given by their start, expanded through the reader's scope.

Tables print 40-character record ids (and 32-character judgement ids) by their first
eight or so characters, so that a row fits a terminal and can be read; an analyst types
what they read back into `judge`, `explain`, `undo-judgement` and the like. These
functions turn such a start into the one full id it begins, looking only at what the
scope sees: the records of its own last resolution (kept under its scope key), its
agency's judgements on pairs it sees both sides of, and those shared with its agency. A
prefix therefore never finds, confirms or lists an id the reader could not see in full
anyway.

A text that begins no id is returned as it is, so the caller refuses it as it refuses
any unknown id; one that begins several is refused here, naming them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pinchpoint.resolve.run import ResolveError
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables
from pinchpoint.store.scope import Scope
from pinchpoint.store.sql_store import SqlStore

#: The fewest characters taken as the start of an id: shorter starts name too many.
MIN_PREFIX = 8
LISTED = 5  # matches named in the refusal of an ambiguous start


def expand(text: str, find: Callable[[str], Sequence[str]], kind: str) -> str:
    """The one id that is `text` or begins with it, among the ids `find` gives for that
    start; `text` itself when none does (or it is shorter than MIN_PREFIX, and so looked
    up only as a whole id); ResolveError naming them when several do."""
    if len(text) < MIN_PREFIX:
        return text
    found = find(text)
    if text in found:
        return text
    if len(found) > 1:
        more = f" and {len(found) - LISTED} more" if len(found) > LISTED else ""
        raise ResolveError(f"{text!r} is the start of {len(found)} {kind} ids "
                           f"({', '.join(found[:LISTED])}{more}): give more of it")
    return found[0] if found else text


def expand_records(store: SqlStore, scope: Scope, *texts: str) -> list[str]:
    """Each text as the full id of the person record of the scope's last resolution that
    it begins (`expand`), in order."""
    return [expand(text, lambda start: tables.record_ids(store, scope, start),
                   "person record") for text in texts]


def expand_judgement(store: SqlStore, scope: Scope, text: str, active_only: bool = True
                     ) -> str:
    """`text` as the full id of the judgement the scope sees that it begins (`expand`):
    among the active ones by default, the ones that can be undone."""
    return expand(text, lambda start: [
        j.id for j in store_judgements.judgements(store, scope, active_only)
        if j.id.startswith(start)], "judgement")


def expand_shared(store: SqlStore, scope: Scope, text: str) -> str:
    """`text` as the full id of the judgement shared with the scope's agency that it
    begins (`expand`): among the ones it may adopt, and no others."""
    return expand(text, lambda start: [
        r.judgement.id for r in store_judgements.shared_with(store, scope)
        if r.judgement.id.startswith(start)], "judgement")


__all__ = ["MIN_PREFIX", "expand", "expand_judgement", "expand_records", "expand_shared"]
