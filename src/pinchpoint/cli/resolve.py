"""`pinchpoint resolve | judge | undo-judgement | judgements | share-judgement |
judgement-shares | withdraw-judgement-share | adopt-judgement | explain | review` and
`pinchpoint export resolution`: thin Typer wrappers around `pinchpoint.resolve`.

Every command works in the reader's scope (`open_session`), with the resolution tables
of that scope made first, and logs what it changes in the audit log.
"""

from __future__ import annotations

import csv
import dataclasses
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

from pinchpoint.cli.common import (
    Session,
    WideOption,
    console,
    err,
    open_session,
    print_json,
    progress,
    table,
    user_errors,
)
from pinchpoint.cli.tables import Column, Fitted, fit, label_columns, print_fitted, short_ids
from pinchpoint.resolve import DEFAULT_THRESHOLD, ResolveOptions, resolution_map, resolve
from pinchpoint.resolve.explain import Explanation, explain
from pinchpoint.resolve.features import RECORD_SCHEMA
from pinchpoint.resolve.ids import expand_judgement, expand_records, expand_shared
from pinchpoint.resolve.review import ReviewItem, judge, record_names, review_queue, undo
from pinchpoint.resolve.sharing_judgements import (
    Logged,
    adopt,
    judgement_shares,
    share_judgement,
    shared_judgements,
    withdraw_share,
)
from pinchpoint.store import judgements as store_judgements
from pinchpoint.store import resolution as tables
from pinchpoint.store.judgements import Judgement, SharedJudgement

JsonFlag = Annotated[bool, typer.Option("--json")]
RECORD = "Person record id, or its start (8 characters or more, as the tables show it)"
RecordA = Annotated[str, typer.Argument(metavar="A", help=RECORD)]
RecordB = Annotated[str, typer.Argument(metavar="B", help=RECORD)]
Side = tuple[list[Column], list[list[str]], bool]  # label_columns: columns, cells, cut
JudgementId = Annotated[str, typer.Argument(
    metavar="ID", help="Judgement id, or its start (8 characters or more)")]


@contextmanager
def _session() -> Iterator[Session]:
    """A session with the resolution tables made; expected failures are one sentence."""
    with user_errors(), open_session() as s:
        tables.ensure(s.store, RECORD_SCHEMA)
        yield s


