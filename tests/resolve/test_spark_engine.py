"""``resolve --engine spark``: the same model and clustering through Splink's Spark
backend, on ``local[2]``. One Spark session serves the whole module (the JVM's start-up
is most of a small run); resolve() finds it running and leaves it running."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import LEDGER_HEADER, many_ledger_rows, write_csv
from resolve_helpers import Resolved
from typer.testing import CliRunner

from pinchpoint.cli import app
from pinchpoint.ingest.run import ingest_file
from pinchpoint.ingest.source import IngestOptions
from pinchpoint.resolve import ResolveError, ResolveOptions, engines, resolution_map, resolve
from pinchpoint.resolve.comparisons import DUCKDB, SPARK, comparisons
from pinchpoint.resolve.explain import explain
from pinchpoint.resolve.model import settings, translate
from pinchpoint.store import Scope, Workspace, init_workspace
from pinchpoint.store import resolution as tables

pytest_plugins = ["resolve_fixtures"]

pytest.importorskip("pyspark")
pytestmark = [pytest.mark.spark,
              pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime")]

MASTER = "local[2]"


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    session = engines.spark_session(MASTER, tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


SPARK_RUN = ResolveOptions(full=True, engine="spark", spark_master=MASTER)


@pytest.mark.slow
def test_spark_and_duckdb_give_the_same_entities(resolved: Resolved, tmp_path: Path,
                                                 spark: Any) -> None:
    ws = resolved.copy(tmp_path)
    with ws.open_store() as store:
        report = resolve(store, resolved.scope, SPARK_RUN)
        on_spark = resolution_map(store, resolved.scope)
        model = tables.model(store, resolved.scope)
        left, right, _ = max(tables.pairs(store, resolved.scope), key=lambda p: p[2])
        found = explain(store, resolved.scope, left, right)
    with resolved.workspace.open_store(read_only=True) as store:
        on_duckdb = resolution_map(store, resolved.scope)
        duckdb_model = tables.model(store, resolved.scope)
    assert report.mode == "full"
    assert report.pairs_scored == resolved.report.pairs_scored
    assert report.clusters == resolved.report.clusters
    assert on_spark == on_duckdb
    # The stored model is the one DuckDB trains, in DuckDB's SQL: explain reads it.
    assert model is not None and duckdb_model is not None
    assert model["comparisons"] == duckdb_model["comparisons"]
    assert found.match_probability > 0.5


@pytest.mark.slow
def test_an_incremental_run_on_spark_scores_the_new_records(resolved: Resolved,
                                                            tmp_path: Path,
                                                            spark: Any) -> None:
    ws = resolved.copy(tmp_path)
    ledger = write_csv(tmp_path / "late.csv", LEDGER_HEADER, many_ledger_rows(3, 900))
    ingest_file(ws, "ledger", ledger, IngestOptions(owner="NCA"))
    with ws.open_store() as store:
        report = resolve(store, resolved.scope,
                         ResolveOptions(engine="spark", spark_master=MASTER))
    assert report.mode == "incremental" and report.new_records > 0
    assert report.records > resolved.report.records


@pytest.fixture
def tiny(tmp_path: Path) -> Workspace:
    """Two copies of one ledger from two sources: every person twice (120 records)."""
    ws = init_workspace(tmp_path / "ws", agency="NCA")
    for name in ("ledger-a.csv", "ledger-b.csv"):
        ledger = write_csv(tmp_path / name, LEDGER_HEADER, many_ledger_rows(30))
        ingest_file(ws, "ledger", ledger, IngestOptions(owner="NCA"))
    return ws


def _cli(ws: Workspace, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--workspace", str(ws.path), *args])
    return result.exit_code, result.output


def test_cli_resolves_on_spark(tiny: Workspace, spark: Any) -> None:
    code, out = _cli(tiny, "resolve", "--engine", "spark", "--spark-master", MASTER,
                     "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["mode"] == "full" and report["pairs_scored"] > 0
    assert report["clusters"] < report["records"]
    with tiny.open_store(read_only=True) as store:
        on_spark = resolution_map(store, Scope("NCA", frozenset()))
    code, again = _cli(tiny, "resolve", "--full", "--json")
    assert code == 0, again
    with tiny.open_store(read_only=True) as store:
        assert resolution_map(store, Scope("NCA", frozenset())) == on_spark


@pytest.mark.parametrize(("args", "message"), [
    (["--engine", "spark", "--spark-master", "nonsense"], "is not a Spark master URL"),
    (["--engine", "spark", "--spark-master", "spark://host"], "is not a Spark master URL"),
    (["--engine", "hadoop"], "unknown engine"),
    (["--spark-master", "local[2]"], "--spark-master needs --engine spark"),
])
def test_cli_refuses_a_bad_engine_or_master_in_one_sentence(tiny: Workspace, args: list[str],
                                                            message: str) -> None:
    code, out = _cli(tiny, "resolve", *args)
    assert code == 2, out
    assert message in out and "Traceback" not in out


def test_the_library_refuses_a_bad_master_before_starting_spark(tiny: Workspace) -> None:
    with tiny.open_store() as store, pytest.raises(ResolveError, match="master URL"):
        resolve(store, Scope("NCA", frozenset()),
                ResolveOptions(engine="spark", spark_master="local[two]"))


def test_spark_levels_are_the_duckdb_levels_in_spark_sql() -> None:
    duck, spark_levels = comparisons(DUCKDB), comparisons(SPARK)
    assert [c["output_column_name"] for c in duck] == [
        c["output_column_name"] for c in spark_levels]
    text = json.dumps(spark_levels)
    for duckdb_only in ("list_intersect", "list_concat", "list_filter", "lambda k",
                        "jaro_winkler_similarity", "[1]"):
        assert duckdb_only not in text
    model = settings()
    back = translate(translate(model, "spark"), "duckdb")
    assert back.pop("sql_dialect") == "duckdb"
    assert back == model
