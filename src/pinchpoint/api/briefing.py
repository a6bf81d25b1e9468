"""A briefing pack of one person as PDF (issue 19, item 6: "export and briefing").

The pack is built only from what the caller's scope sees: the profile's summary (names
with counts, key facts, group, score, as `GET /api/entities/{id}` answers), a chart of
the person's neighbourhood (an SVG drawn here, names as labels) and a disruption plan of
the person's group (shielded as `POST /api/network/plan` is: no victim, witness or person
whose details are withheld is ever proposed).

Every page carries the protective marking: the highest classification among the
statements the pack draws on, with their handling codes and conditions, in the page's
header and footer (CSS `@page` margin boxes), so a page torn out still says how it must
be handled. WeasyPrint renders it without the network: every URL is refused and fonts
come from the system.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

import numpy as np

from pinchpoint.api.deps import Session
from pinchpoint.api.entities import profile
from pinchpoint.api.routes_entities import profile_with_summary
from pinchpoint.api.routes_network import (
    analysis_of,
    ego_graph,
    network_of,
    never_targets,
    unnamed_labels,
)
from pinchpoint.model.handling import CLASSIFICATION_ORDER
from pinchpoint.network import Network, NetworkError, plan
from pinchpoint.network.compare import shielded

MAX_NEIGHBOURS = 24  # more labels than this do not fit the chart's circle
PLAN_TARGETS = 5


def pack(session: Session, entity_id: str) -> tuple[str, bytes] | None:
    """The pack of `entity_id` as (label, PDF bytes); None when the caller sees nothing
    of it."""
    found = profile_with_summary(session, entity_id)
    if found is None:
        return None
    return str(found["label"]), render(briefing_html(session, found))


def render(html: str) -> bytes:
    """HTML to PDF, offline."""
    # Imported here: Pango loads once a pack is asked for, not when the API starts.
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    offline = URLFetcher(allowed_protocols=())  # every URL refused (left out, with a warning)
    pdf: bytes = HTML(string=html, url_fetcher=offline).write_pdf()
    return pdf


def briefing_html(session: Session, found: dict[str, Any]) -> str:
    """The pack's HTML: summary, neighbourhood chart and plan, marked on every page."""
    canon = str(found["id"])
    shown = {canon}
    chart, plan_rows, plan_note = "<p>Not in the network.</p>", "", ""
    network_summary = found["summary"].get("network", {})
    if network_summary.get("status") == "ranked":
        network = network_of(session)
        i = network.index(canon)
        neighbours = _neighbours(session, network, i)
        shown.update(network.ids[j] for j in neighbours)
        targets, plan_note = _group_plan(session, network, i)
        shown.update(t["id"] for t in targets)
        names = _names(session, network, [i, *neighbours], [t["id"] for t in targets])
        chart = neighbourhood_svg(names[canon], [names[network.ids[j]] for j in neighbours])
        plan_rows = "".join(
            f"<tr><td>{t['step']}</td><td>{escape(names[t['id']])}</td><td>{t['ties']}</td>"
            f"<td>{t['lcc_after']:.0%}</td></tr>" for t in targets)
        network_summary["group"] = group = dict(network_summary.get("group") or {})
        for person, label in names.items():  # a group is named by its heads: never by id
            group["name"] = str(group.get("name", "")).replace(person, label)
    marking, conditions = _marking(session, found, shown - {canon})
    return _page(found, marking, conditions, chart, plan_rows, plan_note)


def _names(session: Session, network: Network, nodes: list[int], ids: list[str]
           ) -> dict[str, str]:
    """Each person's label; one the records give no name is its phone number or e-mail
    (`unnamed_labels`), never its id (issue 19)."""
    names = {network.ids[j]: network.label(j) for j in nodes}
    names.update({person: network.label(network.index(person)) for person in ids})
    unnamed = sorted(person for person, label in names.items() if label == person)
    return {**names, **(unnamed_labels(session, unnamed) if unnamed else {})}


def _neighbours(session: Session, network: Network, i: int) -> list[int]:
    graph, _wanted = ego_graph(session.store, session.scope, session.generation,
                               (None, None), network, None)
    near = sorted(set(graph.neighbors(i)) - {i}, key=lambda j: network.label(j))
    return [int(j) for j in near[:MAX_NEIGHBOURS]]


def _group_plan(session: Session, network: Network, i: int) -> tuple[list[dict[str, Any]], str]:
    """The plan of the person's group, as the plan endpoint shields it: the group's
    members and links only, nobody protected proposed."""
    result = analysis_of(session, network, None, None)
    membership = np.asarray(result.groups.membership)
    members = np.flatnonzero(membership == membership[i])
    sub = subnetwork(network, members)
    guarded = shielded(sub, never_targets(session, network)[members])
    k = min(PLAN_TARGETS, int(guarded.targetable().sum()))
    if k == 0:
        return [], "Nobody in this group may be proposed as a target."
    try:
        found = plan(guarded, k)
    except NetworkError as exc:
        return [], f"No plan: {exc}"
    return found.to_dict()["target_details"], ""


