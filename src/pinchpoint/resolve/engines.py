"""Where Splink runs: DuckDB in this process (the default) or Spark (``--engine spark``).

Both engines run the same model: the comparisons are written once against a
:class:`~pinchpoint.resolve.comparisons.Dialect`; the blocks and term frequencies are
computed in the scratch DuckDB connection and handed over as tables; the model is trained
there too (on bounded samples: Splink's random sampling differs between backends, so two
engines training apart would disagree) and Spark scores every blocked pair with it. Only
Splink's database API differs: the pairs come back to this process (Spark writes them as
parquet to its checkpoint folder and this process reads them: collected through the
driver, the 12M pairs of a million records overran a 4 GB driver), are stored through
:mod:`pinchpoint.store.resolution` and clustered by :mod:`pinchpoint.resolve.cluster`.

Spark never downloads anything: the similarity functions come from the jar inside the
Splink package, the UI is off and its scratch files go to the workspace's ``.tmp``.
Settings, from the environment: ``PINCHPOINT_SPARK_DRIVER_MEMORY`` (default ``4g``; on
``local[N]`` the executors live in the driver), ``PINCHPOINT_SPARK_EXECUTOR_MEMORY`` (a
cluster's executors), ``PINCHPOINT_SPARK_PARTITIONS`` (shuffle partitions, default 8;
raise it with the cluster's cores), ``PINCHPOINT_SPARK_LINEAGE`` (how Splink cuts long
query plans: ``persist``, the default, keeps intermediate tables in executor memory,
spilling to local disk; ``parquet`` writes them to ``PINCHPOINT_SPARK_CHECKPOINT_DIR``,
by default under ``.tmp``, which on a cluster must be storage every worker reaches).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENGINES = ("duckdb", "spark")
DEFAULT_MASTER = "local[*]"
#: The master URLs Spark accepts; anything else is a typo, refused before the JVM starts.
_MASTER = re.compile(r"local(\[(\d+|\*)(,\s*\d+)?\])?|spark://\S+:\d+(,\S+:\d+)*|yarn"
                     r"|k8s://\S+|mesos://\S+")


class EngineError(RuntimeError):
    """The engine cannot start (unknown engine, bad master URL, no Java or pyspark)."""


@dataclass(frozen=True)
class Engine:
    """The engine a run scores pairs with; ``spark`` is the session for ``spark``."""

    name: str = "duckdb"
    spark: Any = None
    scratch: str = ""  # where Spark writes what comes back (the checkpoint folder)

    @property
    def dialect(self) -> str:
        return self.name


DUCKDB = Engine()


def check(name: str, master: str | None) -> None:
    """Refuse an unknown engine, a master without Spark, or a malformed master URL."""
    if name not in ENGINES:
        raise EngineError(f"unknown engine {name!r}: use one of {', '.join(ENGINES)}")
    if master is None:
        return
    if name != "spark":
        raise EngineError("--spark-master needs --engine spark")
    if not _MASTER.fullmatch(master):
        raise EngineError(f"{master!r} is not a Spark master URL: use local[N], "
                          "spark://host:7077, yarn or k8s://https://host:port")


def _setting(name: str, default: str) -> str:
    return os.environ.get(f"PINCHPOINT_SPARK_{name}", default)


def spark_session(master: str, tmp: Path) -> Any:
    """A Spark session for Splink (the running one if this process has one)."""
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as exc:  # pragma: no cover - pyspark is a dependency
        raise EngineError(f"the Spark engine needs pyspark ({exc})") from None
    tmp.mkdir(parents=True, exist_ok=True)
    builder = (SparkSession.builder.master(master).appName("pinchpoint-resolve")
               .config("spark.jars", similarity_jar_location())
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.local.dir", str(tmp / "spark-local"))
               .config("spark.sql.warehouse.dir", str(tmp / "spark-warehouse"))
               .config("spark.jars.ivy", str(tmp / "ivy"))
               .config("spark.driver.memory", _setting("DRIVER_MEMORY", "4g"))
               .config("spark.sql.shuffle.partitions", _setting("PARTITIONS", "8"))
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    if master.startswith("local"):
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    if executor_memory := _setting("EXECUTOR_MEMORY", ""):
        builder = builder.config("spark.executor.memory", executor_memory)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM's reasons arrive as many kinds of error
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise EngineError(f"cannot start Spark at {master}: {first} (is Java installed "
                          "and the master reachable?)") from None
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(scratch(tmp))
    return session


def scratch(tmp: Path) -> str:
    """Spark's checkpoint folder, where the kept pairs are written for this process to
    read (on a cluster, storage every worker and the driver reach)."""
    return _setting("CHECKPOINT_DIR", str(tmp / "spark-checkpoints"))


@contextmanager
def opened(name: str, master: str | None, tmp: Path) -> Iterator[Engine]:
    """The engine for one run; a Spark session this run started is stopped after it."""
    check(name, master)
    if name == "duckdb":
        yield DUCKDB
        return
    from pyspark.sql import SparkSession

    had = SparkSession.getActiveSession() is not None
    session = spark_session(master or DEFAULT_MASTER, tmp)
    try:
        yield Engine("spark", session, scratch(tmp))
    finally:
        if not had:
            session.stop()
