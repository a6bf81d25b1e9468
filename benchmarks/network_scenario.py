"""The workspace network on the medium scenario, scored against the generator's truth.

Reads the medium scenario workspace that is already ingested and resolved
(benchmarks/work/medium-resolved; read only), projects it with the demo scope
(`pinchpoint.network.project`), runs the kingpin score and Leiden groups, and compares
with benchmarks/work/medium/truth:

- top 10 of the kingpin ranking: how many are true kingpins or lieutenants (target >= 8),
  counted two ways: "strict", a node is a leader when the majority of its records are a
  true leader's; "home", a node is a leader when it holds most of some true leader's
  records (it is where that leader ended up, even if a namesake was merged into it);
- adjusted Rand index of the Leiden groups against the true crime groups, over the
  nodes whose true person is a group member (target >= 0.8);
- projection wall time, nodes, links by type.

A node's true person is the majority truth id of its cluster's records
(`pinchpoint.demo.truth_map.person_truth`, per record, then a vote per cluster).

    .venv/bin/python benchmarks/network_scenario.py [--workspace W] [--scenario S]

Results go to benchmarks/results/network_scenario.json (``--output``).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import platform
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from pinchpoint.demo.summary import demo_scope
from pinchpoint.demo.truth_map import person_truth
from pinchpoint.network import Link, Network, Node, find_groups, rank, score_network
from pinchpoint.network.kingpin import TOP_QUANTILE, combine
from pinchpoint.network.project import project
from pinchpoint.resolve import resolution_map
from pinchpoint.store import open_workspace

HERE = Path(__file__).resolve().parent
LEADERS = {"kingpin", "lieutenant"}


def adjusted_rand(predicted: list[Any], truth: list[Any]) -> float:
    """ARI from the contingency table (Hubert and Arabie 1985)."""
    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    cells = Counter(zip(predicted, truth, strict=True))
    index = sum(pairs(n) for n in cells.values())
    rows = sum(pairs(n) for n in Counter(predicted).values())
    cols = sum(pairs(n) for n in Counter(truth).values())
    total = pairs(len(truth))
    expected = rows * cols / total if total else 0.0
    top = (rows + cols) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def read_truth(scenario: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Roles and names of true persons, and each member's (first) true group."""
    roles: dict[str, str] = {}
    names: dict[str, str] = {}
    with open(scenario / "truth" / "persons.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            roles[row["id"]] = row["role"]
            names[row["id"]] = row["name"]
    group_of: dict[str, str] = {}
    with open(scenario / "truth" / "groups.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for member in row["members"].split(";"):
                group_of.setdefault(member, row["id"])
    return roles, names, group_of


def node_truth(network: Network, canonical: dict[str, str], entity_truth: dict[str, str]
               ) -> dict[str, str]:
    """Canonical id -> the majority true person of its records."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for entity_id, truth_id in entity_truth.items():
        votes[canonical.get(entity_id, entity_id)][truth_id] += 1
    wanted = set(network.ids)
    return {node: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            for node, c in votes.items() if node in wanted}


def leader_homes(canonical: dict[str, str], entity_truth: dict[str, str],
                 roles: dict[str, str]) -> set[str]:
    """The nodes that hold most of some true kingpin's or lieutenant's records."""
    per_person: dict[str, Counter[str]] = defaultdict(Counter)
    for entity_id, truth_id in entity_truth.items():
        if roles.get(truth_id) in LEADERS:
            per_person[truth_id][canonical.get(entity_id, entity_id)] += 1
    return {min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for c in per_person.values()}


def truth_network_top10(scenario: Path, seed: int) -> dict[str, Any]:
    """The same ranking on the generator's own network (truth/links.csv, every true tie,
    smuggled people as victims): what a perfect ingest, resolution and projection would
    give the kingpin score to work with."""
    with open(scenario / "truth" / "persons.csv", encoding="utf-8", newline="") as fh:
        people = {row["id"]: row for row in csv.DictReader(fh)}
    with open(scenario / "truth" / "links.csv", encoding="utf-8", newline="") as fh:
        links = [Link(row["a"], row["b"], row["kind"], float(row["weight"] or 1))
                 for row in csv.DictReader(fh)]
    used = sorted({end for link in links for end in (link.source, link.target)} & set(people))
    network = Network.from_records(links, [Node(i, people[i]["name"], people[i]["category"],
                                                people[i]["role"]) for i in used])
    groups = find_groups(network, seed=seed)
    ranked = rank(network, score_network(network, groups.labels(), seed=seed), None)
    return {"nodes": network.n, "links": network.m,
            "top10_roles": [r.role for r in ranked[:10]],
            "top10_leaders": sum(1 for r in ranked[:10] if r.role in LEADERS),
            "best_kingpin_rank": min((r.rank for r in ranked if r.role == "kingpin"),
                                     default=None)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, default=HERE / "work" / "medium-resolved")
    parser.add_argument("--scenario", type=Path, default=HERE / "work" / "medium")
    parser.add_argument("--output", type=Path,
                        default=HERE / "results" / "network_scenario.json")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    workspace = open_workspace(args.workspace)
    scope, _ = demo_scope(workspace, args.scenario)
    with workspace.open_store(read_only=True) as store:
        started = time.perf_counter()
        network = project(store, scope)
        projection_s = time.perf_counter() - started
        canonical = resolution_map(store, scope)
        started = time.perf_counter()
        truth_map = person_truth(store, scope, args.scenario)
        truth_s = time.perf_counter() - started
    started = time.perf_counter()
    groups = find_groups(network, seed=args.seed)
    scores = score_network(network, groups.labels(), seed=args.seed)
    top = rank(network, scores, 10, groups.labels())
    analysis_s = time.perf_counter() - started
    roles, names, group_of = read_truth(args.scenario)
    truth = node_truth(network, canonical, truth_map.mapping)
    top_rows = [{"rank": r.rank, "id": r.id, "label": r.label, "score": round(r.score, 4),
                 "truth": truth.get(r.id), "true_name": names.get(truth.get(r.id, ""), None),
                 "true_role": roles.get(truth.get(r.id, ""), None)} for r in top]
    hits = sum(1 for row in top_rows if row["true_role"] in LEADERS)
    homes = leader_homes(canonical, truth_map.mapping, roles)
    for row in top_rows:
        row["home_of_a_leader"] = row["id"] in homes
    home_hits = sum(1 for row in top_rows if row["home_of_a_leader"])
    labels = groups.labels()
    members = [(labels[i], group_of[truth[node]]) for i, node in enumerate(network.ids)
               if node in truth and truth[node] in group_of]
    ari = adjusted_rand([m[0] for m in members], [m[1] for m in members]) if members else 0.0
    leaders_found = {truth[n] for n in network.ids if n in truth and roles.get(truth[n])
                     in LEADERS}
    result = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "workspace": str(args.workspace), "scope": sorted(scope.visible_owners),
        "projection_s": round(projection_s, 2), "analysis_s": round(analysis_s, 2),
        "truth_map_s": round(truth_s, 2),
        "nodes": network.n, "links": network.m,
        "links_by_type": dict(Counter(network.link_attrs.get("type", [])).most_common()),
        "link_weight_by_type": _weights(network),
        "node_categories": dict(Counter(c or "none" for c in network.attribute("category"))),
        "nodes_with_truth": len(truth),
        "true_leaders_in_network": len(leaders_found),
        "top10_leaders": hits, "top10_leader_homes": home_hits, "top10_target": 8,
        "scaling": f"robust top: {TOP_QUANTILE} quantile of the rankable, capped at 1",
        "top10": top_rows,
        "groups_found": len(groups.groups), "modularity": round(groups.modularity, 4),
        "ari_members": round(ari, 4), "ari_items": len(members), "ari_target": 0.8,
        "true_groups": len(set(group_of.values())),
        "leader_ranks": _leader_ranks(network, scores, truth, roles),
        "top10_leaders_by_single_ingredient": _by_ingredient(network, scores, truth, roles),
        "truth_network_reference": truth_network_top10(args.scenario, args.seed),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "top10"}, indent=2))
    for row in top_rows:
        print(row)


def _leader_ranks(network: Network, scores: Any, truth: dict[str, str],
                  roles: dict[str, str]) -> dict[str, list[int]]:
    """Where the nodes of true kingpins and lieutenants are in the full ranking."""
    out: dict[str, list[int]] = {"kingpin": [], "lieutenant": []}
    for entry in rank(network, scores):
        role = roles.get(truth.get(entry.id, ""), "")
        if role in out:
            out[role].append(entry.rank)
    return {role: places[:20] for role, places in out.items()}


def _by_ingredient(network: Network, scores: Any, truth: dict[str, str],
                   roles: dict[str, str]) -> dict[str, int]:
    """Diagnosis, not tuning: the top-10 leader count if one ingredient ranked alone."""
    out = {}
    for name in scores.values:
        alone = {k: 1.0 if k == name else 0.0 for k in scores.values}
        score, shares = combine(scores.values, alone, network.targetable())
        ranked = rank(network, dataclasses.replace(scores, score=score, weights=shares), 10)
        out[name] = sum(1 for r in ranked if roles.get(truth.get(r.id, ""), "") in LEADERS)
    return out


def _weights(network: Network) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for kind, weight in zip(network.link_attrs.get("type", []), network.weight, strict=True):
        out[str(kind)] += float(weight)
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


if __name__ == "__main__":
    main()