def subnetwork(network: Network, members: np.ndarray) -> Network:
    """`network` kept to `members` (node indices) and the links between them."""
    where = np.full(network.n, -1, dtype=np.int64)
    where[members] = np.arange(len(members))
    keep = np.flatnonzero((where[network.src] >= 0) & (where[network.dst] >= 0))
    nodes = {k: [v[m] for m in members] for k, v in network.node_attrs.items() if v}
    links = {k: [v[e] for e in keep] for k, v in network.link_attrs.items() if v}
    return Network([network.ids[m] for m in members], where[network.src[keep]],
                   where[network.dst[keep]], network.weight[keep], nodes, links,
                   network.directed)


def _marking(session: Session, found: dict[str, Any], others: set[str]
             ) -> tuple[str, list[str]]:
    """The highest classification and every handling code with its conditions, over
    the person's statements and those behind each other name the pack shows."""
    banners = [found["banners"]]
    for other in sorted(others):
        seen = profile(session.store, session.scope, other)
        if seen is not None:
            banners.append(seen["banners"])
    order = {c.value: n for n, c in enumerate(CLASSIFICATION_ORDER)}
    marking = max((b["classification"] for b in banners), key=lambda c: order.get(c, 0))
    conditions = sorted({f"{h['code']}: {h['conditions']}" if h["conditions"] else h["code"]
                         for b in banners for h in b["handling"] if h["code"]})
    return marking, conditions


def neighbourhood_svg(centre: str, names: list[str]) -> str:
    """The person in the middle, each neighbour on a circle around, a line to each."""
    size, radius = 520, 190
    mid = size / 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
             f'viewBox="0 0 {size} {size}" font-family="sans-serif" font-size="10">']
    spots = []
    for n, name in enumerate(names):
        angle = 2 * math.pi * n / max(len(names), 1) - math.pi / 2
        x, y = mid + radius * math.cos(angle), mid + radius * math.sin(angle)
        spots.append((x, y, name))
        parts.append(f'<line x1="{mid}" y1="{mid}" x2="{x:.1f}" y2="{y:.1f}" '
                     'stroke="#999" stroke-width="1"/>')
    for x, y, name in spots:
        anchor = "start" if x > mid + 1 else "end" if x < mid - 1 else "middle"
        dx = 8 if anchor == "start" else -8 if anchor == "end" else 0
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#4a7"/>'
                     f'<text x="{x + dx:.1f}" y="{y + 3:.1f}" text-anchor="{anchor}">'
                     f'{escape(name[:40])}</text>')
    parts.append(f'<circle cx="{mid}" cy="{mid}" r="9" fill="#c33"/>'
                 f'<text x="{mid}" y="{mid + 24}" text-anchor="middle" font-weight="bold">'
                 f'{escape(centre[:40])}</text></svg>')
    return "".join(parts)


def _css_string(text: str) -> str:
    """Text as a CSS string literal (the margin boxes' `content`)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _page(found: dict[str, Any], marking: str, conditions: list[str], chart: str,
          plan_rows: str, plan_note: str) -> str:
    summary = found["summary"]
    net = summary.get("network", {})
    banner = " | ".join([marking, *conditions])
    names = "".join(f"<li>{escape(str(n.get('value', n)))} ({n.get('count', '')})</li>"
                    if isinstance(n, dict) else f"<li>{escape(str(n))}</li>"
                    for n in summary.get("names", []))
    facts = "".join(
        f"<tr><th>{escape(f['label'])}</th><td>"
        + "; ".join(f"{escape(str(v['text'] or v['value']))} ({v['count']})"
                    for v in f["values"]) + "</td></tr>"
        for f in summary.get("facts", []))
    group = net.get("group") or {}
    standing = (f"<p>Group: {escape(str(group.get('name', '')))} ({group.get('size', '')} "
                f"people). Score: {net['score']:.3f}. Place: {net.get('rank') or '-'} of "
                f"{net.get('ranked', '')}.</p>" if net.get("status") == "ranked"
                and net.get("score") is not None
                else f"<p>Network: {escape(str(net.get('status', 'unknown')))}.</p>")
    plan_table = (f"<table><tr><th>Step</th><th>Target</th><th>Ties</th>"
                  f"<th>Largest part left</th></tr>{plan_rows}</table>" if plan_rows
                  else f"<p>{escape(plan_note or 'No plan.')}</p>")
    mark = _css_string(banner)
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 28mm 16mm;
  @top-center {{ content: {mark}; font: bold 9pt sans-serif; color: #a00; }}
  @bottom-center {{ content: {mark}; font: bold 9pt sans-serif; color: #a00; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; }}
}}
body {{ font: 10pt sans-serif; }} h1 {{ font-size: 16pt; }} h2 {{ font-size: 12pt; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #ccc; padding: 2px 6px;
  text-align: left; vertical-align: top; }}
.chart {{ page-break-before: always; }} .plan {{ page-break-before: always; }}
</style></head><body>
<h1>Briefing pack: {escape(str(found['label']))}</h1>
<p>{escape(str(found.get("schema", "")))}; its records ingested
{escape(str(found.get("first_seen", "")))} to {escape(str(found.get("last_seen", "")))}.</p>
{standing}
<h2>Names</h2><ul>{names}</ul>
<h2>Key facts</h2><table>{facts}</table>
<section class="chart"><h2>Network: who the person is linked to</h2>{chart}</section>
<section class="plan"><h2>Disruption plan of the person's group</h2>{plan_table}
<p>Victims, witnesses and people whose details are withheld are never proposed.</p>
</section></body></html>"""