def resolve_command(
    threshold: Annotated[float, typer.Option(
        help="Match probability at which two records become one entity")] = DEFAULT_THRESHOLD,
    full: Annotated[bool, typer.Option(
        "--full", help="Retrain the model and rescore every pair (default: incremental)")
    ] = False,
    engine: Annotated[str, typer.Option(
        help="Where Splink scores pairs: duckdb (in this process) or spark")] = "duckdb",
    spark_master: Annotated[str | None, typer.Option(
        help="Spark master URL for --engine spark: local[N] (default local[*]), "
             "spark://host:7077, yarn, k8s://...")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Resolve person records into entities (Splink); incremental after the first run."""
    with _session() as s, progress(SpinnerColumn(), TextColumn("{task.description}"),
                                   TimeElapsedColumn(), quiet=as_json) as bar:
        task = bar.add_task("resolve", total=None)

        def say(message: str) -> None:
            bar.update(task, description=message)
            if not err.is_terminal and not as_json:
                err.print(message)

        options = ResolveOptions(threshold=threshold, full=full, user=s.scope.user,
                                 engine=engine, spark_master=spark_master)
        report = resolve(s.store, s.scope, options, progress=say)
        s.record("combination", f"resolution ({report.mode})", "entity resolution run",
                 detail={"records": report.records, "entities": report.clusters,
                         "merged_records": report.merged_records,
                         "threshold": report.threshold})
    if as_json:
        print_json(report.as_dict())
        return
    console.print(
        f"resolved {report.records:,} person records into {report.clusters:,} entities "
        f"({report.mode}; {report.new_records:,} new or changed, {report.merged_records:,} "
        f"records in merged entities, threshold {report.threshold}) in {report.seconds} s")
    console.print(f"pairs scored this run {report.pairs_scored:,}; at or above the "
                  f"threshold {report.pairs_matched:,}; judgements applied "
                  f"{report.judgements:,}; held for review {report.held:,}")
    if report.held:
        console.print("see `pinchpoint review` for the pairs held back")


def judge_command(
    left: RecordA,
    right: RecordB,
    verdict: Annotated[str, typer.Argument(help="same, different or unsure")],
    reason: Annotated[str, typer.Option(help="Why (kept with who and when)")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Record a judgement on two records; it overrides the model and survives re-runs.

    A and B are record ids, or their start (8 characters or more: the short ids that
    `pinchpoint review` prints), as long as it begins one record the scope sees."""
    with _session() as s:
        left, right = expand_records(s.store, s.scope, left, right)
        judgement = judge(s.store, s.scope, left, right, verdict, reason, s.scope.user)
        s.record("combination" if verdict == "same" else "alteration",
                 f"judgement {judgement.id}: {left} {verdict} {right}", reason)
        canonical = resolution_map(s.store, s.scope)
    if as_json:
        print_json(dataclasses.asdict(judgement) | {
            "same_entity_now": canonical.get(left) == canonical.get(right)})
        return
    together = "one entity" if canonical.get(left) == canonical.get(right) else "separate"
    console.print(f"judgement {judgement.id}: {left} {verdict} {right} by {judgement.user} "
                  f"({judgement.reason}); now {together}")


def undo_command(
    judgement_id: JudgementId,
    reason: Annotated[str, typer.Option(help="Why it is undone")] = "",
) -> None:
    """Undo a judgement (kept on record as undone) and re-cluster.

    ID may be the short id that `pinchpoint judgements` prints."""
    with _session() as s:
        judgement_id = expand_judgement(s.store, s.scope, judgement_id)
        found = undo(s.store, s.scope, judgement_id, reason, s.scope.user)
        s.record("alteration", f"judgement {judgement_id} undone", reason)
    console.print(f"undone: {found.left} {found.verdict} {found.right}")


def judgements_command(
    all_: Annotated[bool, typer.Option("--all", help="Include undone judgements")] = False,
    shared: Annotated[bool, typer.Option(
        "--shared", help="Other agencies' judgements shared with yours (see "
        "`adopt-judgement`), instead of your agency's own")] = False,
    as_json: JsonFlag = False, wide: WideOption = False,
) -> None:
    """List judgements with who, when and why.

    The two records are named as the scope sees them; a narrow terminal gets names first
    and short ids (which `undo-judgement` and `judge` accept), `--wide` every column and
    full ids."""
    with _session() as s:
        received = shared_judgements(s.store, s.scope) if shared else []
        found = ([r.judgement for r in received] if shared else
                 store_judgements.judgements(s.store, s.scope, active_only=not all_))
        names = {} if as_json else record_names(
            s.store, s.scope, [i for j in found for i in (j.left, j.right)])
        among = [] if as_json or wide else tables.record_ids(s.store, s.scope)
    if as_json:
        print_json([r.as_dict() for r in received] if shared else
                   [dataclasses.asdict(j) for j in found])
        return
    print_fitted(console, _judgements_fitted(found, names, among, wide, received))
    if shared and found:
        console.print("make one your agency's with `pinchpoint adopt-judgement ID --reason "
                      "TEXT`")
    elif any(j.active for j in found):
        console.print("undo one with `pinchpoint undo-judgement ID --reason TEXT`; the short "
                      "id shown will do")


def _judgements_fitted(found: list[Judgement], names: dict[str, list[str]],
                       among: list[str], wide: bool, received: list[SharedJudgement]
                       ) -> Fitted:
    """One line per judgement: the two records (names first) and the verdict between
    them, its id, then why, who, when (the rest with `wide`); for judgements shared with
    the reader's agency (`received`), also why and when they were shared."""
    (who_a, cells_a, cut_a), (who_b, cells_b, cut_b) = _sides(
        [(j.left, j.right) for j in found], names, among, wide)
    ids = [j.id for j in found]
    short = {i: i for i in ids} if wide else short_ids(ids, ids)
    tail = ([Column("purpose", 2, True), Column("shared", 5)] if received
            else [Column("undone", 5)])
    columns = [*who_a, Column("verdict"), *who_b, Column("id"), Column("reason", 1, True),
               Column("user", 2), Column("when", 3), Column("agency", 4), *tail]
    ends = ([[r.share.purpose, str(r.share.shared_at)] for r in received] if received
            else [[str(j.undone_at or "")] for j in found])
    rows = [[*a, j.verdict, *b, short[j.id], j.reason, j.user, str(j.created_at), j.agency,
             *end] for j, a, b, end in zip(found, cells_a, cells_b, ends, strict=True)]
    what = "judgement(s) shared with you" if received else "judgement(s)"
    return fit(f"{len(found)} {what}", columns, rows, None if wide else console.width,
               cut_a or cut_b or any(short[i] != i for i in ids))


def share_judgement_command(
    judgement_id: JudgementId,
    to: Annotated[str, typer.Option("--to", help="The agency to share it with")],
    purpose: Annotated[str, typer.Option(help="Why it is shared (the disclosure record)")],
) -> None:
    """Share one of your agency's judgements with another agency (a logged disclosure).

    The other agency sees the verdict, who made it and why; its resolution changes only
    if one of its users adopts it (`adopt-judgement`). Supervisors and administrators
    share; `withdraw-judgement-share` takes it back."""
    with _session() as s:
        judgement_id = expand_judgement(s.store, s.scope, judgement_id)
        share, logged = share_judgement(s.store, s.scope, judgement_id, to, purpose,
                                        s.scope.user)
        _record(s, logged)
    console.print(f"judgement {judgement_id} shared with {share.recipient} ({share.purpose})")


def withdraw_share_command(
    judgement_id: JudgementId,
    to: Annotated[str, typer.Option("--to", help="The agency it was shared with")],
    reason: Annotated[str, typer.Option(help="Why it is withdrawn")] = "",
) -> None:
    """Withdraw the sharing of a judgement with an agency; it stops seeing it at once."""
    with _session() as s:
        judgement_id = expand_judgement(s.store, s.scope, judgement_id)
        _record(s, withdraw_share(s.store, s.scope, judgement_id, to, reason,
                                  s.scope.user)[1])
    console.print(f"judgement {judgement_id} no longer shared with {to}")


def shares_command(
    all_: Annotated[bool, typer.Option("--all", help="Include withdrawn shares")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Your agency's judgements shared with other agencies: with whom, by whom, when and
    why (what `withdraw-judgement-share` takes back)."""
    with _session() as s:
        found = judgement_shares(s.store, s.scope, active_only=not all_)
    if as_json:
        print_json([dataclasses.asdict(share) for share in found])
        return
    listed = table(f"{len(found)} share(s)", "judgement", "shared with", "by", "when",
                   "purpose", "withdrawn")
    for share in found:
        listed.add_row(share.judgement_id, share.recipient, share.shared_by,
                       str(share.shared_at), share.purpose, str(share.withdrawn_at or ""))
    console.print(listed)


def adopt_command(
    judgement_id: Annotated[str, typer.Argument(
        metavar="ID", help="Id of a judgement shared with your agency (`judgements "
        "--shared`), or its start (8 characters or more)")],
    reason: Annotated[str, typer.Option(help="Why your agency takes it on")] = "",
) -> None:
    """Make a judgement another agency shared with yours your own: it is recorded as
    your judgement, naming where it came from, and changes only your resolution."""
    with _session() as s:
        judgement_id = expand_shared(s.store, s.scope, judgement_id)
        made, logged = adopt(s.store, s.scope, judgement_id, reason, s.scope.user)
        _record(s, logged)
    console.print(f"judgement {made.id}: {made.left} {made.verdict} {made.right} by "
                  f"{made.user} ({made.reason})")


def _record(s: Session, logged: Logged) -> None:
    s.record(logged.action, logged.what, logged.why, logged.recipients, logged.detail)


def _sides(pairs: list[tuple[str, str]], names: dict[str, list[str]], among: list[str],
           wide: bool) -> tuple[Side, Side]:
    """The names and id columns of the A and of the B record of each pair: names first,
    ids as short as `among` (the scope's records) allows, unless `wide`."""
    def side(k: int, letter: str) -> Side:
        people = [(pair[k], "; ".join(names.get(pair[k], []))) for pair in pairs]
        return label_columns(among, people, wide, (f"names {letter}", letter))
    return side(0, "A"), side(1, "B")


def _print_explanation(found: Explanation) -> None:
    verdict = "one entity" if found.same_entity else "separate entities"
    console.print(f"{found.left} vs {found.right}: match weight {found.match_weight:.2f}, "
                  f"probability {found.match_probability:.4f} (threshold {found.threshold}); "
                  f"now {verdict}")
    waterfall = table("waterfall (match weights add up)", "comparison", "level", "weight",
                      "m", "u", "A", "B")
    running = 0.0
    for step in found.steps:
        running += step.weight
        waterfall.add_row(step.comparison, step.level, f"{step.weight:+.2f} (= {running:.2f})",
                          "" if step.m is None else f"{step.m:.4g}",
                          "" if step.u is None else f"{step.u:.4g}", step.left[:60],
                          step.right[:60])
    console.print(waterfall)
    if found.names:
        console.print(f"best name pair: {found.names['left']} ~ {found.names['right']}: "
                      f"{found.names['score']:.3f} ({found.names['left_analysis']} | "
                      f"{found.names['right_analysis']})")
    if found.held:
        console.print(f"held for review: {found.held}")
    for j in found.judgements:
        state = f", undone {j['undone_at']}" if j["undone_at"] else ""
        console.print(f"judged {j['verdict']} by {j['user']} ({j['agency']}) at "
                      f"{j['created_at']}: {j['reason']}{state}")


def explain_command(
    left: RecordA,
    right: RecordB,
    as_json: JsonFlag = False,
) -> None:
    """Why two records are or are not one entity: the match-weight waterfall.

    A and B may be the short ids that `pinchpoint review` prints (8 characters or more)."""
    with _session() as s:
        found = explain(s.store, s.scope, *expand_records(s.store, s.scope, left, right))
    if as_json:
        print_json(found.as_dict())
        return
    _print_explanation(found)


def review_command(
    limit: Annotated[int, typer.Option(help="At most this many pairs")] = 20,
    as_json: JsonFlag = False, wide: WideOption = False,
) -> None:
    """Pairs awaiting an analyst's decision, biggest network impact first.

    A narrow terminal gets one line per pair, names first and short ids (which `judge`
    and `explain` accept); `--wide` every column and full ids."""
    with _session() as s:
        items = review_queue(s.store, s.scope, limit=limit)
        among = [] if as_json or wide else tables.record_ids(s.store, s.scope)
    if as_json:
        print_json([i.as_dict() for i in items])
        return
    print_fitted(console, _review_fitted(items, among, wide))
    if items:
        console.print("decide with `pinchpoint judge A B same|different|unsure --reason TEXT`"
                      "; A and B may be the short ids shown")


def _review_fitted(items: list[ReviewItem], among: list[str], wide: bool) -> Fitted:
    """One line per pair: each record's names and id, the probability and the impact;
    why it is held where there is room (and with `wide`)."""
    names = {i.left: i.left_names for i in items} | {i.right: i.right_names for i in items}
    (who_a, cells_a, cut_a), (who_b, cells_b, cut_b) = _sides(
        [(i.left, i.right) for i in items], names, among, wide)
    columns = [*who_a, *who_b, Column("prob", justify="right"),
               Column("impact", justify="right"), Column("why", 1, True)]
    rows = [[*a, *b, f"{i.probability:.3f}", str(i.impact), i.why]
            for i, a, b in zip(items, cells_a, cells_b, strict=True)]
    return fit(f"review queue: {len(items)} pair(s)", columns, rows,
               None if wide else console.width, cut_a or cut_b)


def _write_resolution(handle: TextIO, mapping: dict[str, str]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["entity_id", "canonical_id"])
    for entity_id in sorted(mapping):
        writer.writerow([entity_id, mapping[entity_id]])


def export_resolution_command(
    out: Annotated[Path | None, typer.Option(help="Output CSV [default: standard output]")
                   ] = None,
) -> None:
    """Export the resolution as CSV `entity_id,canonical_id`."""
    with _session() as s:
        mapping = resolution_map(s.store, s.scope)
    if out is None:
        _write_resolution(sys.stdout, mapping)
        return
    with open(out, "w", newline="", encoding="utf-8") as handle:
        _write_resolution(handle, mapping)
    err.print(f"wrote {len(mapping):,} rows to {out}")
