"""A query that needs more memory than the store may use is one sentence saying how to
give it more, never a traceback or DuckDB's advice about its own settings (resolving the
large scenario's 1.9M person records under the 2 GB default hit this)."""

from __future__ import annotations

import duckdb
import pytest
import typer

from pinchpoint.cli.common import user_errors


def test_running_out_of_memory_is_one_sentence(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PINCHPOINT_MEMORY_LIMIT", "1MB")
    con = duckdb.connect(config={"memory_limit": "1MB", "threads": 1})
    with pytest.raises(typer.Exit) as stopped, user_errors():
        con.execute("SELECT i % 100000 AS k, string_agg(i::VARCHAR, ',' ORDER BY i) "
                    "FROM range(3000000) t(i) GROUP BY k").fetchall()
    assert stopped.value.exit_code == 2
    said = capsys.readouterr().err
    assert said.startswith("error: the store ran out of memory (DuckDB may use 1MB)")
    assert "PINCHPOINT_MEMORY_LIMIT=8GB" in said
    assert "SET threads" not in said and "Traceback" not in said
