"""What goes into a disclosure package: the rule, kept below the CLI and the API.

Nobody passes on what they cannot read, and nobody receives what they may not see: a
package holds the statements both the exporting user and the recipient agency may see,
each value in the more redacted of its two versions. Europol H2 statements of other
owners are never re-disseminated, whatever the grants say.
"""

from __future__ import annotations

from collections.abc import Iterator

from pinchpoint.store.base import StatementStore
from pinchpoint.store.records import Statement
from pinchpoint.store.scope import REDACTED, REDISSEMINATION_FORBIDDEN, Scope


def package_statements(store: StatementStore, exporter: Scope, recipient: Scope
                       ) -> list[Statement]:
    """The statements to disclose from `exporter`'s view to `recipient`'s (see above)."""
    seen: set[str] = set()
    redacted: dict[str, Statement] = {}  # the exporter's own view, where it is redacted
    for st in _statements(store, exporter):
        seen.add(st.id)
        if st.value == REDACTED:
            redacted[st.id] = st
    return [redacted.get(st.id, st) for st in _statements(store, recipient)
            if st.id in seen and (st.owner == exporter.agency
                                  or st.handling != REDISSEMINATION_FORBIDDEN)]


def _statements(store: StatementStore, scope: Scope) -> Iterator[Statement]:
    for group in store.iter_entities(scope):
        yield from group
