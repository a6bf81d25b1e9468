"""Quarantine rows carry their batch's classification and handling (issue 14, finding
3); a store made before they did still reads, its rows as SECRET."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pinchpoint.model.reader import Clearance, Reader, Role
from pinchpoint.store.duckdb_store import BatchMeta, DuckDBStore
from pinchpoint.store.records import QuarantineItem
from pinchpoint.store.schema_sql import batch_fingerprint
from pinchpoint.store.scope import Scope

PROVENANCE = {"source": "tips", "owner": "NCA", "source_grade": "1", "info_grade": "A",
              "grade_original": "1A", "handling": "H1", "handling_conditions": None,
              "classification": "OFFICIAL-SENSITIVE"}


def _write(store: DuckDBStore) -> None:
    stage = store.stage(batch_fingerprint(PROVENANCE))
    stage.add_quarantine([QuarantineItem("tips.csv", 2, None, "amount", "12,5O", "not a "
                                         "number", False)])
    stage.commit(BatchMeta(id="b1", kind="csv", path="/data/tips.csv", file_hash="0" * 64,
                           user="ann", reason="test", started_at=datetime(2024, 1, 1),
                           rows_read=1, rows_stored=0, rows_rejected=0, **PROVENANCE))


def _scope(clearance: Clearance) -> Scope:
    return Scope("NCA", frozenset({"NCA"}), Reader("ann", "NCA", Role.ANALYST, clearance))


def test_rows_are_read_under_their_batch_markings(tmp_path: Path) -> None:
    with DuckDBStore(tmp_path / "s.duckdb") as store:
        _write(store)
        [row] = store.quarantine(_scope(Clearance.SECRET))
        assert (row.classification, row.handling) == ("OFFICIAL-SENSITIVE", "H1")
        assert store.quarantine(_scope(Clearance.OFFICIAL_SENSITIVE)) == [row]
        assert store.quarantine(_scope(Clearance.OFFICIAL)) == []
        assert store.counts(_scope(Clearance.OFFICIAL)).quarantined == 0
        assert store.quarantine(_scope(Clearance.SECRET).for_court()) == []


def test_a_store_made_before_the_markings_reads_its_rows_as_secret(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with DuckDBStore(path) as store:
        _write(store)
        for column in ("classification", "handling"):
            store.con.execute(f"ALTER TABLE quarantine DROP COLUMN {column}")
    with DuckDBStore(path, read_only=True) as old:
        assert [q.classification for q in old.quarantine(Scope.owner("NCA"))] == [None]
        assert len(old.quarantine(_scope(Clearance.SECRET))) == 1
        assert old.quarantine(_scope(Clearance.OFFICIAL_SENSITIVE)) == []
    with DuckDBStore(path) as migrated:  # opened for writing: the columns are added
        assert old_columns(migrated) >= {"classification", "handling"}
        assert migrated.counts(_scope(Clearance.OFFICIAL_SENSITIVE)).quarantined == 0


def old_columns(store: DuckDBStore) -> set[str]:
    return {str(r[0]) for r in store.con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'quarantine'").fetchall()}
