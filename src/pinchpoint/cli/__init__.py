"""The `pinchpoint` command: the Typer app, assembled from one module per command group.

Each module of this package holds one group's commands, thin wrappers around the
stages' Python API over what they share in `common.py`; this module only registers
them, and none of them imports it. `docs/cli.md` is generated from this app
(`make docs`, see `docs.py`).
"""

from __future__ import annotations

import typer

from pinchpoint.cli import (
    access,
    audit,
    common,
    demo,
    ingest,
    leaders,
    mapping,
    matching,
    money,
    names,
    network,
    phones,
    resolve,
    retention,
    serve,
    share,
    supply,
    workspace,
)

__all__ = ["app"]

app = typer.Typer(help="Pinchpoint: intelligence workbench for organised immigration crime.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
app.callback()(common.global_options)
export_app = typer.Typer(help="Export the workspace.", no_args_is_help=True)

# Commands are listed in `--help` in the order they are registered here.
app.command("serve")(serve.serve)
app.command("match-names")(names.match_names)
app.command("resolve")(resolve.resolve_command)
app.command("judge")(resolve.judge_command)
app.command("undo-judgement")(resolve.undo_command)
app.command("judgements")(resolve.judgements_command)
app.command("share-judgement")(resolve.share_judgement_command)
app.command("judgement-shares")(resolve.shares_command)
app.command("withdraw-judgement-share")(resolve.withdraw_share_command)
app.command("adopt-judgement")(resolve.adopt_command)
app.command("explain")(resolve.explain_command)
app.command("review")(resolve.review_command)
app.command("init")(workspace.init)
app.command("copy-to-server")(workspace.copy_to_server_command)
app.command("ingest")(ingest.ingest)
app.command("status")(workspace.status)
app.command("quarantine")(workspace.quarantine)
app.command("entity")(workspace.entity)
export_app.command("resolution")(resolve.export_resolution_command)
export_app.command("ftm")(workspace.export_ftm_command)

app.add_typer(export_app, name="export")
app.add_typer(demo.demo_app, name="demo")
app.add_typer(mapping.mapping_app, name="mapping")
network.network_app.command("leaders")(leaders.leaders_command)
app.add_typer(network.network_app, name="network")
app.add_typer(money.money_app, name="money")
app.add_typer(phones.phones_app, name="phones")
app.add_typer(supply.supply_app, name="supply")
app.add_typer(access.agency_app, name="agency")
app.add_typer(access.user_app, name="user")
app.add_typer(share.share_app, name="share")
app.add_typer(matching.match_app, name="match")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(retention.retention_app, name="retention")
