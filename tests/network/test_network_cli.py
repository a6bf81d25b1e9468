"""`pinchpoint network ...` through Typer's CliRunner, on the sub-app itself."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from pinchpoint.cli.network import network_app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(network_app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def meetings(networks: Path) -> str:
    return str(networks / "montagna" / "meetings_edgelist.csv")


@pytest.fixture
def caviar(networks: Path) -> str:
    return str(networks / "caviar" / "caviar_full_undirected.csv")


def test_rank_json_is_a_list_best_first(caviar: str) -> None:
    code, out, _ = run("rank", "--edges", caviar, "--top", "5", "--json")
    assert code == 0
    ranked = json.loads(out)
    assert ranked[0]["id"] == "1" and len(ranked) == 5
    scores = [r["score"] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert set(ranked[0]["ingredients"]) == {"betweenness", "brokerage", "pagerank",
                                             "eigenvector", "kcore"}


def test_rank_table(caviar: str) -> None:
    code, out, _ = run("rank", "--edges", caviar, "--top", "3")
    assert code == 0 and "kingpin score" in out and "exact (Brandes)" in out


def test_plan_json(meetings: str) -> None:
    code, out, _ = run("plan", "--k", "5", "--edges", meetings, "--strategy", "betweenness",
                       "--mode", "block", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["curve"][0] == 1.0 and len(result["curve"]) == 6
    assert round(result["curve"][5], 3) == 0.837
    assert len(result["targets"]) == 5 and all(isinstance(t, str) for t in result["targets"])


def test_plan_table_with_rewiring(meetings: str) -> None:
    code, out, _ = run("plan", "--k", "3", "--edges", meetings, "--rewire")
    assert code == 0 and "without healing" in out and "LCC curve: 1.000" in out


def test_groups_json(caviar: str) -> None:
    code, out, _ = run("groups", "--edges", caviar, "--json", "--seed", "3")
    assert code == 0
    result = json.loads(out)
    assert result["seed"] == 3 and result["groups"][0]["id"] == "G1"
    assert sum(g["size"] for g in result["groups"]) == 110
    assert json.loads(run("groups", "--edges", caviar, "--json", "--seed", "3")[1]) == result


def test_path_json_and_text(tmp_path: Path) -> None:
    edges = tmp_path / "t.csv"
    edges.write_text("source,target,type,evidence,first_seen\n"
                     "a,b,call,c1,2024-01-01\nb,c,payment,p1;p2,2024-01-02\n", encoding="utf-8")
    code, out, _ = run("path", "a", "c", "--edges", str(edges), "--json")
    assert code == 0
    [path] = json.loads(out)
    assert path["nodes"] == ["a", "b", "c"]
    assert path["hops"][1]["links"][0]["evidence"] == ["p1", "p2"]
    code, out, _ = run("path", "a", "c", "--edges", str(edges), "--time-order")
    assert code == 0 and "on 2024-01-02" in out and "[p1, p2]" in out
    code, _, err = run("path", "c", "a", "--edges", str(edges), "--time-order")
    assert code == 2 and "no time-ordered path" in err


def test_export_formats(meetings: str, tmp_path: Path) -> None:
    code, out, _ = run("export", "--edges", meetings, "--format", "gexf")
    assert code == 0 and out.startswith("<?xml")
    target = tmp_path / "m.graphml"
    assert run("export", "--edges", meetings, "--out", str(target))[0] == 0
    graph = nx.read_graphml(target)
    assert graph.number_of_nodes() == 101 and "kingpin" in graph.nodes["18"]
    assert run("export", "--edges", meetings, "--format", "csv",
               "--out", str(tmp_path / "csv"))[0] == 0
    assert (tmp_path / "csv" / "nodes.csv").exists()
    code, out, _ = run("export", "--edges", meetings, "--format", "csv", "--no-measures")
    assert code == 0 and out.splitlines()[0] == "source,target,weight"


@pytest.mark.parametrize("command", [["rank"], ["groups"], ["plan", "--k", "2"],
                                     ["path", "a", "b"], ["export"]])
def test_workspace_mode_needs_a_workspace(command: list[str], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from pinchpoint.cli import app

    monkeypatch.chdir(tmp_path)
    # Through the main command, so no --workspace from an earlier test lingers.
    result = runner.invoke(app, ["network", *command])
    assert result.exit_code == 2
    assert "not a Pinchpoint workspace" in result.stderr and "Traceback" not in result.stderr


def test_user_errors_are_one_sentence(meetings: str, tmp_path: Path) -> None:
    code, _, err = run("plan", "--k", "2", "--edges", meetings, "--strategy", "luck")
    assert code == 2 and err.startswith("error: unknown strategy 'luck'")
    code, _, err = run("rank", "--edges", str(tmp_path / "none.txt"))
    assert code == 2 and "cannot read" in err
    code, _, err = run("export", "--edges", meetings, "--format", "pdf")
    assert code == 2 and "unknown format" in err
    code, _, err = run("rank", "--edges", meetings, "--across", "country")
    assert code == 2 and "no node attribute 'country'" in err
