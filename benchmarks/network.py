"""Network analytics: the published networks, and speed at a million nodes.

Reference results (seconds):
- Montagna (Cavallaro et al. 2020): our removal curves beside the published ones, for
  both networks, sequential and block removal, the four strategies; KPP-Neg k = 5.
- CAVIAR (Morselli): the kingpin ranking and where node 1, the principal trafficker, is.
- Mexico trafficking network: which roles the kingpin score and the brokerage roles put
  on top, with a sentence on what it means.

Speed (minutes), each contender in its own subprocess so its peak RSS is its own:
- ours: all measures (degree, weighted degree, PageRank, eigenvector, sampled betweenness
  with its error, k-core, brokerage) plus Leiden groups and the kingpin score on a
  seeded synthetic graph of 1M nodes and 10M edges (power-law degrees, communities);
- networkx on the same graph, same script, capped at 10 minutes and 12 GB, step by step,
  so whatever did not finish is recorded as such;
- KPP-Neg k = 10 on a 10,000-node graph from the same generator;
- with --compare-libraries: networkit and leidenalg beside igraph (how igraph was chosen).

    .venv/bin/python benchmarks/network.py                        # everything (~20 min)
    .venv/bin/python benchmarks/network.py --nodes 100000 --edges 1000000 --no-networkx
    .venv/bin/python benchmarks/network.py --compare-libraries

Results go to benchmarks/results/network.json (``--output``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
from machine import version

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
OUTPUT = ROOT / "benchmarks" / "results" / "network.json"
TARGET_SECONDS = 180.0
TARGET_RSS_GB = 12.0
KPP_TARGET_SECONDS = 60.0
NETWORKX_CAP_SECONDS = 600
NETWORKX_CAP_GB = 12
PIVOTS = 64


# --------------------------------------------------------------------------------------
# The synthetic graph
# --------------------------------------------------------------------------------------

def synthetic_edges(n: int, m: int, seed: int, community: int = 150,
                    p_intra: float = 0.8, exponent: float = 2.5) -> np.ndarray:
    """m distinct undirected edges on n nodes: Chung-Lu power-law degrees (exponent 2.5,
    hubs capped at sqrt(n)), a share p_intra of ties inside communities of ~`community`
    people. Deterministic for a seed; no self-loops or duplicates."""
    rng = np.random.default_rng(seed)
    fitness = np.minimum(rng.pareto(exponent - 1, n) + 1.0, np.sqrt(n))
    p = fitness / fitness.sum()
    sizes = rng.integers(community // 3, community * 5 // 3, n // (community // 3) + 1)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n) + 1]
    sizes[-1] -= sizes.sum() - n
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    group = np.repeat(np.arange(len(sizes)), sizes)
    keys = np.zeros(0, dtype=np.int64)
    while len(keys) < m:
        batch = int((m - len(keys)) * 1.3) + 1000
        u = rng.choice(n, size=batch, p=p)
        inside = rng.random(batch) < p_intra
        v = rng.choice(n, size=batch, p=p)
        g = group[u[inside]]
        v[inside] = offsets[g] + (rng.random(int(inside.sum())) * sizes[g]).astype(np.int64)
        a, b = np.minimum(u, v), np.maximum(u, v)
        keep = a != b
        keys = np.unique(np.concatenate([keys, a[keep] * n + b[keep]]))
    keys = rng.permutation(keys)[:m]
    return np.column_stack([keys // n, keys % n])


def cached_edges(n: int, m: int, seed: int) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"synthetic_{n}_{m}_{seed}.npy"
    if not path.exists():
        np.save(path, synthetic_edges(n, m, seed))
    return path


# --------------------------------------------------------------------------------------
# Children: each runs in its own process and writes its JSON as it goes
# --------------------------------------------------------------------------------------

class Log:
    """Step timings written to disk after every step, so a killed child leaves a record."""

    def __init__(self, path: Path) -> None:
        self.path, self.data = path, {"steps": {}, "finished": False}
        self.started = time.perf_counter()

    def step(self, name: str, started: float, **extra: Any) -> None:
        self.data["steps"][name] = {"seconds": round(time.perf_counter() - started, 3), **extra}
        self.data["peak_rss_gb"] = round(peak_rss_gb(), 3)
        self.path.write_text(json.dumps(self.data, indent=2, default=str))

    def done(self, **extra: Any) -> None:
        self.data.update(extra, finished=True)
        self.data["peak_rss_gb"] = round(peak_rss_gb(), 3)
        self.path.write_text(json.dumps(self.data, indent=2, default=str))


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def child_ours(edges_path: Path, log: Log, seed: int) -> None:
    from pinchpoint.network import Network, find_groups, rank
    from pinchpoint.network import measures as m
    from pinchpoint.network.brokerage import brokerage
    from pinchpoint.network.kingpin import WEIGHTS, Scores, scale_all, weighted

    edges = np.load(edges_path)
    n = int(edges.max()) + 1
    total = time.perf_counter()
    t = time.perf_counter()
    network = Network.from_arrays([str(i) for i in range(n)], edges[:, 0], edges[:, 1])
    graph = network.simple()
    log.step("build graph", t, nodes=network.n, edges=graph.ecount())
    values: dict[str, Any] = {}
    for name, call in (("degree", m.degree), ("weighted degree", m.strength),
                       ("pagerank", m.pagerank), ("eigenvector", m.eigenvector),
                       ("kcore", m.coreness)):
        t = time.perf_counter()
        values[name] = call(graph)
        log.step(name, t)
    t = time.perf_counter()
    between = m.betweenness(graph, pivots=PIVOTS, seed=seed)
    top = np.argsort(-between.values)[:20]
    log.step("betweenness", t, exact=between.exact, pivots=between.pivots,
             error=between.describe(top))
    t = time.perf_counter()
    groups = find_groups(network, seed=seed, centrality=values["pagerank"])
    log.step("leiden groups", t, groups=len(groups.groups), modularity=groups.modularity)
    t = time.perf_counter()
    broker = brokerage(network, list(groups.membership))
    log.step("brokerage", t)
    t = time.perf_counter()
    parts = {"betweenness": between.values, "brokerage": broker.across(),
             "pagerank": values["pagerank"], "eigenvector": values["eigenvector"],
             "kcore": values["kcore"]}
    shown = scale_all(parts, network.targetable())
    score, shares = weighted(shown, WEIGHTS)
    scores = Scores(parts, score, shares, between, broker, values["degree"],
                    values["weighted degree"], shown)
    ranked = rank(network, scores, top=20, groups=groups.labels())
    log.step("kingpin score and ranking", t, top=[r.id for r in ranked[:5]])
    log.done(total_seconds=round(time.perf_counter() - total, 3))


def child_networkx(edges_path: Path, log: Log, seed: int) -> None:
    import networkx as nx

    edges = np.load(edges_path)
    total = time.perf_counter()
    t = time.perf_counter()
    graph = nx.Graph()
    graph.add_nodes_from(range(int(edges.max()) + 1))
    graph.add_edges_from(edges.tolist())
    del edges
    log.step("build graph", t, nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    steps = [
        ("degree", lambda: dict(graph.degree())),
        ("weighted degree", lambda: dict(graph.degree(weight="weight"))),
        ("pagerank", lambda: nx.pagerank(graph)),
        ("eigenvector", lambda: nx.eigenvector_centrality_numpy(graph)),
        ("kcore", lambda: nx.core_number(graph)),
        ("betweenness", lambda: nx.betweenness_centrality(graph, k=PIVOTS, seed=seed)),
        ("louvain groups", lambda: nx.community.louvain_communities(graph, seed=seed)),
    ]
    for name, call in steps:
        t = time.perf_counter()
        call()
        log.step(name, t)
    log.done(total_seconds=round(time.perf_counter() - total, 3))


def child_kpp(edges_path: Path, log: Log, seed: int) -> None:
    from pinchpoint.network import Network, fragmentation, kpp_neg
    from pinchpoint.network.measures import betweenness

    edges = np.load(edges_path)
    n = int(edges.max()) + 1
    network = Network.from_arrays([str(i) for i in range(n)], edges[:, 0], edges[:, 1])
    graph = network.simple()
    t = time.perf_counter()
    found = kpp_neg(network, 10)
    log.step("kpp_neg k=10", t, fragmentation=found.fragmentation, lcc_ratio=found.lcc_ratio,
             swap_rounds=found.rounds, start_fragmentation=fragmentation(graph))
    top = np.argsort(-betweenness(graph, seed=seed).values, kind="stable")[:10]
    rest = graph.induced_subgraph([v for v in range(n) if v not in set(top.tolist())])
    log.done(static_top10_betweenness_fragmentation=fragmentation(rest),
             nodes=n, edges=graph.ecount())


def child_libraries(edges_path: Path, log: Log, seed: int) -> None:
    """The measurement behind the library choice: igraph, networkit and leidenalg."""
    import random

    import igraph as ig

    edges = np.load(edges_path)
    n = int(edges.max()) + 1
    t = time.perf_counter()
    graph = ig.Graph(n=n)
    graph.add_edges(edges)
    log.step("igraph build", t)
    pivots = np.random.default_rng(seed).choice(n, 16, replace=False).tolist()
    for name, call in (("igraph pagerank", graph.pagerank), ("igraph kcore", graph.coreness),
                       ("igraph betweenness 16 pivots",
                        lambda: graph.betweenness(sources=pivots, directed=False))):
        t = time.perf_counter()
        call()
        log.step(name, t)
    ig.set_random_number_generator(random.Random(seed))
    t = time.perf_counter()
    found = graph.community_leiden(objective_function="modularity", n_iterations=2)
    log.step("igraph leiden", t, modularity=graph.modularity(found.membership))
    try:
        import networkit as nk

        nk.setNumberOfThreads(os.cpu_count() or 1)
        t = time.perf_counter()
        other = nk.Graph(n, weighted=False, directed=False)
        other.addEdges((edges[:, 0].astype(np.uint64), edges[:, 1].astype(np.uint64)))
        log.step("networkit build", t)
        for name, algorithm in (
                ("networkit pagerank", lambda: nk.centrality.PageRank(other)),
                ("networkit kcore", lambda: nk.centrality.CoreDecomposition(other)),
                ("networkit betweenness 16 pivots",
                 lambda: nk.centrality.EstimateBetweenness(other, 16, True, True)),
                ("networkit parallel leiden", lambda: nk.community.ParallelLeiden(other))):
            t = time.perf_counter()
            algorithm().run()
            log.step(name, t)
    except ImportError:
        log.data["networkit"] = "not installed"
    try:
        import leidenalg

        t = time.perf_counter()
        partition = leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition,
                                             seed=seed)
        log.step("leidenalg", t, modularity=partition.modularity)
    except ImportError:
        log.data["leidenalg"] = "not installed"
    log.done()


CHILDREN = {"ours": child_ours, "networkx": child_networkx, "kpp": child_kpp,
            "libraries": child_libraries}


def run_child(name: str, edges_path: Path, seed: int, timeout: int | None = None,
              memory_gb: float | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        log_path = Path(scratch) / "log.json"
        command = [sys.executable, __file__, "--child", name, "--edges-file", str(edges_path),
                   "--log", str(log_path), "--seed", str(seed)]
        if memory_gb:
            command += ["--memory-gb", str(memory_gb)]
        started = time.perf_counter()
        try:
            done = subprocess.run(command, timeout=timeout, capture_output=True, text=True)
            outcome = "finished" if done.returncode == 0 else f"failed: {done.stderr[-400:]}"
        except subprocess.TimeoutExpired:
            outcome = f"did not finish within {timeout} s (killed)"
        result: dict[str, Any] = json.loads(log_path.read_text()) if log_path.exists() else {}
        result["outcome"] = outcome
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        return result


# --------------------------------------------------------------------------------------
# Reference results on published networks
# --------------------------------------------------------------------------------------

DATA = ROOT.parent / "shared" / "data" / "networks"
COLUMNS = {"betweenness": "Betweenness", "katz": "Katz", "ci": "Collective Influence",
           "degree": "Degree"}
MONTAGNA = {"meeting": "meetings_edgelist.csv", "phone_calls": "phonecalls_edgelist.csv"}
MEXICO_ROLES = {"cuidador": "carer", "empresa": "company", "escolta": "escort",
                "estafeta": "courier", "explotador": "exploiter", "funcionario": "official",
                "guia": "guide", "participe": "participant", "raitero": "driver",
                "reclutador": "recruiter", "victima reclutador": "victim-recruiter"}


def montagna() -> dict[str, Any]:
    """Our curves beside the published ones (k = 0..10; raids of 5 up to k = 50)."""
    from pinchpoint.network import kpp_neg, plan, read_edges

    out: dict[str, Any] = {"curves": [], "kpp_neg_k5": {}}
    for name, file in MONTAGNA.items():
        network = read_edges(DATA / "montagna" / file)
        for mode in ("sequential", "block"):
            path = DATA / "montagna" / "published_results" / f"{mode}_{name}_Unweighted.csv"
            with path.open() as handle:
                rows = list(csv.DictReader(handle))[:11]
            for strategy, column in COLUMNS.items():
                tiebreak = "id" if strategy == "ci" else "input"
                found = plan(network, 10 if mode == "sequential" else 50, strategy, mode,
                             tiebreak=tiebreak)
                curve = found.curve if mode == "sequential" else found.curve[::5]
                paper = [float(row[column]) for row in rows]
                out["curves"].append({
                    "network": name, "mode": mode, "strategy": strategy, "tiebreak": tiebreak,
                    "ours": [round(v, 4) for v in curve], "published": [round(v, 4) for v in paper],
                    "max_abs_diff": round(max(abs(a - b) for a, b in zip(curve, paper,
                                                                           strict=True)), 4)})
        started = time.perf_counter()
        found_set = kpp_neg(network, 5)
        static = plan(network, 5, "betweenness", "block")
        out["kpp_neg_k5"][name] = {
            "targets": [network.ids[i] for i in found_set.order],
            "fragmentation": round(found_set.fragmentation, 4),
            "lcc_ratio": round(found_set.lcc_ratio, 4),
            "seconds": round(time.perf_counter() - started, 3),
            "static_top5_betweenness": {"fragmentation": round(static.fragmentation, 4),
                                        "lcc_ratio": round(static.curve[-1], 4)}}
    out["kpp_neg_k5"]["target"] = "meetings: fragmentation >= 0.78, LCC ratio <= 0.43"
    meetings = out["kpp_neg_k5"]["meeting"]
    out["kpp_neg_k5"]["met"] = meetings["fragmentation"] >= 0.78 and meetings["lcc_ratio"] <= 0.43
    return out


def caviar() -> dict[str, Any]:
    from pinchpoint.network import analyse, rank, read_edges

    network = read_edges(DATA / "caviar" / "caviar_full_undirected.csv")
    result = analyse(network)
    ranked = rank(network, result.scores, groups=result.groups.labels())
    return {"node_1_rank": next(r.rank for r in ranked if r.id == "1"),
            "top5": [_short(r) for r in ranked[:5]]}


def _short(entry: Any) -> dict[str, Any]:
    return {"id": entry.id, "label": entry.label, "role": entry.role,
            "score": round(entry.score, 3), "broker_role": entry.broker_role,
            "ingredients": {k: round(v.scaled, 3) for k, v in entry.ingredients.items()}}


def _role(label: str) -> str:
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return MEXICO_ROLES.get(re.sub(r"\s*\d+\s*$", "", plain.strip()), plain)


def _ordinal(place: int | None) -> str:
    if place is None:
        return "-"
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


def _a(word: str | None) -> str:
    return f"{'an' if (word or ' ')[0] in 'aeiou' else 'a'} {word}"


def mexico() -> dict[str, Any]:
    from pinchpoint.network import analyse, brokerage, rank, read_edges, read_nodes

    folder = DATA / "trafficking_mexico"
    network = read_edges(folder / "edges.txt")
    read_nodes(folder / "labels.csv", network)
    network.set_attribute("role", [_role(label or "") for label in network.attribute("label")])
    result = analyse(network)
    ranked = rank(network, result.scores, groups=result.groups.labels())
    role_brokerage = brokerage(network, network.attribute("role"))
    across_roles = role_brokerage.across()
    by_roles = [int(i) for i in np.argsort(-across_roles, kind="stable")[:5]]
    roles = network.attribute("role")
    best: dict[str, int] = {}
    for entry in ranked:
        best.setdefault(entry.role or "", entry.rank)
    first, second, third = (r.role for r in ranked[:3])
    brokers = [roles[i] for i in by_roles[:2]]
    how = role_brokerage.main_role(by_roles[0])
    official = best.get("official")
    sentence = (
        f"The kingpin score puts {_a(first)} first, {_a(second)} a close second and "
        f"{_a(third)} third, and brokerage across functional roles puts the {brokers[0]} and the "
        f"{brokers[1]} on top (chiefly as {how}s, linking people of two other roles); the "
        f"best-placed official ranks only {_ordinal(official)} of {len(ranked)}. So in this "
        "network "
        f"the {first} and the {second} are the hubs that tie recruitment, transport and "
        "exploitation together, the arrests that would break it, whereas the corrupt "
        "officials are connected but not structural hubs: what they give the network "
        "(impunity) is not something a count of ties can see.")
    return {
        "nodes": network.n, "ties": network.simple().ecount(),
        "kingpin_top5": [_short(r) for r in ranked[:5]],
        "brokerage_across_detected_groups_top5": [
            {"label": r.label, "role": r.role,
             "brokerage": r.ingredients["brokerage"].value} for r in sorted(
                ranked, key=lambda r: -r.ingredients["brokerage"].value)[:5]],
        "brokerage_across_roles_top5": [
            {"label": network.label(i), "role": roles[i], "brokerage": float(across_roles[i])}
            for i in by_roles],
        "best_rank_per_role": dict(sorted(best.items(), key=lambda item: item[1])),
        "groups": [{"id": g.id, "name": g.name, "size": g.size, "roles": g.roles}
                   for g in result.groups.groups],
        "sentence": sentence,
    }


def reference_results() -> dict[str, Any]:
    if not DATA.is_dir():
        return {"skipped": f"reference data not found at {DATA}"}
    return {"montagna": montagna(), "caviar": caviar(), "mexico": mexico()}


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------

def machine() -> dict[str, Any]:
    versions = {package: version(package) for package in
                ("igraph", "numpy", "networkx", "networkit", "leidenalg", "pinchpoint")}
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {"nproc": os.cpu_count(), "memory_gb": round(memory, 1),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "platform": platform.platform(), "python": platform.python_version(), **versions}


def speed(args: argparse.Namespace) -> dict[str, Any]:
    t = time.perf_counter()
    big = cached_edges(args.nodes, args.edges, args.seed)
    generated = round(time.perf_counter() - t, 1)
    ours = run_child("ours", big, args.seed)
    stepped = sum(s["seconds"] for s in ours.get("steps", {}).values())
    out: dict[str, Any] = {
        "graph": {"nodes": args.nodes, "edges": args.edges, "seed": args.seed,
                  "generator": "Chung-Lu power law (exponent 2.5) with communities of ~150, "
                               "80% of ties inside", "generation_seconds": generated},
        "ours": ours,
        "targets": {
            "all measures plus groups": {
                "seconds": round(stepped, 1), "target_seconds": TARGET_SECONDS,
                "peak_rss_gb": ours.get("peak_rss_gb"), "target_rss_gb": TARGET_RSS_GB,
                "met": bool(ours.get("finished")) and stepped < TARGET_SECONDS
                and ours.get("peak_rss_gb", 99) < TARGET_RSS_GB}},
    }
    if args.networkx:
        out["networkx"] = run_child("networkx", big, args.seed, NETWORKX_CAP_SECONDS,
                                    NETWORKX_CAP_GB)
        out["networkx"]["cap"] = f"{NETWORKX_CAP_SECONDS} s and {NETWORKX_CAP_GB} GB"
        done = set(out["networkx"].get("steps", {}))
        out["networkx"]["did_not_finish"] = [s for s in (
            "build graph", "degree", "weighted degree", "pagerank", "eigenvector", "kcore",
            "betweenness", "louvain groups") if s not in done]
    small = cached_edges(args.kpp_nodes, args.kpp_edges, args.seed)
    kpp = run_child("kpp", small, args.seed)
    seconds = kpp.get("steps", {}).get("kpp_neg k=10", {}).get("seconds")
    out["kpp"] = kpp
    out["targets"]["kpp_neg k=10 on 10,000 nodes"] = {
        "seconds": seconds, "target_seconds": KPP_TARGET_SECONDS,
        "met": seconds is not None and seconds < KPP_TARGET_SECONDS}
    if args.compare_libraries:
        out["libraries"] = run_child("libraries", big, args.seed)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--kpp-nodes", type=int, default=10_000)
    parser.add_argument("--kpp-edges", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--no-networkx", dest="networkx", action="store_false")
    parser.add_argument("--no-speed", dest="speed", action="store_false",
                        help="Reference results only; keeps the speed section already in "
                        "--output, if any")
    parser.add_argument("--compare-libraries", action="store_true")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--child", choices=sorted(CHILDREN))
    parser.add_argument("--edges-file", type=Path)
    parser.add_argument("--log", type=Path)
    parser.add_argument("--memory-gb", type=float)
    args = parser.parse_args()
    if args.child:
        if args.memory_gb:
            limit = int(args.memory_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        CHILDREN[args.child](args.edges_file, Log(args.log), args.seed)
        return
    results: dict[str, Any] = {
        "benchmark": "network",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "reference": reference_results(),
    }
    if args.speed:
        results["speed"] = speed(args)
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    elif args.output.exists() and "speed" in (old := json.loads(args.output.read_text())):
        results["speed"], results["machine"] = old["speed"], old["machine"]
        results["speed_date"] = old["date"]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print(json.dumps(results.get("speed", {}).get("targets", {}), indent=2))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
