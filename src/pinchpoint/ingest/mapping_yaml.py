"""A suggested mapping written as YAML for an analyst to read and edit.

`yaml.safe_dump` sorts keys and spreads each property's spec over several lines, which
makes a mapping hard to check column by column. Here the document keeps its keys in
their order, each property's spec stays on one line (`name: {column: full_name}`), and
a header comment (what `ingest/suggest.py` recognised) goes above it as `# ` lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import yaml

__all__ = ["mapping_yaml", "printable"]


def _flow(node: Any) -> str:
    """One line of flow YAML: `[a, b]`, `{column: x, split: ";"}`, a scalar."""
    if isinstance(node, dict) and node:
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in node.items()) + "}"
    if isinstance(node, str) and node.isascii() and node.isprintable() and not any(
            c.isalnum() or c in "\"\\" for c in node):
        return f'"{node}"'  # punctuation such as ";" reads better quoted
    text = yaml.safe_dump(node, default_flow_style=True, sort_keys=False, allow_unicode=True,
                          width=1 << 30)
    return text.removesuffix("\n").removesuffix("\n...").rstrip("\n")


def _block(node: Mapping[str, Any], depth: int) -> Iterator[str]:
    """Block style, each property's spec on one line (`name: {column: full_name}`)."""
    pad = "  " * depth
    for key, value in node.items():
        flat = not isinstance(value, dict) or depth >= 3 or not value
        if flat:
            yield f"{pad}{_flow(key)}: {_flow(value)}"
        else:
            yield f"{pad}{_flow(key)}:"
            yield from _block(value, depth + 1)


def mapping_yaml(document: dict[str, Any], comment: str | None = None) -> str:
    """The mapping as YAML an analyst edits, keys in their order, each comment line
    prefixed with '# '."""
    lines = [f"# {printable(line)}".rstrip() for line in (comment or "").splitlines()]
    return "\n".join([*lines, *_block(document, 0)]) + "\n"


def printable(text: str) -> str:
    """Text fit for a YAML comment, which YAML lets hold printable characters only."""
    return "".join(c if c.isprintable() else "?" for c in text)
