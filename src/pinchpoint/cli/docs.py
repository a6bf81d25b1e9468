"""`docs/cli.md`, written from the Typer app itself so the reference cannot drift.

`render(app)` walks the command tree Click builds from the app and writes each
command's usage, help, arguments and options as Markdown, in the order `--help` lists
them. It reads no terminal width, environment variable or current directory, so the
page is the same on every machine; `make docs` writes it and `tests/test_docs.py`
fails while the committed page differs from what the commands say.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

HEADER = """\
# Command line reference

Every `pinchpoint` command with its arguments and options. Generated from the commands
themselves (`pinchpoint.cli.docs`): do not edit by hand, run `make docs` after changing
a command; `tests/test_docs.py` fails while this page is stale.

Global options (`--workspace`, `--as`, `--purpose`) come before the command:
`pinchpoint --workspace case-42 --as claire status`.
"""


def render(app: typer.Typer, name: str = "pinchpoint") -> str:
    """The Markdown reference of every command of `app`."""
    root = typer.main.get_command(app)
    ctx = root.context_class(root, info_name=name)
    sections = [_section(command, sub) for command, sub in _walk(root, ctx)]
    return HEADER + "".join(sections)


def write(app: typer.Typer, path: str | Path) -> None:
    """Write `render(app)` to `path` (`make docs`: docs/cli.md)."""
    Path(path).write_text(render(app), encoding="utf-8")


def _walk(command: Any, ctx: Any) -> Iterator[tuple[Any, Any]]:
    """(command, context) for this command and every command below it, depth first."""
    yield command, ctx
    for name, sub in _subcommands(command, ctx):
        yield from _walk(sub, sub.context_class(sub, info_name=name, parent=ctx))


def _subcommands(command: Any, ctx: Any) -> list[tuple[str, Any]]:
    """A group's visible commands, in the order `--help` lists them."""
    found = [(name, command.get_command(ctx, name))
             for name in getattr(command, "list_commands", lambda _: [])(ctx)]
    return [(name, sub) for name, sub in found if sub is not None and not sub.hidden]


def _section(command: Any, ctx: Any) -> str:
    usage = " ".join([ctx.command_path, *command.collect_usage_pieces(ctx)])
    lines = [f"\n## `{ctx.command_path}`\n", "```", usage, "```", ""]
    if command.help:
        lines += [inspect.cleandoc(command.help), ""]
    subcommands = [f"- `{name}`: {sub.get_short_help_str(limit=200)}"
                   for name, sub in _subcommands(command, ctx)]
    lines += ["Commands:", "", *subcommands, ""] if subcommands else []
    for title, kind in (("Arguments", "argument"), ("Options", "option")):
        records = [_item(param, ctx) for param in command.get_params(ctx)
                   if param.param_type_name == kind and param.name != "help"]
        lines += [f"{title}:", "", *filter(None, records), ""] if any(records) else []
    return "\n".join(lines)


def _item(param: Any, ctx: Any) -> str | None:
    record = param.get_help_record(ctx)
    if record is None:
        return None
    names, text = record
    return f"- `{names}`" + (f": {' '.join(text.split())}" if text else "")
